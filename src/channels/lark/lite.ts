// The few Lark calls the Node server makes in webhook mode — send and reply, upload
// a file, who the bot is, a person's name, a file sent to the chat — over fetch,
// instead of the SDK client. The SDK builds every API of the platform when it is
// created: about 100 MB of a process that otherwise idles near 60 MB. Same surface
// as the parts of `lark.Client` we call (sender, names, files), same axios-shaped
// errors (httpFetch.ts), so the sender's retry rules read them the same way.
// The long connection (ws.ts) still needs the SDK, and loads it only in that mode.
import { Readable } from 'node:stream';
import { createFetchHttpInstance, type FetchRequest } from './httpFetch';

export interface LiteOptions {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn, https://open.larksuite.com, or a fake platform in tests. */
  domain: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Codes meaning the tenant token is no longer good: fetch a new one and try once more. */
const STALE_TOKEN_CODES = new Set([99991663, 99991661, 99991668]);
/** Renew this long before the platform's expiry, as the SDK does. */
const RENEW_BEFORE_MS = 3 * 60_000;

export type LiteClient = ReturnType<typeof createLiteClient>;

export function createLiteClient(opts: LiteOptions) {
  const http = createFetchHttpInstance({ timeoutMs: opts.timeoutMs ?? 15_000, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const base = opts.domain.replace(/\/+$/, '');
  let token: { value: string; until: number } | undefined;
  let fetching: Promise<string> | undefined;

  async function tenantToken(): Promise<string> {
    if (token && Date.now() < token.until) return token.value;
    fetching ??= (async () => {
      const res = (await http.post(`${base}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: opts.appId, app_secret: opts.appSecret })) as { code?: number; msg?: string; tenant_access_token?: string; expire?: number };
      if (res?.code !== 0 || !res.tenant_access_token) throw new Error(`failed to get tenant_access_token, code: ${res?.code}, msg: ${res?.msg}`);
      token = { value: res.tenant_access_token, until: Date.now() + Math.max(60, res.expire ?? 7200) * 1000 - RENEW_BEFORE_MS };
      return token.value;
    })().finally(() => (fetching = undefined));
    return fetching;
  }

  const codeOf = (error: unknown) => (error as { response?: { data?: { code?: unknown } } })?.response?.data?.code;

  /** One authorised call; a stale token is renewed once. Resolves with the body (or { data, headers }). */
  async function call<R = any>(o: FetchRequest & { url: string }): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const auth = { Authorization: `Bearer ${await tenantToken()}` };
      try {
        const res = await http.request<R>({ ...o, url: `${base}${o.url}`, headers: { ...o.headers, ...auth } });
        const code = (res as { code?: unknown })?.code;
        if (attempt === 0 && typeof code === 'number' && STALE_TOKEN_CODES.has(code)) {
          token = undefined;
          continue;
        }
        return res;
      } catch (error) {
        const code = codeOf(error);
        if (attempt === 0 && typeof code === 'number' && STALE_TOKEN_CODES.has(code)) {
          token = undefined;
          continue;
        }
        throw error;
      }
    }
  }

  const path = encodeURIComponent;
  return {
    /** A call by path, as the SDK's `client.request` (bot info). */
    request: (o: { method: string; url: string; params?: Record<string, unknown>; data?: unknown }) => call(o),
    im: {
      v1: {
        message: {
          create: (p: { params: { receive_id_type: string }; data: Record<string, unknown> }) => call({ method: 'POST', url: '/open-apis/im/v1/messages', params: p.params, data: p.data }),
          reply: (p: { path: { message_id: string }; data: Record<string, unknown> }) => call({ method: 'POST', url: `/open-apis/im/v1/messages/${path(p.path.message_id)}/reply`, data: p.data }),
        },
        file: {
          /** Resolves with `data` ({ file_key }), as the SDK's upload does. */
          async create(p: { data: { file_type: string; file_name: string; file: Uint8Array } }) {
            const res = await call<{ code?: number; msg?: string; data?: { file_key?: string } }>({ method: 'POST', url: '/open-apis/im/v1/files', headers: { 'content-type': 'multipart/form-data' }, data: p.data });
            if (res?.code !== 0) throw Object.assign(new Error(`upload failed: code ${res?.code} ${res?.msg ?? ''}`), { response: { status: 200, data: { code: res?.code, msg: res?.msg } } });
            return res.data ?? null;
          },
        },
      },
      messageResource: {
        /** The file's headers and its bytes as a Node stream, as the SDK's `getReadableStream`. */
        async get(p: { path: { message_id: string; file_key: string }; params: { type: string } }) {
          const res = await call<{ data: ReadableStream<Uint8Array> | null; headers: Record<string, string> }>({
            method: 'GET',
            url: `/open-apis/im/v1/messages/${path(p.path.message_id)}/resources/${path(p.path.file_key)}`,
            params: p.params,
            responseType: 'stream',
            $return_headers: true,
          });
          return {
            headers: res.headers,
            getReadableStream: () => (res.data ? Readable.fromWeb(res.data as import('node:stream/web').ReadableStream) : Readable.from([])),
          };
        },
      },
    },
    contact: {
      v3: {
        user: {
          get: (p: { path: { user_id: string }; params: { user_id_type: string } }) => call({ method: 'GET', url: `/open-apis/contact/v3/users/${path(p.path.user_id)}`, params: p.params }),
        },
      },
    },
  };
}
