// End to end with the real bot and the real Node runtime: encrypted, signed events
// over HTTP to the webhook server, replies through the outbox to the fake platform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf } from '../../src/channels/lark/cards';
import { createBot } from '../../src/bot';
import { startLarkRuntime, type RunningBot } from '../../src/runtime/node/larkRuntime';
import { startFakeLark, type FakeLark } from './fakeLark';
import { APP_ID, BOT_OPEN_ID, ENCRYPT_KEY, quietLogger, tempDb, VERIFICATION_TOKEN } from './harness';
import { createLarkSide, type LarkSide } from './larkSide';

let fake: FakeLark;
let running: RunningBot;
let side: LarkSide;
let db: ReturnType<typeof tempDb>;
const chat = 'oc_e2e_group';
const zhang = 'ou_zhang';
const ticks: number[] = [];

beforeAll(async () => {
  fake = await startFakeLark();
  db = tempDb();
  running = await startLarkRuntime({
    env: {
      larkAppId: APP_ID,
      larkAppSecret: 'secret-secret',
      larkEncryptKey: ENCRYPT_KEY,
      larkVerificationToken: VERIFICATION_TOKEN,
      larkDomain: fake.url,
      larkMode: 'webhook',
      port: 0,
      dbPath: db.file,
      adminOpenIds: [],
    },
    createBot,
    logger: quietLogger,
    quietSdk: true,
    senderIntervalMs: 20,
    schedulerIntervalMs: 20,
    scheduler: async ({ deliver, now }) => {
      ticks.push(now);
      if (ticks.length === 1) await deliver('user:ou_leader', [{ type: 'text', text: '定时任务测试' }]);
    },
  });
  side = createLarkSide({
    encryptKey: ENCRYPT_KEY,
    verificationToken: VERIFICATION_TOKEN,
    appId: APP_ID,
    send: (path, init) => fetch(`http://127.0.0.1:${running.port}${path}`, init),
    platform: fake,
  });
});

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  db?.cleanup();
});

/** Wait until the fake platform holds `n` messages. */
async function messagesArrive(n: number, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (fake.messages.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  expect(fake.messages.length).toBeGreaterThanOrEqual(n);
}

async function say(text: string, extra: Partial<Parameters<LarkSide['messageEvent']>[0]> = {}) {
  const before = fake.messages.length;
  const res = await side.post(side.messageEvent({ chatId: chat, senderId: zhang, text, mentionBot: { openId: BOT_OPEN_ID }, ...extra }));
  expect(res.status).toBe(200);
  await messagesArrive(before + 1);
  await new Promise((r) => setTimeout(r, 50)); // any further messages of the same reply
  return fake.messages.slice(before);
}

const textOf = (m: { msgType: string; content: string }) => (m.msgType === 'text' ? (JSON.parse(m.content).text as string) : m.content);

describe('the scheduler slot', () => {
  it('is called every interval and can post through the outbox', async () => {
    const end = Date.now() + 3000;
    while (!fake.messages.some((m) => m.chatId === 'user:ou_leader') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(fake.messages.filter((m) => m.chatId === 'user:ou_leader').map(textOf)).toEqual(['定时任务测试']);
  });
});

describe('the real bot behind the webhook', () => {
  it('learns its own open_id and answers health checks', async () => {
    expect(running.botInfo.openId).toBe(BOT_OPEN_ID);
    const res = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('a conversation: new evaluation, assignment with a mention, a card submitted', async () => {
    const created = await say('新建评价 测试项目 2024');
    expect(created.map(textOf).join('\n')).toContain('已新建评价');
    expect(created[0].replyTo).toBeDefined();

    const assigned = await say('分配 资金来源 @_user_2', { mentions: [{ key: '@_user_2', openId: 'ou_li', name: '李四' }] });
    expect(assigned.map(textOf).join('\n')).toContain('资金来源');
    expect(assigned.map(textOf).join('\n')).toContain('李四');

    const progress = await say('进度');
    expect(progress.map(textOf).join('\n')).toContain('填写进度');

    // a card with a form, answered through a card callback
    const ev = (await running.store.findEvaluationByChat(chat))!;
    const res = await side.post(
      side.cardAction({
        chatId: chat,
        operatorId: zhang,
        value: { kind: 'submit', sectionId: 'lineItems', index: 0, values: {} },
        formValue: { name: '办公经费', budget: '273.45万元', arrived: 'abc' },
      }),
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { toast?: { type: string }; card?: { type: string; data: unknown } };
    expect(answer.toast?.type).toBe('error');
    expect(answer.card?.type).toBe('raw');
    expect(JSON.stringify(answer.card?.data)).toContain('✅ 已保存');
    expect(actionsOf(answer.card?.data).some((a) => a.kind === 'submit')).toBe(true);
    const answers = await running.store.getAnswers(ev.id);
    expect(answers['lineItems[0].budget']).toBe(273.45);
    expect(answers['lineItems[0].name']).toBe('办公经费');

    // every message went out exactly once
    expect([...fake.countByUuid().values()].every((n) => n === 1)).toBe(true);
    expect(await running.store.pendingCount()).toBe(0);
  });
});
