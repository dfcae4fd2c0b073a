// Long-connection mode: the SDK dispatcher's handlers reach the same core as the webhook.
// No real WebSocket here (no network); we invoke the dispatcher the way WSClient does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLarkCore } from '../../src/channels/lark/core';
import { createDispatcher } from '../../src/channels/lark/ws';
import * as lark from '@larksuiteoapi/node-sdk';
import { FakeBot } from './fakeBot';
import { BOT_OPEN_ID, quietLogger, startHarness, type Harness } from './harness';

let h: Harness;
let bot: FakeBot;
beforeEach(async () => {
  bot = new FakeBot();
  h = await startHarness(bot);
});
afterEach(async () => {
  await h.close();
});

describe('ws dispatcher', () => {
  it('routes message events and card actions into the shared core, deduping as the webhook does', async () => {
    const core = createLarkCore({ store: h.opened.store, bot, botOpenId: () => BOT_OPEN_ID, logger: quietLogger });
    const dispatcher = createDispatcher(core, { loggerLevel: lark.LoggerLevel.error });
    const ev = h.side.messageEvent({ chatId: 'oc_ws', senderId: 'ou_alice', text: '你好', mentionBot: { openId: BOT_OPEN_ID } });
    // WSClient calls invoke(mergedData, { needCheck: false }) with the plain envelope.
    expect(await dispatcher.invoke(ev, { needCheck: false })).toEqual({});
    expect(await dispatcher.invoke(ev, { needCheck: false })).toEqual({}); // redelivery
    await core.idle();
    expect(bot.inputs).toHaveLength(1);
    expect(bot.inputs[0]).toMatchObject({ actor: { userId: 'ou_alice' }, place: { chatId: 'oc_ws', tenantKey: 'tenant_fake' }, message: { type: 'text', text: '你好' } });

    const card = h.side.cardAction({ chatId: 'oc_ws', operatorId: 'ou_bob', value: { kind: 'submit', sectionId: 'basic', values: {} }, formValue: { projectName: '项目A' } });
    const answer = (await dispatcher.invoke(card, { needCheck: false })) as { toast: unknown; card: { type: string } };
    expect(answer.toast).toEqual({ type: 'success', content: '已保存' });
    expect(answer.card.type).toBe('raw');

    await h.sender.drain();
    expect(h.fake.messages.map((m) => JSON.parse(m.content).text)).toEqual(['收到：你好', '<at user_id="ou_bob">ou_bob</at> 已保存 1 项']);
  });
});

describe('runtime in long-connection mode', () => {
  it('starts (no public port), and stops cleanly even when the connection cannot be made', async () => {
    const { startLarkRuntime } = await import('../../src/runtime/node/larkRuntime');
    const { createBot } = await import('../../src/bot');
    const { tempDb, APP_ID } = await import('./harness');
    const db = tempDb();
    const errors: unknown[] = [];
    const running = await startLarkRuntime({
      env: { larkAppId: APP_ID, larkAppSecret: 'secret-secret', larkDomain: h.fake.url, larkMode: 'ws', port: 0, dbPath: db.file, adminOpenIds: [] },
      createBot,
      logger: { info() {}, warn() {}, error: (...a: unknown[]) => errors.push(a) },
      quietSdk: true,
    });
    expect(running.port).toBeUndefined();
    expect(running.botInfo.openId).toBe(BOT_OPEN_ID);
    await new Promise((r) => setTimeout(r, 100));
    await running.stop();
    db.cleanup();
  });
});
