// The SDK client (Workers, the long connection, tests); who the bot is: ./botInfo.ts.
import * as lark from '@larksuiteoapi/node-sdk';

export interface ClientOptions {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn, https://open.larksuite.com, or a fake platform in tests. */
  domain: string;
  loggerLevel?: lark.LoggerLevel;
  /** Replaces the SDK's axios, e.g. createFetchHttpInstance() on Workers. */
  httpInstance?: lark.HttpInstance;
  logger?: { error: (...a: unknown[]) => void; warn: (...a: unknown[]) => void; info: (...a: unknown[]) => void; debug: (...a: unknown[]) => void; trace: (...a: unknown[]) => void };
  /** Every SDK call gives up after this long (the SDK's axios instance has no timeout). Default 15 s. */
  timeoutMs?: number;
}

/** Long enough for a 30 MB upload on a slow line; short enough that a hung request does not stall the outbox for good. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The SDK's own axios instance (it unwraps responses), with a timeout on every call.
 * A timed-out call has no HTTP answer, so the sender treats it as retryable, and the
 * message's uuid makes the retry safe.
 */
export function timedHttpInstance(timeout: number): lark.HttpInstance {
  // typed loosely: the SDK's instance resolves to the unwrapped body, as HttpInstance promises
  const base = lark.defaultHttpInstance as unknown as lark.HttpInstance;
  const t = <O extends object | undefined>(o: O) => ({ timeout, ...(o ?? {}) });
  return {
    request: (o) => base.request(t(o)),
    get: (url, o) => base.get(url, t(o)),
    delete: (url, o) => base.delete(url, t(o)),
    head: (url, o) => base.head(url, t(o)),
    options: (url, o) => base.options(url, t(o)),
    post: (url, data, o) => base.post(url, data, t(o)),
    put: (url, data, o) => base.put(url, data, t(o)),
    patch: (url, data, o) => base.patch(url, data, t(o)),
  };
}

export function createLarkClient(opts: ClientOptions): lark.Client {
  return new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    httpInstance: timedHttpInstance(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    appType: lark.AppType.SelfBuild,
    loggerLevel: opts.loggerLevel ?? lark.LoggerLevel.warn,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.httpInstance ? { httpInstance: opts.httpInstance } : {}),
  });
}

/** A logger that says nothing: the SDK logs every failed request at error level, which tests provoke on purpose. */
export const silentLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export { type BotInfo, fetchBotInfo } from './botInfo';
