// The webhook's own thread: Lark is answered while the bot's thread is busy, what was kept
// before a start is handed to the bot once, and a thread that dies is started again.
import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import type { Envelope } from '../../src/channels/lark/events';
import type { Bot } from '../../src/conversation/types';
import { startLarkRuntime, type RunningBot } from '../../src/runtime/node/larkRuntime';
import { openReceipts, receiptsPathFor } from '../../src/runtime/node/receipts';
import { startReceiver } from '../../src/runtime/node/receiver';
import { startFakeLark, type FakeLark } from '../lark/fakeLark';
import { APP_ID, ENCRYPT_KEY, quietLogger, tempDb, VERIFICATION_TOKEN } from '../lark/harness';
import { createLarkSide } from '../lark/larkSide';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtime(createBotFor: typeof createBot, fake: FakeLark, file: string): Promise<RunningBot> {
  const env = { larkAppId: APP_ID, larkAppSecret: 'secret-secret', larkEncryptKey: ENCRYPT_KEY, larkVerificationToken: VERIFICATION_TOKEN, larkDomain: fake.url, larkMode: 'webhook' as const, port: 0, dbPath: file, adminOpenIds: [] };
  return startLarkRuntime({ env, createBot: createBotFor, logger: quietLogger, quietSdk: true, senderIntervalMs: 20 });
}

const sideFor = (port: number, fake?: FakeLark) =>
  createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, appId: APP_ID, send: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init), ...(fake ? { platform: fake } : {}) });

/** Posts from another process after `delayMs`, so the answer is timed by a clock this thread's stalls cannot hold. */
function postFromOutside(url: string, request: { raw: string; headers: Record<string, string> }, delayMs: number): Promise<{ status: number; endedAt: number }> {
  const script = `const r = JSON.parse(process.env.REQ);
    setTimeout(async () => {
      const res = await fetch(process.env.URL, { method: 'POST', headers: r.headers, body: r.raw });
      await res.text();
      console.log(JSON.stringify({ status: res.status, endedAt: Date.now() }));
    }, ${delayMs});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, REQ: JSON.stringify(request), URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`poster exited with ${code}`))));
  });
}

it("answers Lark while the bot's thread is busy, and the message is handled after", async () => {
  const fake = await startFakeLark();
  const db = tempDb();
  cleanups.push(() => fake.close(), () => db.cleanup());
  let busy: { from: number; to: number } | undefined;
  // a bot that holds its thread for 2 s on one message, as a slow document or a long GC would
  const slowBot: typeof createBot = (deps) => {
    const bot = createBot(deps);
    return {
      ...bot,
      handle: (input, inbound) => {
        if (input.message.type === 'text' && input.message.text === '慢') {
          const from = Date.now();
          while (Date.now() - from < 2000);
          busy = { from, to: Date.now() };
        }
        return bot.handle(input, inbound);
      },
    } satisfies Bot;
  };
  const running = await runtime(slowBot, fake, db.file);
  cleanups.push(() => running.stop());
  const side = sideFor(running.port!, fake);
  const chatId = 'oc_busy';
  // the second message is sent from another process while the first holds this thread
  const second = side.request(side.messageEvent({ chatId, senderId: 'ou_b', text: '帮助' }));
  const answered = postFromOutside(`http://127.0.0.1:${running.port}/lark/events`, second, 400);
  expect((await side.post(side.messageEvent({ chatId, senderId: 'ou_a', text: '慢' }))).status).toBe(200);
  const { status, endedAt } = await answered;
  expect(busy).toBeDefined();
  expect(status).toBe(200);
  expect(endedAt).toBeGreaterThan(busy!.from);
  expect(endedAt).toBeLessThan(busy!.to); // answered while the bot's thread was held
  // and the message itself was not lost: its reply comes once the thread is free
  for (let i = 0; i < 200 && fake.messages.filter((m) => m.chatId === chatId).length < 2; i++) await new Promise((r) => setTimeout(r, 25));
  expect(fake.messages.filter((m) => m.chatId === chatId)).toHaveLength(2);
});

