// The one call made at start-up: who the bot is. Its own module so the webhook server
// can ask it through the small fetch client without loading the SDK.

export interface BotInfo {
  openId: string;
  appName?: string;
}

/** GET /open-apis/bot/v3/info: the bot's open_id, needed to recognise its own @-mention. */
export async function fetchBotInfo(client: { request(o: { method: 'GET'; url: string }): Promise<unknown> }): Promise<BotInfo> {
  const res = (await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code?: number; msg?: string; bot?: { open_id?: string; app_name?: string } };
  if (res?.code !== 0 || !res.bot?.open_id) throw new Error(`获取机器人信息失败：${res?.msg ?? JSON.stringify(res)}（请确认应用已开启“机器人”能力）`);
  return { openId: res.bot.open_id, appName: res.bot.app_name };
}
