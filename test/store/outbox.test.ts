// Outbox, event dedupe and reminder keys, on both drivers.
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/store/index';
import { failure, newEvaluation, storePerTest } from './helpers';

describe.each<Driver>(['sqlite', 'd1'])('outbox and dedupe (%s)', (driver) => {
  const o = storePerTest(driver);

  const item = (uuid: string, text = uuid) => ({ chatId: 'oc_1', kind: 'text' as const, payload: { text }, uuid });

  it('queues in order, retries later, and forgets sent and failed items', async () => {
    const ids = await o.store.enqueueOutgoing([item('u1'), { ...item('u2'), replyTo: 'om_9' }, item('u3')], 100);
    expect(ids).toHaveLength(3);
    expect(ids[0] < ids[1] && ids[1] < ids[2]).toBe(true);
    expect(await o.store.dueOutgoing(99, 10)).toEqual([]); // not due before it was queued
    const due = await o.store.dueOutgoing(100, 10);
    expect(due.map((r) => r.uuid)).toEqual(['u1', 'u2', 'u3']);
    expect(due[1]).toMatchObject({ id: ids[1], payload: { text: 'u2' }, replyTo: 'om_9', status: 'pending', attempts: 0 });
    expect((await o.store.dueOutgoing(100, 2)).map((r) => r.uuid)).toEqual(['u1', 'u2']);

    await o.store.markRetry(ids[0], 500, 'HTTP 502');
    // u1 waits for its retry, and the chat's later items wait behind it
    expect(await o.store.dueOutgoing(200, 10)).toEqual([]);
    const retried = await o.store.dueOutgoing(500, 10);
    expect(retried.map((r) => r.uuid)).toEqual(['u1', 'u2', 'u3']); // oldest first, even after a retry
    expect(retried[0]).toMatchObject({ attempts: 1, lastError: 'HTTP 502', nextAttemptAt: 500 });
    await o.store.markRetry(ids[0], 600, 'timeout');
    expect((await o.store.getOutgoing(ids[0]))!.attempts).toBe(2);

    await o.store.markSent(ids[1], 'om_sent', 700);
    await o.store.markFailed(ids[2], 'chat not found');
    expect(await o.store.getOutgoing(ids[1])).toMatchObject({ status: 'sent', sentMessageId: 'om_sent', sentAt: 700 });
    expect(await o.store.getOutgoing(ids[2])).toMatchObject({ status: 'failed', lastError: 'chat not found', attempts: 1 });
    expect((await o.store.dueOutgoing(10_000, 10)).map((r) => r.uuid)).toEqual(['u1']);
    expect(await o.store.pendingCount()).toBe(1);
  });

  it("a chat waiting for a retry holds back only its own later items", async () => {
    const a = Array.from({ length: 30 }, (_, i) => ({ ...item(`a${i}`), chatId: 'oc_a' }));
    const ids = await o.store.enqueueOutgoing([...a, { ...item('b0'), chatId: 'oc_b' }, { ...item('c0'), chatId: 'oc_c' }], 100);
    expect((await o.store.dueOutgoing(100, 20)).map((r) => r.uuid)).toEqual(a.slice(0, 20).map((i) => i.uuid));
    await o.store.markRetry(ids[0], 1000, 'HTTP 502');
    // none of oc_a's rows fills the batch while a0 waits; oc_b and oc_c come through
    expect((await o.store.dueOutgoing(200, 20)).map((r) => r.uuid)).toEqual(['b0', 'c0']);
    expect((await o.store.dueOutgoing(200, 1)).map((r) => r.uuid)).toEqual(['b0']);
    // a failed or sent earlier item holds nothing back
    await o.store.markFailed(ids[0], 'gone');
    expect((await o.store.dueOutgoing(200, 2)).map((r) => r.uuid)).toEqual(['a1', 'a2']);
    // chats the caller holds back are left out, however many
    const many = [...Array.from({ length: 150 }, (_, i) => `oc_x${i}`), 'oc_a'];
    expect((await o.store.dueOutgoing(200, 20, { excludeChats: many })).map((r) => r.uuid)).toEqual(['b0', 'c0']);
    expect((await o.store.dueOutgoing(200, 20, { excludeChats: new Set(['oc_a', 'oc_b']) })).map((r) => r.uuid)).toEqual(['c0']);
    expect((await o.store.dueOutgoing(200, 20, { excludeChats: [] })).length).toBe(20);
    // a retry that is due again comes first, in its place
    await o.store.markRetry(ids[1], 300, 'HTTP 502');
    expect((await o.store.dueOutgoing(299, 3)).map((r) => r.uuid)).toEqual(['b0', 'c0']);
    expect((await o.store.dueOutgoing(300, 3)).map((r) => r.uuid)).toEqual(['a1', 'a2', 'a3']);
  });

  it('payloads round-trip as JSON, whatever their shape', async () => {
    const payloads = [{ card: { elements: [{ tag: 'div', text: '进度 3/10' }] } }, '纯文本', 42, null, [1, 'a']];
    const ids = await o.store.enqueueOutgoing(payloads.map((payload, i) => ({ ...item(`p${i}`), payload })), 1);
    expect((await o.store.dueOutgoing(1, 10)).map((r) => r.payload)).toEqual(payloads);
    expect((await o.store.getOutgoing(ids[0]))!.payload).toEqual(payloads[0]);
  });

  it('a duplicate uuid in a batch queues none of it', async () => {
    await o.store.enqueueOutgoing([item('dup')], 1);
    expect(await failure(o.store.enqueueOutgoing([item('new1'), item('dup'), item('new2')], 2))).toMatch(/UNIQUE/);
    expect((await o.store.dueOutgoing(10, 10)).map((r) => r.uuid)).toEqual(['dup']);
    expect(await o.store.pendingCount()).toBe(1);
  });

  it('large batches are queued whole or not at all', async () => {
    const items = Array.from({ length: 40 }, (_, i) => item(`b${i}`));
    const ids = await o.store.enqueueOutgoing(items, 1);
    expect(new Set(ids).size).toBe(40);
    expect((await o.store.dueOutgoing(1, 100)).map((r) => r.uuid)).toEqual(items.map((i) => i.uuid));
    // The duplicate sits in the last chunk: the earlier chunks must not stay behind.
    const again = [...Array.from({ length: 39 }, (_, i) => item(`c${i}`)), item('b0')];
    expect(await failure(o.store.enqueueOutgoing(again, 2))).toMatch(/UNIQUE/);
    expect(await o.store.pendingCount()).toBe(40);
  });

  it('markHandled is true once per key, also when racing', async () => {
    expect(await o.store.markHandled('message:om_1', 1)).toBe(true);
    expect(await o.store.markHandled('message:om_1', 2)).toBe(false);
    expect(await o.store.wasHandled('message:om_1')).toBe(true);
    expect(await o.store.wasHandled('message:om_2')).toBe(false);
    const race = await Promise.all(Array.from({ length: 8 }, (_, i) => o.store.markHandled('event:e1', i)));
    expect(race.filter(Boolean)).toHaveLength(1);
  });

  it('markReminderSent is true once per key', async () => {
    const ev = await newEvaluation(o.store);
    const key = `${ev.id}:deadline-3:2024-06-27`;
    expect(await o.store.wasReminderSent(key)).toBe(false);
    const race = await Promise.all([1, 2, 3].map((n) => o.store.markReminderSent(key, ev.id, n)));
    expect(race.filter(Boolean)).toHaveLength(1);
    expect(await o.store.wasReminderSent(key)).toBe(true);
    expect(await o.store.markReminderSent(`${ev.id}:deadline-1:2024-06-29`, ev.id, 4)).toBe(true);
  });
});