it('hands what was kept before a start to the bot, once, and forgets it', async () => {
  const fake = await startFakeLark();
  const db = tempDb();
  cleanups.push(() => fake.close(), () => db.cleanup());
  const side = sideFor(0, fake);
  const envelope = side.messageEvent({ chatId: 'oc_kept', senderId: 'ou_kept', text: '帮助' });
  // kept and answered, then the process died before the bot had it: twice, as a redelivery would be
  const receipts = openReceipts(receiptsPathFor(db.file));
  await receipts.keep(JSON.stringify(envelope), Date.now());
  await receipts.keep(JSON.stringify(envelope), Date.now());
  receipts.close();

  const running = await runtime(createBot, fake, db.file);
  for (let i = 0; i < 200 && !fake.messages.some((m) => m.chatId === 'oc_kept'); i++) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 300)); // time for a second reply, were there one
  await running.stop();
  expect(fake.messages.filter((m) => m.chatId === 'oc_kept')).toHaveLength(1);
  const after = openReceipts(receiptsPathFor(db.file));
  expect(after.all()).toEqual([]);
  after.close();
});

it('starts the thread again when it dies; what it kept meanwhile is handed over first', async () => {
  const db = tempDb();
  cleanups.push(() => db.cleanup());
  const handed: string[] = [];
  let failing = false;
  const core = {
    async handleEvent(envelope: Envelope) {
      if (failing) throw new Error('database unavailable');
      handed.push(String((envelope.event as { message?: { message_id?: string } }).message?.message_id));
      return {};
    },
  };
  const receiver = await startReceiver(core, { receiptsPath: receiptsPathFor(db.file), port: 0, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN }, quietLogger);
  cleanups.push(() => receiver.stop());
  const side = sideFor(receiver.port);
  expect((await side.post(side.messageEvent({ chatId: 'oc_r', senderId: 'ou_r', text: '一', messageId: 'om_1' }))).status).toBe(200);
  for (let i = 0; i < 100 && handed.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
  expect(handed).toEqual(['om_1']);

  // the bot cannot take it: Lark is still answered, and the event stays kept
  failing = true;
  expect((await side.post(side.messageEvent({ chatId: 'oc_r', senderId: 'ou_r', text: '二', messageId: 'om_2' }))).status).toBe(200);
  const first = receiver.thread;
  await first.terminate();
  failing = false;
  for (let i = 0; i < 300 && receiver.thread === first; i++) await new Promise((r) => setTimeout(r, 10));
  expect(receiver.thread).not.toBe(first);
  // at least once: a retry may have handed it before the thread was back, and then it is handed
  // over again from the receipts file; the bot's inbox takes a message once (the tests above)
  for (let i = 0; i < 300 && !handed.includes('om_2'); i++) await new Promise((r) => setTimeout(r, 10));
  expect(new Set(handed)).toEqual(new Set(['om_1', 'om_2']));
  // on the same port
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${receiver.port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  expect((await side.post(side.messageEvent({ chatId: 'oc_r', senderId: 'ou_r', text: '三', messageId: 'om_3' }))).status).toBe(200);
  for (let i = 0; i < 100 && !handed.includes('om_3'); i++) await new Promise((r) => setTimeout(r, 10));
  expect(new Set(handed)).toEqual(new Set(['om_1', 'om_2', 'om_3']));
});

it('stops promptly when its thread has just died', async () => {
  const db = tempDb();
  cleanups.push(() => db.cleanup());
  const receiver = await startReceiver({ handleEvent: async () => ({}) }, { receiptsPath: receiptsPathFor(db.file), port: 0 }, quietLogger);
  const first = receiver.thread;
  await first.terminate();
  const t0 = Date.now();
  await receiver.stop();
  expect(Date.now() - t0).toBeLessThan(1000);
  await new Promise((r) => setTimeout(r, 700)); // past when a restart would have come
  expect(receiver.thread).toBe(first); // none was started after the stop
});
