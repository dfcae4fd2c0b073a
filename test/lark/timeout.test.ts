// The SDK's axios instance has no timeout of its own: one request the platform never
// answers used to stall the outbox until a restart. Every call now gives up, and the
// send is retried (its uuid makes that safe).
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../src/channels/lark/client';
import { FakeBot } from './fakeBot';
import { BOT_OPEN_ID, startHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a send the platform never answers times out, is retried, and arrives once', async () => {
  expect(DEFAULT_TIMEOUT_MS).toBeGreaterThan(0);
  h = await startHarness(new FakeBot(), { clientTimeoutMs: 300, sender: { sleep: async () => {}, baseBackoffMs: 1, maxBackoffMs: 1 } });
  await h.side.post(h.side.messageEvent({ chatId: 'oc_hang', senderId: 'ou_a', text: '你好', mentionBot: { openId: BOT_OPEN_ID } }));
  await h.app.idle();
  h.fake.failNext(1, 'hang');
  const started = Date.now();
  const first = await h.sender.drain();
  expect(Date.now() - started).toBeLessThan(5000); // not stalled
  expect(first).toMatchObject({ sent: 0, retried: 1 });
  await new Promise((r) => setTimeout(r, 20));
  let sent = 0;
  for (let i = 0; i < 20 && sent === 0; i++) {
    sent = (await h.sender.drain()).sent;
    if (!sent) await new Promise((r) => setTimeout(r, 20));
  }
  expect(sent).toBe(1);
  expect(h.fake.messages).toHaveLength(1);
});
