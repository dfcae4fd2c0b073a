// Types for build.mjs (plain JavaScript so node runs it without tsx).
/** Builds `entries` (name → source file) and the webhook's thread into `dir` (two levels under the repository); returns its path. */
export function buildNode(entries?: Record<string, string>, dir?: string): Promise<string>;
