// Stopping the Node runtime with a backlog: it takes seconds, not the minutes that
// sending everything at Lark's pace would take, and nothing unsent is lost.
import { expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { startLarkRuntime } from '../../src/runtime/node/larkRuntime';
import { openSqlite } from '../../src/store/sqlite';
import { startFakeLark } from '../lark/fakeLark';
import { APP_ID, ENCRYPT_KEY, quietLogger, tempDb, VERIFICATION_TOKEN } from '../lark/harness';

it('stops within 5 seconds with 600 messages queued (12 s at 50/s); the unsent stay queued for the next start', async () => {
  const fake = await startFakeLark();
  const db = tempDb();
  const env = {
    larkAppId: APP_ID,
    larkAppSecret: 'secret-secret',
    larkEncryptKey: ENCRYPT_KEY,
    larkVerificationToken: VERIFICATION_TOKEN,
    larkDomain: fake.url,
    larkMode: 'webhook' as const,
    port: 0,
    dbPath: db.file,
    adminOpenIds: [],
  };
  const running = await startLarkRuntime({ env, createBot, logger: quietLogger, quietSdk: true, senderIntervalMs: 50 });
  const items = Array.from({ length: 600 }, (_, i) => ({ chatId: `oc_${i % 300}`, kind: 'text' as const, payload: { text: `提醒 ${i}` }, uuid: `stop-${i}` }));
  await running.store.enqueueOutgoing(items, Date.now());
  const t0 = Date.now();
  await running.stop();
  const took = Date.now() - t0;
  expect(took).toBeLessThan(5000);
  const sent = fake.messages.length;
  expect(sent).toBeGreaterThan(0);
  expect(sent).toBeLessThan(600);
  const after = openSqlite(db.file);
  expect(await after.store.pendingCount()).toBe(600 - sent);
  after.close();
  // the next start sends the rest
  const again = await startLarkRuntime({ env, createBot, logger: quietLogger, quietSdk: true, senderIntervalMs: 50 });
  await again.stop();
  expect(new Set(fake.messages.map((m) => m.uuid)).size).toBe(fake.messages.length); // nothing twice
  await fake.close();
  db.cleanup();
}, 20_000);
