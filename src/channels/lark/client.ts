// The SDK client and the one call we make at start-up: who the bot is.
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
}

export function createLarkClient(opts: ClientOptions): lark.Client {
  return new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    appType: lark.AppType.SelfBuild,
    loggerLevel: opts.loggerLevel ?? lark.LoggerLevel.warn,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.httpInstance ? { httpInstance: opts.httpInstance } : {}),
  });
}

/** A logger that says nothing: the SDK logs every failed request at error level, which tests provoke on purpose. */
export const silentLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export interface BotInfo {
  openId: string;
  appName?: string;
}

/** GET /open-apis/bot/v3/info: the bot's open_id, needed to recognise its own @-mention. */
export async function fetchBotInfo(client: lark.Client): Promise<BotInfo> {
  const res = (await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code?: number; msg?: string; bot?: { open_id?: string; app_name?: string } };
  if (res?.code !== 0 || !res.bot?.open_id) throw new Error(`获取机器人信息失败：${res?.msg ?? JSON.stringify(res)}（请确认应用已开启“机器人”能力）`);
  return { openId: res.bot.open_id, appName: res.bot.app_name };
}
