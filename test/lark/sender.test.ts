// The outbox worker against the fake platform through the real SDK client:
// retries, idempotent resends, rate limits, restarts, pacing.
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkClient, silentLogger } from '../../src/channels/lark/client';
import { mostInAnyWindow } from './sendWindows';
import { classifyError, createSender } from '../../src/channels/lark/sender';
import { openSqlite } from '../../src/store/sqlite';
import { FakeBot } from './fakeBot';
import { startFakeLark, type FakeLark } from './fakeLark';
import { APP_ID, quietLogger, startHarness, tempDb, type Harness } from './harness';

/** A clock the test moves; the sender's pacing sleeps move it too. */
function fakeClock(start = Date.UTC(2025, 2, 1, 2, 0, 0)) {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const rows = (x: Harness) => x.opened.db.$client.prepare('SELECT id, chat_id, status, attempts, next_attempt_at, last_error, uuid FROM outbox ORDER BY id').all() as {
  id: number;
  chat_id: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  uuid: string;
}[];

/** n events; with `reports`, every tenth asks for a report (a text and a file). */
async function queueMessages(x: Harness, n: number, chats: string[], reports = false) {
  for (let i = 0; i < n; i++) {
    await x.side.post(x.side.messageEvent({ chatId: chats[i % chats.length], senderId: 'ou_alice', text: reports && i % 10 === 0 ? '生成报告' : `消息 ${i}` }));
  }
  await x.app.idle();
}

/** Drain, move the clock past any backoff, repeat until nothing is pending. */
async function drainAll(x: Harness, clock: ReturnType<typeof fakeClock>, maxRounds = 50) {
  for (let round = 0; round < maxRounds && (await x.opened.store.pendingCount()) > 0; round++) {
    await x.sender.drain();
    clock.t += 61_000;
  }
}

describe('sender', () => {
  it('delivers every reply exactly once while a third of the sends fail', async () => {
    const clock = fakeClock();
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep } });
    h.fake.failRatio(0.33, ['5xx', 'lost', '230020', '429'], 7);
    await queueMessages(h, 60, ['oc_a', 'oc_b', 'oc_c'], true);
    const queued = rows(h);
    expect(queued.length).toBe(66); // 6 reports add a file each
    await drainAll(h, clock);
    const after = rows(h);
    expect(after.every((r) => r.status === 'sent')).toBe(true);
    expect(after.some((r) => r.attempts > 0)).toBe(true); // failures did happen
    const counts = h.fake.countByUuid();
    expect(counts.size).toBe(66);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(h.fake.messages.map((m) => m.uuid))).toEqual(new Set(queued.map((r) => r.uuid)));
    // 'lost' answers made the sender resend calls the platform had already done
    const sendCalls = h.fake.calls.filter((c) => c.path.startsWith('/open-apis/im/v1/messages')).length;
    expect(sendCalls).toBeGreaterThan(66);
    // each chat's messages arrived in the order they were queued
    for (const chat of ['oc_a', 'oc_b', 'oc_c']) {
      const order = h.fake.messages.filter((m) => m.chatId === chat || queued.find((r) => r.uuid === m.uuid)?.chat_id === chat).map((m) => m.uuid);
      expect(order).toEqual(queued.filter((r) => r.chat_id === chat).map((r) => r.uuid));
    }
  });

  it('waits as x-ogw-ratelimit-reset says after a 429', async () => {
    const clock = fakeClock();
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep } });
    h.fake.rateLimitResetSeconds = 3;
    h.fake.failNext(1, '429');
    await queueMessages(h, 2, ['oc_a', 'oc_b']);
    const t0 = clock.t;
    expect(await h.sender.drain()).toEqual({ sent: 0, retried: 1, failed: 0 }); // the app is blocked: oc_b waits too
    expect(rows(h)[0]).toMatchObject({ next_attempt_at: t0 + 3000, attempts: 1 });
    expect(rows(h)[0].last_error).toContain('429');
    clock.t = t0 + 2999;
    expect((await h.sender.drain()).sent).toBe(0);
    clock.t = t0 + 3000;
    expect(await h.sender.drain()).toEqual({ sent: 2, retried: 0, failed: 0 });
  });

  it('retries 5xx and 230020 with growing delays, capped, and gives up after 10 tries', async () => {
    const clock = fakeClock();
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep, random: () => 0.5 } });
    h.fake.failNext(30, '5xx');
    await queueMessages(h, 1, ['oc_a']);
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const before = clock.t;
      await h.sender.drain();
      const r = rows(h)[0];
      if (r.status !== 'pending') break;
      delays.push(r.next_attempt_at - before);
      clock.t = r.next_attempt_at;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(rows(h)[0]).toMatchObject({ status: 'failed', attempts: 10 });
    expect(h.fake.messages).toHaveLength(0);

    h.fake.failNext(1, '230020');
    await queueMessages(h, 1, ['oc_b']);
    expect((await h.sender.drain()).retried).toBe(1);
  });

  it('fails other 4xx at once, keeping the error', async () => {
    h = await startHarness(new FakeBot(), { sender: {} });
    h.fake.failNext(1, '230002');
    await queueMessages(h, 1, ['oc_a']);
    expect(await h.sender.drain()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(rows(h)[0]).toMatchObject({ status: 'failed' });
    expect(rows(h)[0].last_error).toContain('230002');
  });

  it('paces sends: 5 per second per chat, 50 per second per app', async () => {
    const clock = fakeClock();
    const fake = await startFakeLark({ now: clock.now });
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep }, fake });
    await queueMessages(h, 12, ['oc_one'], true);
    const start = clock.t;
    await h.sender.drain();
    const times = fake.messages.filter((m) => m.msgType === 'text').map((m) => m.at - start);
    // 12 sends (2 reports add files): a burst of 5, then one every 200 ms
    expect(fake.messages.length).toBe(14);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(1600);
    await fake.close();
  });

  it('paces a burst across many chats at 50 per second', async () => {
    const clock = fakeClock();
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep } });
    const chats = Array.from({ length: 40 }, (_, i) => `oc_${i}`);
    for (let i = 0; i < 120; i++) await h.side.post(h.side.messageEvent({ chatId: chats[i % 40], senderId: 'ou_a', text: `x${i}` }));
    await h.app.idle();
    const start = clock.t;
    await h.sender.drain();
    expect(h.fake.messages).toHaveLength(120);
    expect(clock.t - start).toBeGreaterThanOrEqual(1400 - 20); // 50 at once, then 70 at 50/s
  });

  it('a burst to 1,000 chats never puts more than 50 in any second or 1,000 in any minute, the first second included', async () => {
    const clock = fakeClock();
    const fake = await startFakeLark({ now: clock.now });
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep }, fake });
    const items = Array.from({ length: 1010 }, (_, i) => ({ chatId: `oc_${i % 1000}`, kind: 'text' as const, payload: { text: `提醒 ${i}` }, uuid: `r-${i}` }));
    await h.opened.store.enqueueOutgoing(items, clock.t);
    const start = clock.t;
    expect(await h.sender.drain()).toEqual({ sent: 1010, retried: 0, failed: 0 });
    const times = fake.messages.map((m) => m.at).sort((a, b) => a - b);
    const most = (periodMs: number) => mostInAnyWindow(times, periodMs);
    expect(times.filter((t) => t < start + 1000)).toHaveLength(50);
    expect(most(1000)).toBe(50);
    expect(most(60_000)).toBe(1000);
    // the 1,001st waits until the first leaves the minute
    expect(times[1000] - start).toBeGreaterThanOrEqual(60_000);
    await fake.close();
  });

  it('a reply queued behind a reminder burst goes out first', async () => {
    const clock = fakeClock();
    const fake = await startFakeLark({ now: clock.now });
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep }, fake });
    const reminders = Array.from({ length: 120 }, (_, i) => ({ chatId: `oc_${i}`, kind: 'text' as const, payload: { text: `提醒 ${i}` }, uuid: `rem-${i}` }));
    await h.opened.store.enqueueOutgoing(reminders, clock.t, 'background');
    fake.userMessage('om_user', 'oc_user');
    await h.opened.store.enqueueOutgoing([{ chatId: 'oc_user', kind: 'text', payload: { text: '好的' }, replyTo: 'om_user', uuid: 'reply' }], clock.t);
    const start = clock.t;
    await h.sender.drain();
    const reply = fake.messages.find((m) => m.uuid === 'reply')!;
    expect(fake.messages.indexOf(reply)).toBe(0);
    expect(reply.at - start).toBe(0);
    expect(fake.messages).toHaveLength(121);
    await fake.close();
  });

  it('a chat waiting for a retry does not hold back other chats', async () => {
    const clock = fakeClock();
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep, random: () => 0.5 } });
    const a = Array.from({ length: 30 }, (_, i) => ({ chatId: 'oc_a', kind: 'text' as const, payload: { text: `A${i}` }, uuid: `a-${i}` }));
    await h.opened.store.enqueueOutgoing(a, clock.t);
    await h.opened.store.enqueueOutgoing([{ chatId: 'oc_b', kind: 'text', payload: { text: 'B' }, uuid: 'b-0' }], clock.t);
    h.fake.failNext(1, '5xx'); // A's first message fails: the whole of oc_a waits behind it
    expect(await h.sender.drain()).toEqual({ sent: 1, retried: 1, failed: 0 });
    expect(h.fake.messages.map((m) => m.uuid)).toEqual(['b-0']);
    expect(rows(h).filter((r) => r.status === 'sent').map((r) => r.uuid)).toEqual(['b-0']);
    // once A's retry is due, A goes out whole and in order
    await drainAll(h, clock);
    expect(h.fake.messages.map((m) => m.uuid)).toEqual(['b-0', ...a.map((x) => x.uuid)]);
  });

  it('a chat over its own rate does not hold back other chats', async () => {
    const clock = fakeClock();
    const fake = await startFakeLark({ now: clock.now });
    h = await startHarness(new FakeBot(), { now: clock.now, sender: { sleep: clock.sleep }, fake });
    const a = Array.from({ length: 30 }, (_, i) => ({ chatId: 'oc_a', kind: 'text' as const, payload: { text: `A${i}` }, uuid: `a-${i}` }));
    await h.opened.store.enqueueOutgoing(a, clock.t);
    await h.opened.store.enqueueOutgoing([{ chatId: 'oc_b', kind: 'text', payload: { text: 'B' }, uuid: 'b-0' }], clock.t);
    const start = clock.t;
    expect(await h.sender.drain()).toEqual({ sent: 31, retried: 0, failed: 0 });
    const order = h.fake.messages.map((m) => m.uuid);
    // oc_a's burst of 5 uses its share; oc_b's message goes next instead of after oc_a's 30 (6 s later)
    expect(order.indexOf('b-0')).toBe(5);
    expect(h.fake.messages[5].at - start).toBe(0);
    expect(order.filter((u) => u !== 'b-0')).toEqual(a.map((x) => x.uuid));
    expect(clock.t - start).toBeGreaterThanOrEqual(5000); // oc_a still at 5 per second
    await fake.close();
  });

  it('after a restart, a new sender sends what was left pending', async () => {
    const db = tempDb();
    const fake = await startFakeLark();
    const first = await startHarness(new FakeBot(), { file: db.file, fake });
    await queueMessages(first, 5, ['oc_a'], true);
    expect(await first.opened.store.pendingCount()).toBe(6);
    await first.close(); // closes the DB; nothing was sent
    expect(fake.messages).toHaveLength(0);

    const reopened = openSqlite(db.file);
    const client = createLarkClient({ appId: APP_ID, appSecret: 'secret-secret', domain: fake.url, logger: silentLogger });
    const sender = createSender({ store: reopened.store, client, logger: quietLogger });
    sender.start(50);
    for (let i = 0; i < 100 && (await reopened.store.pendingCount()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await sender.stop();
    expect(await reopened.store.pendingCount()).toBe(0);
    expect(fake.messages).toHaveLength(6);
    reopened.close();
    await fake.close();
    db.cleanup();
  });
});

