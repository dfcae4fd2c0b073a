// The lease that lets one Worker isolate at a time send the outbox, on both drivers,
// and the last minute's sends that a new sender paces itself by.
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/store/index';
import { storePerTest } from '../store/helpers';

describe.each<Driver>(['sqlite', 'd1'])('leases (%s)', (driver) => {
  const o = storePerTest(driver);

  it('one holder at a time; renewable by its holder; free again when released or expired', async () => {
    expect(await o.store.acquireLease('outbox', 'a', 1_000, 30_000)).toBe(true);
    expect(await o.store.acquireLease('outbox', 'b', 2_000, 30_000)).toBe(false);
    expect(await o.store.acquireLease('outbox', 'a', 20_000, 30_000)).toBe(true); // renewed until 50,000
    expect(await o.store.acquireLease('outbox', 'b', 40_000, 30_000)).toBe(false);
    expect(await o.store.acquireLease('outbox', 'b', 50_001, 30_000)).toBe(true); // a cut-off holder blocks no longer
    await o.store.releaseLease('outbox', 'a'); // not a's any more: changes nothing
    expect(await o.store.acquireLease('outbox', 'c', 50_002, 30_000)).toBe(false);
    await o.store.releaseLease('outbox', 'b');
    expect(await o.store.acquireLease('outbox', 'c', 50_003, 30_000)).toBe(true);
    expect(await o.store.acquireLease('scheduler', 'a', 50_003, 30_000)).toBe(true); // leases are per job
  });

  it('of many racing for a free lease, exactly one wins', async () => {
    const won = await Promise.all(Array.from({ length: 8 }, (_, i) => o.store.acquireLease('outbox', `h${i}`, 1_000, 30_000)));
    expect(won.filter(Boolean).length).toBe(1);
  });

  it('lists the sends since a time, oldest first, whoever made them', async () => {
    const ids = await o.store.enqueueOutgoing(
      ['oc_1', 'oc_2', 'oc_1', 'oc_3'].map((chatId, i) => ({ chatId, kind: 'text' as const, payload: { text: String(i) }, uuid: `u${i}` })),
      0,
    );
    await o.store.markSent(ids[2], 'om_c', 5_000);
    await o.store.markSent(ids[0], 'om_a', 3_000);
    await o.store.markSent(ids[1], 'om_b', 1_000);
    await o.store.markFailed(ids[3], 'bad');
    expect(await o.store.recentSends(2_000)).toEqual([
      { chatId: 'oc_1', at: 3_000 },
      { chatId: 'oc_1', at: 5_000 },
    ]);
  });
});
