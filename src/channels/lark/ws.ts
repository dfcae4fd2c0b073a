// Long-connection mode: the SDK's WSClient holds a WebSocket to Lark, so the bot
// needs no public URL (the usual way inside a government network). Events arrive
// decrypted and authenticated by the connection; they go to the same core as the webhook.
import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkCore, Logger } from './core';
import type { Envelope, LarkHeader } from './events';

const HEADER_KEYS = ['event_id', 'event_type', 'create_time', 'token', 'app_id', 'tenant_key'] as const;

/**
 * The SDK hands handlers the header and event merged into one flat object
 * (plus `schema` and its own `event_type` key). Rebuild the schema 2.0 envelope
 * the core expects.
 */
export function envelopeFromFlat(data: Record<string, unknown>, eventType: string): Envelope {
  const header: LarkHeader = { event_type: eventType };
  const event: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if ((HEADER_KEYS as readonly string[]).includes(key)) (header as Record<string, unknown>)[key] = value;
    else if (key !== 'schema') event[key] = value;
  }
  header.event_type = eventType;
  return { schema: '2.0', header, event };
}

export const HANDLED_EVENTS = ['im.message.receive_v1', 'card.action.trigger'] as const;

/** An EventDispatcher whose handlers route into the core. Exported so tests can invoke it. */
export function createDispatcher(core: LarkCore, opts: { loggerLevel?: lark.LoggerLevel } = {}): lark.EventDispatcher {
  const handlers: Record<string, (data: Record<string, unknown>) => Promise<unknown>> = {};
  for (const type of HANDLED_EVENTS) handlers[type] = (data) => core.handleEvent(envelopeFromFlat(data, type));
  // No encryptKey/token: over the long connection the SDK passes events already
  // trusted (invoke with needCheck false) and in plain text.
  return new lark.EventDispatcher({ loggerLevel: opts.loggerLevel ?? lark.LoggerLevel.warn }).register(handlers as never);
}

export interface WsOptions {
  appId: string;
  appSecret: string;
  domain: string;
  core: LarkCore;
  loggerLevel?: lark.LoggerLevel;
  logger?: Logger;
  /** The SDK's own logger (tests pass a silent one). */
  sdkLogger?: { error: (...a: unknown[]) => void; warn: (...a: unknown[]) => void; info: (...a: unknown[]) => void; debug: (...a: unknown[]) => void; trace: (...a: unknown[]) => void };
}

export interface WsConnection {
  close(): void;
}

/** Starts connecting and returns at once; the SDK reconnects by itself. Progress is logged. */
export async function startWs(opts: WsOptions): Promise<WsConnection> {
  const log = opts.logger ?? console;
  const client = new lark.WSClient({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    loggerLevel: opts.loggerLevel ?? lark.LoggerLevel.warn,
    ...(opts.sdkLogger ? { logger: opts.sdkLogger } : {}),
    onReady: () => log.info('[lark] 长连接已建立，开始接收事件'),
    onError: (error: Error) =>
      log.error(
        `[lark] 长连接失败，已放弃重连：${error?.message ?? error}。请确认 开发者后台 → 事件与回调 → 订阅方式 选择了“使用长连接接收事件/回调”，并已订阅 im.message.receive_v1 与 card.action.trigger。`,
      ),
  });
  await client.start({ eventDispatcher: createDispatcher(opts.core, { loggerLevel: opts.loggerLevel }) });
  return { close: () => client.close() };
}
