// The receiver thread's own HTTP server, over real sockets: the same checks as the Hono app
// (channels/lark/webhook.ts, tested in depth in test/lark/webhook.test.ts), and the parts that
// are its own: routes, the body limit while a body streams in, health, the answer to a card.
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Envelope } from '../../src/channels/lark/events';
import { openReceipts, receiptsPathFor } from '../../src/runtime/node/receipts';
import { startReceiver, type Receiver } from '../../src/runtime/node/receiver';
import { MAX_BODY_BYTES } from '../../src/channels/lark/webhook';
import { APP_ID, ENCRYPT_KEY, quietLogger, tempDb, VERIFICATION_TOKEN } from '../lark/harness';
import { createLarkSide, type LarkSide } from '../lark/larkSide';

let receiver: Receiver;
let side: LarkSide;
let db: ReturnType<typeof tempDb>;
const handed: Envelope[] = [];
const url = (path: string) => `http://127.0.0.1:${receiver.port}${path}`;

beforeAll(async () => {
  db = tempDb();
  const core = {
    async handleEvent(envelope: Envelope) {
      handed.push(envelope);
      // a card callback is answered with what the bot returns
      return envelope.header?.event_type === 'card.action.trigger' ? { toast: { type: 'success', content: '已保存' } } : {};
    },
  };
  receiver = await startReceiver(core, { receiptsPath: receiptsPathFor(db.file), port: 0, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN }, quietLogger);
  side = createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, appId: APP_ID, send: (path, init) => fetch(url(path), init) });
});

afterAll(async () => {
  await receiver?.stop();
  db?.cleanup();
});

const settle = async (n: number) => {
  for (let i = 0; i < 200 && handed.length < n; i++) await new Promise((r) => setTimeout(r, 10));
};

it('a message is kept, answered with {} and handed to the bot; the receipt is forgotten after', async () => {
  const res = await side.post(side.messageEvent({ chatId: 'oc_h', senderId: 'ou_h', text: '进度', messageId: 'om_h1' }));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({});
  await settle(1);
  expect((handed[0].event as { message: { message_id: string } }).message.message_id).toBe('om_h1');
  await new Promise((r) => setTimeout(r, 100));
  const receipts = openReceipts(receiptsPathFor(db.file));
  expect(receipts.all()).toEqual([]);
  receipts.close();
});

it('a card callback waits for the bot and carries its answer', async () => {
  const res = await side.post(side.cardAction({ chatId: 'oc_h', operatorId: 'ou_h', value: { action: 'save' } }));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ toast: { type: 'success', content: '已保存' } });
});

it('the challenge is answered; forged, unsigned, stale and malformed requests are refused and never handed over', async () => {
  expect(await (await side.post(side.challenge('c-9'), { sign: false })).json()).toEqual({ challenge: 'c-9' });
  const before = handed.length;
  const event = () => side.messageEvent({ chatId: 'oc_h', senderId: 'ou_x', text: '伪造' });
  expect((await side.forge.badSignature(event())).status).toBe(401);
  expect((await side.forge.noSignature(event())).status).toBe(401);
  expect((await side.forge.stale(event())).status).toBe(401);
  expect((await side.forge.tampered(event())).status).toBe(401);
  expect((await side.forge.wrongToken((token) => side.messageEvent({ chatId: 'oc_h', senderId: 'ou_x', text: '伪造' }, token))).status).toBe(401);
  expect((await side.forge.malformedJson()).status).toBe(400);
  expect((await side.forge.garbageEncrypt()).status).toBe(400);
  await new Promise((r) => setTimeout(r, 50));
  expect(handed.length).toBe(before);
});

it('other paths and methods get 404; health says ok', async () => {
  expect((await fetch(url('/lark/other'), { method: 'POST', body: '{}' })).status).toBe(404);
  expect((await fetch(url('/lark/events'))).status).toBe(404);
  const health = await fetch(url('/healthz'));
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
});

/**
 * Sends `bytes` of a body and then waits, without ending it, for the answer: a server that read
 * bodies to their end before judging them would never answer. The status, or 0 after `waitMs`.
 */
function postUnfinished(bytes: number, headers: Record<string, string>, waitMs = 5000): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  return new Promise((resolve, reject) => {
    const req = request(url('/lark/events'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      res.resume();
      res.on('end', () => req.destroy()); // the rest of the body is never sent
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(0);
    }, waitMs);
    req.on('error', (e) => reject(e));
    for (let written = 0; written < bytes; written += chunk.length) req.write(chunk);
  });
}

it('a body over the limit is refused with 413 while it streams in, without reading it all', async () => {
  const before = handed.length;
  // refused by its declared length, before the body is read
  expect(await postUnfinished(64 * 1024, { 'content-length': String(MAX_BODY_BYTES + 64 * 1024) })).toBe(413);
  // no declared length: refused once the limit is passed, though the body has not ended
  expect(await postUnfinished(MAX_BODY_BYTES + 128 * 1024, { 'transfer-encoding': 'chunked' })).toBe(413);
  // a body under the limit that has not ended is not judged yet
  expect(await postUnfinished(64 * 1024, { 'transfer-encoding': 'chunked' }, 1000)).toBe(0);
  await new Promise((r) => setTimeout(r, 50));
  expect(handed.length).toBe(before); // nothing was handed over
}, 15_000);
