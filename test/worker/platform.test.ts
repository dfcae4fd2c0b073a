// What the Workers platform changes, in workerd with a local D1 and Lark's real
// sending limits: redelivery and racing duplicates, the Cron Trigger (reminders once,
// work a cut-off isolate left behind), and two isolates flushing the outbox at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LARK_LIMITS } from '../../src/channels/lark/rateLimit';
import type { Input } from '../../src/conversation/types';
import type { FakeMessage } from '../lark/fakeLark';
import { buildSeed } from '../documents/helpers';
import { BOT_OPEN_ID, buildWorker, startWorkerHarness, type WorkerHarness } from './workerd';

let h: WorkerHarness;
let build: Awaited<ReturnType<typeof buildWorker>>;
beforeAll(async () => {
  build = await buildWorker();
  h = await startWorkerHarness({ build });
  h.fake.contacts.set('ou_zhang', '张三');
}, 120_000);
afterAll(async () => {
  await h?.close();
  build?.cleanup();
});

const say = (chatId: string, text: string, ids: { eventId?: string; messageId?: string } = {}) =>
  h.side.messageEvent({ chatId, senderId: 'ou_zhang', text: `@_user_1 ${text}`, mentionBot: { openId: BOT_OPEN_ID }, ...ids });
/** What the platform received for a chat: replies are known by the uuids the Worker queued for it. */
async function to(chatId: string): Promise<FakeMessage[]> {
  const { results } = await h.d1.prepare('SELECT uuid FROM outbox WHERE chat_id = ?1').bind(chatId).all<{ uuid: string }>();
  const uuids = new Set(results.map((r: { uuid: string }) => r.uuid));
  return h.fake.messages.filter((m) => m.uuid && uuids.has(m.uuid));
}

describe('GET /healthz, for the administrator after deploying', () => {
  it('is ok once the settings are complete and every migration was applied; otherwise says what to run', async () => {
    const get = async () => {
      const res = await h.mf.dispatchFetch('http://localhost/healthz');
      return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string } };
    };
    expect(await get()).toEqual({ status: 200, body: { ok: true } });
    const last = (await h.d1.prepare('SELECT id, name FROM d1_migrations ORDER BY id DESC LIMIT 1').first<{ id: number; name: string }>())!;
    await h.d1.prepare('DELETE FROM d1_migrations WHERE id = ?1').bind(last.id).run();
    try {
      const stale = await get();
      expect(stale.status).toBe(503);
      expect(stale.body.error).toContain(`应为 ${last.name}`);
      expect(stale.body.error).toContain('npx wrangler d1 migrations apply jixiao --remote');
    } finally {
      await h.d1.prepare('INSERT INTO d1_migrations (id, name) VALUES (?1, ?2)').bind(last.id, last.name).run();
    }
  });
});