describe('private messages', () => {
  it("sends 'user:<open_id>' rows with receive_id_type open_id", async () => {
    h = await startHarness(new FakeBot());
    await h.opened.store.enqueueOutgoing([{ chatId: 'user:ou_leader', kind: 'text', payload: { text: '逾期提醒' }, uuid: 'u-private-1' }], Date.now());
    expect((await h.sender.drain()).sent).toBe(1);
    const call = h.fake.calls.find((c) => c.path === '/open-apis/im/v1/messages')!;
    expect(call.query.receive_id_type).toBe('open_id');
    expect((call.body as { receive_id: string }).receive_id).toBe('ou_leader');
    expect(h.fake.messages[0].chatId).toBe('user:ou_leader');
  });
});

describe('classifyError', () => {
  it('sorts errors into retry and give-up', () => {
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ retry: true });
    expect(classifyError({ response: { status: 502, data: {} } })).toMatchObject({ retry: true });
    expect(classifyError({ response: { status: 429, headers: { 'x-ogw-ratelimit-reset': '7' }, data: { code: 99991400 } } })).toMatchObject({ retry: true, afterMs: 7000 });
    expect(classifyError({ response: { status: 400, data: { code: 230020 } } })).toMatchObject({ retry: true });
    expect(classifyError({ response: { status: 400, data: { code: 230001, msg: 'bad' } } })).toEqual({ retry: false, error: 'HTTP 400 code 230001: bad' });
  });
});
