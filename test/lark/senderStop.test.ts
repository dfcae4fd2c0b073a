// stop() ends a pacing wait at once: at Lark's 1,000 messages a minute the sender may be
// waiting most of a minute for room, and shutdown has 5 seconds.
import { afterEach, expect, it } from 'vitest';
import { createLiteClient } from '../../src/channels/lark/lite';
import { createSender } from '../../src/channels/lark/sender';
import { openSqlite } from '../../src/store/sqlite';
import { startFakeLark, type FakeLark } from './fakeLark';
import { APP_ID, quietLogger, tempDb } from './harness';

let fake: FakeLark | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

it('stops within moments while waiting for the per-minute limit; the unsent message stays queued', async () => {
  fake = await startFakeLark();
  const db = tempDb();
  const opened = openSqlite(db.file);
  try {
    const client = createLiteClient({ appId: APP_ID, appSecret: 'secret-secret', domain: fake.url });
    // one message a minute for the app: the second has to wait ~60 s
    const sender = createSender({ store: opened.store, client, logger: quietLogger, limits: { perChat: { count: 5, periodMs: 1000 }, perApp: [{ count: 1, periodMs: 60_000 }] } });
    await opened.store.enqueueOutgoing(
      [
        { chatId: 'oc_a', kind: 'text', payload: { text: '一' }, uuid: 'stop-1' },
        { chatId: 'oc_b', kind: 'text', payload: { text: '二' }, uuid: 'stop-2' },
      ],
      Date.now(),
    );
    sender.start(50);
    for (let i = 0; i < 100 && fake.messages.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fake.messages).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100)); // now inside the wait
    const t0 = Date.now();
    await sender.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(fake.messages).toHaveLength(1);
    expect(await opened.store.pendingCount()).toBe(1);
  } finally {
    opened.close();
    db.cleanup();
  }
});