describe('duplicates and redelivery', () => {
  it('two requests racing on one event are recorded once and answered once', async () => {
    const chat = 'oc_race';
    const event = say(chat, '新建评价 行政综合性经费 2024');
    // Lark retried before the first answer came back: the same event twice, at once
    const [a, b] = await Promise.all([h.side.post(event), h.side.post(event)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.settled();
    expect((await h.d1.prepare('SELECT count(*) AS n FROM inbox WHERE key = ?1').bind(`message:${event.event.message.message_id}`).first<{ n: number }>())!.n).toBe(1);
    expect((await to(chat)).length).toBe(1);
    expect((await h.d1.prepare('SELECT count(*) AS n FROM evaluations WHERE chat_id = ?1').bind(chat).first<{ n: number }>())!.n).toBe(1);
  });

  it('a redelivery after the answer, and the same message under a new event id, change nothing', async () => {
    const chat = 'oc_redeliver';
    await h.side.post(say(chat, '新建评价 行政综合性经费 2024'));
    await h.settled();
    await h.side.post(say(chat, '填写'));
    await h.settled();
    const answer = say(chat, '行政综合性经费');
    expect((await h.side.post(answer)).status).toBe(200);
    await h.settled();
    const ev = (await h.store.findEvaluationByChat(chat))!;
    const history = (await h.store.getHistory(ev.id)).length;
    const sent = (await to(chat)).length;
    // 15 s later Lark redelivers (freshly encrypted and signed); then the same message comes under another event id
    expect((await h.side.post(answer)).status).toBe(200);
    expect((await h.side.post(say(chat, '行政综合性经费', { messageId: answer.event.message.message_id }))).status).toBe(200);
    await h.settled();
    expect((await h.store.getHistory(ev.id)).length).toBe(history);
    expect((await to(chat)).length).toBe(sent);
    expect(history).toBeGreaterThan(0);
  });
});

describe('the Cron Trigger', () => {
  it('sends the reminders due at that minute once; a second run at the same minute sends nothing', async () => {
    const chat = 'oc_remind';
    // a deadline ten days ahead (Beijing dates); its first reminder is 7 days before, 09:00 Beijing = 01:00 UTC
    const deadline = new Date(Date.now() + 8 * 3600_000 + 10 * 86400_000).toISOString().slice(0, 10);
    for (const text of ['新建评价 行政综合性经费 2024', `截止 ${deadline}`]) {
      await h.side.post(say(chat, text));
      await h.settled();
    }
    const before = (await to(chat)).length;
    const at = Date.parse(`${deadline}T01:00:00Z`) - 7 * 86400_000;
    await h.scheduled(at);
    const first = (await to(chat)).slice(before);
    expect(first.length).toBe(1);
    expect(JSON.parse(first[0].content).text).toContain(deadline);
    await h.scheduled(at + 20_000);
    await h.scheduled(at);
    expect((await to(chat)).length).toBe(before + 1);
  });

  it('finishes a message whose isolate was cut off before it was handled', async () => {
    const chat = 'oc_cutoff';
    const at = Date.now() - 5 * 60_000;
    // what the webhook keeps before answering Lark: the Worker then died before handling it
    const input: Input = { actor: { userId: 'ou_zhang', name: '张三' }, place: { chatId: chat, chatType: 'group' }, message: { type: 'text', text: '新建评价 行政综合性经费 2024', messageId: 'om_cut' }, now: at };
    h.fake.userMessage('om_cut', chat); // Lark delivered it: a real message the reply can quote
    await h.store.receiveInbound('message:om_cut', { input, named: [] }, at);
    await h.scheduled(Date.now());
    expect(await h.store.pendingInbound()).toEqual([]);
    expect((await to(chat)).map((m) => m.replyTo)).toEqual(['om_cut']);
    expect(await h.store.findEvaluationByChat(chat)).toBeDefined();
  });

  it('gives up on a message that was cut off three times: an apology, and the inbox is clear', async () => {
    const chat = 'oc_cutoff_thrice';
    const at = Date.now() - 10 * 60_000;
    const input: Input = { actor: { userId: 'ou_zhang', name: '张三' }, place: { chatId: chat, chatType: 'group' }, message: { type: 'text', text: '新建评价 行政综合性经费 2024', messageId: 'om_thrice' }, now: at };
    h.fake.userMessage('om_thrice', chat); // Lark delivered it: a real message the reply can quote
    await h.store.receiveInbound('message:om_thrice', { input, named: [] }, at);
    // three earlier runs started it and were cut off (e.g. at the CPU limit) before finishing
    for (const n of [1, 2, 3]) await h.store.markHandled(`recover:${n}:message:om_thrice`, at);
    await h.scheduled(Date.now());
    expect(await h.store.pendingInbound()).toEqual([]);
    const sent = await to(chat);
    expect(sent.map((m) => m.replyTo)).toEqual(['om_thrice']);
    expect(JSON.parse(sent[0].content).text).toContain('处理这条消息时出了问题');
    expect(await h.store.findEvaluationByChat(chat)).toBeUndefined();
  });
});

/** The most sends within any stretch of `ms` milliseconds. */
function mostWithin(sends: number[], ms: number): number {
  const at = [...sends].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < at.length; j++) {
    while (at[j] - at[i] >= ms) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe("two isolates flushing the outbox at once (Lark's real limits)", () => {
  it('never send a message twice, and stay under 5 a second per chat and 50 a second for the app, counting each other’s sends', async () => {
    const chats = Array.from({ length: 12 }, (_, i) => `oc_flush_${i}`);
    const items = (round: number, to: string[], n: number) => to.flatMap((chatId) => Array.from({ length: n }, (_, k) => ({ chatId, kind: 'text' as const, payload: { text: `第${round}轮 ${k}` }, uuid: crypto.randomUUID() })));
    // one chat's limit used up: a burst of 5, then 5 more at 5 a second…
    const firstRound = items(1, [chats[0]], 10);
    await h.store.enqueueOutgoing(firstRound, Date.now());
    await Promise.all([h.scheduled(Date.now()), h.scheduled(Date.now())]);
    // …then more to it and to eleven others right away: new isolates must count what the last one sent
    const secondRound = items(2, chats, 5);
    await h.store.enqueueOutgoing(secondRound, Date.now());
    await Promise.all([h.scheduled(Date.now()), h.scheduled(Date.now())]);
    await h.settled();

    const sent: FakeMessage[] = h.fake.messages.filter((m) => chats.includes(m.chatId ?? ''));
    expect(sent.length).toBe(firstRound.length + secondRound.length);
    const posts = h.fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && chats.includes(String((c.body as { receive_id?: string }).receive_id)));
    expect(posts.length).toBe(sent.length); // not even a resend that Lark's uuid would have absorbed

    // timestamps are the platform's: a window 100 ms shorter allows for the time a request takes to get there
    const window = (ms: number) => ms - 100;
    for (const chat of chats) expect(mostWithin(sent.filter((m) => m.chatId === chat).map((m) => m.at), window(LARK_LIMITS.perChat.periodMs)), chat).toBeLessThanOrEqual(LARK_LIMITS.perChat.count);
    for (const rate of LARK_LIMITS.perApp) expect(mostWithin(sent.map((m) => m.at), window(rate.periodMs))).toBeLessThanOrEqual(rate.count);
    // fifteen to the first chat at 5 a second: three seconds' worth, whichever isolate sent them
    const first = sent.filter((m) => m.chatId === chats[0]).map((m) => m.at);
    expect(first.length).toBe(15);
    expect(first[14] - first[0]).toBeGreaterThanOrEqual(1900);
  });
});

describe("Lark's 429 (“slow down until…”) holds for every isolate", () => {
  it('after one invocation meets a 429, no other sends before its reset; then all goes out once', async () => {
    const [a, b] = ['oc_429_a', 'oc_429_b'];
    const posts = () => h.fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && [a, b].includes(String((c.body as { receive_id?: string }).receive_id)));
    h.fake.rateLimitResetSeconds = 2;
    h.fake.failNext(1, '429');
    try {
      await h.store.enqueueOutgoing([{ chatId: a, kind: 'text', payload: { text: '第一条' }, uuid: crypto.randomUUID() }], Date.now());
      await h.scheduled(Date.now());
      const refused = posts();
      expect(refused.map((c) => c.status)).toEqual([429]);
      // another invocation (a new sender, as in another isolate) with a message for another chat
      await h.store.enqueueOutgoing([{ chatId: b, kind: 'text', payload: { text: '第二条' }, uuid: crypto.randomUUID() }], Date.now());
      await h.scheduled(Date.now());
      await h.settled();
      const after = posts().slice(1);
      expect(after.map((c) => c.status)).toEqual([200, 200]);
      // the platform's clock: nothing arrived before the reset (100 ms allow for the trip there)
      for (const c of after) expect(c.at - refused[0].at).toBeGreaterThanOrEqual(2000 - 100);
      expect((await to(a)).length + (await to(b)).length).toBe(2);
    } finally {
      h.fake.rateLimitResetSeconds = 1;
    }
  });
});

describe('a file sent to the chat (the import), downloaded inside workerd over fetch', () => {
  const chat = 'oc_file';
  /** The texts the Worker sent to the chat after posting `event`. */
  async function post(event: ReturnType<typeof say>): Promise<string> {
    const before = new Set((await to(chat)).map((m) => m.messageId));
    expect((await h.side.post(event)).status).toBe(200);
    await h.settled();
    return (await to(chat)).filter((m) => !before.has(m.messageId) && m.msgType === 'text').map((m) => JSON.parse(m.content).text as string).join('\n');
  }
  function sendFile(messageId: string, fileKey: string, fileName: string, bytes: Uint8Array) {
    h.fake.resources.set(`${messageId}/${fileKey}`, bytes);
    return post(h.side.messageEvent({ chatId: chat, senderId: 'ou_zhang', messageId, messageType: 'file', content: JSON.stringify({ file_key: fileKey, file_name: fileName }) }));
  }

  it('reads a Word file byte for byte through the message-resource call and applies it on 确认', async () => {
    const [form] = await buildSeed();
    await post(say(chat, '新建评价 行政综合性经费 2024'));
    expect(await sendFile('om_wfile_1', 'file_v3_w1', form.fileName, form.bytes)).toContain(`已读取“${form.fileName}”（Word）`);
    const call = h.fake.calls.find((c) => c.path === '/open-apis/im/v1/messages/om_wfile_1/resources/file_v3_w1');
    expect(call).toMatchObject({ status: 200, query: { type: 'file' } });
    expect(await post(say(chat, '确认'))).toMatch(/已从“.*”导入\d+项答案/);
    const ev = (await h.store.findEvaluationByChat(chat))!;
    expect((await h.store.getAnswers(ev.id))['lineItems[0].budget']).toBe(273.45);
  });

  it('stops reading a file over the limit and says how large it is', async () => {
    expect(await sendFile('om_wfile_2', 'file_v3_w2', '大.docx', new Uint8Array(11 * 1024 * 1024))).toContain('“大.docx”有 11.0 MB，超过了导入上限 10.0 MB');
  });
});
