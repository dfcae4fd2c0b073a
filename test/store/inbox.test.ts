// The inbox: messages kept from before Lark is answered until their replies are queued.
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/store/index';
import { failure, storePerTest } from './helpers';

describe.each<Driver>(['sqlite', 'd1'])('inbox (%s)', (driver) => {
  const o = storePerTest(driver);
  const reply = (uuid: string) => ({ chatId: 'oc_1', kind: 'text' as const, payload: { text: '好' }, uuid });

  it('keeps a message once, lists it until completed, and completes it with its replies in one write', async () => {
    expect(await o.store.receiveInbound('message:om_1', { text: '273.45' }, 1)).toBe(true);
    expect(await o.store.receiveInbound('message:om_1', { text: '273.45' }, 2)).toBe(false);
    expect(await o.store.pendingInbound()).toEqual([{ key: 'message:om_1', payload: { text: '273.45' }, receivedAt: 1 }]);
    await o.store.completeInbound('message:om_1', [reply('u1'), reply('u2')], 3);
    expect(await o.store.pendingInbound()).toEqual([]);
    expect((await o.store.dueOutgoing(10, 10)).map((r) => r.uuid)).toEqual(['u1', 'u2']);
  });

  it('a failed completion queues nothing and leaves the message pending', async () => {
    await o.store.enqueueOutgoing([reply('taken')], 1);
    await o.store.receiveInbound('message:om_2', { text: 'x' }, 1);
    expect(await failure(o.store.completeInbound('message:om_2', [reply('fresh'), reply('taken')], 2))).toMatch(/UNIQUE/);
    expect((await o.store.pendingInbound()).map((r) => r.key)).toEqual(['message:om_2']);
    expect((await o.store.dueOutgoing(10, 10)).map((r) => r.uuid)).toEqual(['taken']);
  });
});
