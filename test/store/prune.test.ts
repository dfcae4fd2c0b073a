// Storage stays bounded: dedupe keys, finished inbox entries and sent rows past their
// retention are deleted; pending work and everything users entered stays. Both drivers.
import { describe, expect, it } from 'vitest';
import { RETENTION, type Driver } from '../../src/store';
import { alice, newEvaluation, storePerTest } from './helpers';

const DAY = 24 * 3600_000;
const now = Date.UTC(2025, 4, 31);
const old = now - 8 * DAY; // past the 7 days dedupe keys are kept
const recent = now - 6 * 3600_000; // within Lark's redelivery window (up to ~6 h)

describe.each<Driver>(['sqlite', 'd1'])('pruning (%s)', (driver) => {
  const o = storePerTest(driver);

  it('deletes old dedupe keys, finished inbox entries and sent rows, in batches; keeps the rest', async () => {
    const { store, raw } = o;
    const ev = await newEvaluation(store);
    await store.applyAnswers(ev.id, [{ path: 'x', value: 1 }], alice, { now: old, via: 'text' });
    const insertKey = raw.prepare('insert into handled_events (key, at) values (?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < 1200; i++) insertKey.run(`event:old-${i}`, old);
    })();
    await store.markHandled('event:recent', recent);
    await store.receiveInbound('message:old-done', {}, old);
    await store.completeInbound('message:old-done', [], old);
    await store.receiveInbound('message:old-open', {}, old); // never finished: kept for recovery
    await store.receiveInbound('message:recent-done', {}, recent);
    await store.completeInbound('message:recent-done', [], recent);
    const [sentOld, sentRecent, pending, failedOld] = await store.enqueueOutgoing(
      ['a', 'b', 'c', 'd'].map((u) => ({ chatId: 'oc_1', kind: 'text' as const, payload: { text: u }, uuid: u })),
      old - 30 * DAY,
    );
    await store.markSent(sentOld, null, old);
    await store.markSent(sentRecent, null, recent);
    await store.markFailed(failedOld, 'HTTP 400');

    const removed = await store.pruneOld(now);
    expect(removed).toEqual({ handled_events: 1200, inbox: 1, outbox: 2 });
    const keys = (raw.prepare('select key from handled_events').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toEqual(['event:recent']);
    expect((raw.prepare('select key from inbox order by key').all() as { key: string }[]).map((r) => r.key)).toEqual(['message:old-open', 'message:recent-done']);
    expect((raw.prepare('select id from outbox order by id').all() as { id: number }[]).map((r) => r.id)).toEqual([sentRecent, pending]);
    // answers and their history are never pruned
    expect(await store.getAnswers(ev.id)).toEqual({ x: 1 });
    expect(await store.getHistory(ev.id)).toHaveLength(1);
    // dedupe still works for what is kept
    expect(await store.markHandled('event:recent', now)).toBe(false);
    expect(RETENTION.dedupeMs).toBeGreaterThan(6 * 3600_000);
  });
});
