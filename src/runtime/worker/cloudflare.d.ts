// The Workers runtime's own module (external to the bundle; wrangler leaves it to workerd).
// `env` there holds the same bindings, vars and secrets that handlers receive, and is
// readable in the global scope, i.e. while the isolate starts and before any request.
declare module 'cloudflare:workers' {
  export const env: Record<string, unknown>;
}
