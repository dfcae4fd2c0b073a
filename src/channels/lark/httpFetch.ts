// A fetch-based stand-in for the SDK's axios instance. On Cloudflare Workers axios
// may pick an adapter workerd refuses (axios 1.20's fetch adapter sends
// cache:'default': "Unsupported cache mode"); fetch is native there and in Node.
// It behaves as the SDK expects of its default instance: it resolves with the
// response body (or { data, headers } when asked via $return_headers), and fails
// with an axios-shaped error ({ response: { status, headers, data } }) so the
// sender's retry rules read it the same way.

import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

type Params = Record<string, unknown>;

export interface FetchRequest {
  url?: string;
  method?: string;
  headers?: Record<string, unknown>;
  params?: Params;
  data?: unknown;
  responseType?: string;
  paramsSerializer?: unknown;
  timeout?: number;
  $return_headers?: boolean;
}

/** What the SDK calls on its http instance (its HttpInstance type). */
export interface FetchHttpInstance {
  request<R = any>(opts: FetchRequest): Promise<R>;
  get<R = any>(url: string, opts?: FetchRequest): Promise<R>;
  delete<R = any>(url: string, opts?: FetchRequest): Promise<R>;
  head<R = any>(url: string, opts?: FetchRequest): Promise<R>;
  options<R = any>(url: string, opts?: FetchRequest): Promise<R>;
  post<R = any>(url: string, data?: unknown, opts?: FetchRequest): Promise<R>;
  put<R = any>(url: string, data?: unknown, opts?: FetchRequest): Promise<R>;
  patch<R = any>(url: string, data?: unknown, opts?: FetchRequest): Promise<R>;
}

/** The error thrown for a non-2xx answer or no answer at all, shaped like axios's. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly response?: { status: number; headers: Record<string, string>; data: unknown },
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface FetchInstanceOptions {
  /** Every call gets at most this long unless the call names its own timeout. Default 15 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * Answer `responseType: 'stream'` with a Node stream, as axios does in Node: the SDK's file
   * downloads (messageResource.get) check `.readable` and pipe it. Default: the web stream.
   */
  nodeStreams?: boolean;
}

function queryString(params: Params | undefined, serializer: unknown): string {
  if (!params) return '';
  const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(defined).length === 0) return '';
  if (typeof serializer === 'function') return (serializer as (p: Params) => string)(defined);
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(defined)) for (const item of Array.isArray(v) ? v : [v]) search.append(k, String(item));
  return search.toString();
}

function isBytes(v: unknown): v is Uint8Array | ArrayBuffer {
  return v instanceof Uint8Array || v instanceof ArrayBuffer;
}

/** The SDK hands multipart bodies over as plain objects (file: Buffer), like axios takes them. */
function formData(data: Record<string, unknown>): FormData {
  const form = new FormData();
  const fileName = typeof data.file_name === 'string' ? data.file_name : 'file';
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || v === null) continue;
    if (isBytes(v)) form.append(k, new Blob([v as BlobPart], { type: 'application/octet-stream' }), fileName);
    else if (v instanceof Blob) form.append(k, v, fileName);
    else form.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  return form;
}

function body(data: unknown, headers: Headers): BodyInit | undefined {
  if (data === undefined || data === null) return undefined;
  const type = headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data') && typeof data === 'object' && !isBytes(data)) {
    headers.delete('content-type'); // fetch writes it, with the boundary
    return formData(data as Record<string, unknown>);
  }
  if (typeof data === 'string' || isBytes(data) || data instanceof FormData || data instanceof Blob) return data as BodyInit;
  if (!type) headers.set('content-type', 'application/json; charset=utf-8');
  return JSON.stringify(data);
}

async function readBody(res: Response, responseType: string | undefined, nodeStreams: boolean): Promise<unknown> {
  if (responseType === 'arraybuffer') return res.arrayBuffer();
  if (responseType === 'stream' && nodeStreams) return res.body ? Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) : Readable.from([]);
  if (responseType === 'stream') return res.body;
  const text = await res.text();
  if (!text) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createFetchHttpInstance(options: FetchInstanceOptions = {}): FetchHttpInstance {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request<R>(opts: FetchRequest): Promise<R> {
    const method = (opts.method ?? 'GET').toUpperCase();
    const qs = queryString(opts.params, opts.paramsSerializer);
    const url = qs ? `${opts.url}${opts.url?.includes('?') ? '&' : '?'}${qs}` : String(opts.url);
    const headers = new Headers();
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined && v !== null) headers.set(k, String(v));
    const ms = opts.timeout && opts.timeout > 0 ? opts.timeout : timeoutMs;
    let res: Response;
    try {
      res = await doFetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body(opts.data, headers), signal: AbortSignal.timeout(ms) });
    } catch (error) {
      const e = error as Error;
      const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
      throw new HttpError(timedOut ? `timeout of ${ms}ms exceeded (${method} ${url})` : `${e?.message ?? String(error)} (${method} ${url})`, timedOut ? 'ECONNABORTED' : 'ECONNRESET');
    }
    const data = await readBody(res, opts.responseType, options.nodeStreams ?? false);
    const responseHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => (responseHeaders[name] = value));
    if (!res.ok) throw new HttpError(`Request failed with status code ${res.status}`, `ERR_BAD_${res.status >= 500 ? 'RESPONSE' : 'REQUEST'}`, { status: res.status, headers: responseHeaders, data });
    return (opts.$return_headers ? { data, headers: responseHeaders } : data) as R;
  }

  const withoutBody =
    (method: string) =>
    <R>(url: string, opts: FetchRequest = {}) =>
      request<R>({ ...opts, url, method });
  const withBody =
    (method: string) =>
    <R>(url: string, data?: unknown, opts: FetchRequest = {}) =>
      request<R>({ ...opts, url, method, data });
  return {
    request,
    get: withoutBody('GET'),
    delete: withoutBody('DELETE'),
    head: withoutBody('HEAD'),
    options: withoutBody('OPTIONS'),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
  };
}
