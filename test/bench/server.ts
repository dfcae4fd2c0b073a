// The server side of the HTTP benches, run as its own process (forked by ./http.ts) so
// the load generator's CPU is not counted against it. Modes:
//   bot     the real Node runtime (webhook, real bot, SQLite file, sender to the fake platform)
//   bare    a bare node:http server answering 200: the floor for HTTP alone
//   verify  the webhook's HTTP server (signature, decryption, token) on one thread, with a core that does nothing
// Talks to the parent over IPC: {ready, port} once listening; answers 'rss', 'cpu', 'resume', 'hold', 'settle', 'stop'.
// Imports are per mode: the floors' memory must not include the bot's modules.
import type { AddressInfo } from 'node:net';
import type { RunningBot } from '../../src/runtime/node/larkRuntime';
// the main thread (the bot's, which handles IPC): the rest of the process's CPU is V8's other threads and the webhook's thread
import { threadCpuMs } from './loopProbe';

const [mode, larkUrl, dbPath, key, token] = process.argv.slice(2);
const quiet = { info: (...a: unknown[]) => String(a[0]).startsWith('[runtime]') && console.error(...a), warn() {}, error: (...a: unknown[]) => console.error(...a) };
const send = (m: unknown) => process.send!(m);

let running: RunningBot | undefined;
let close: () => Promise<void> = async () => {};

/** Applying waits until 'resume' (and again after 'hold'): the acknowledgements are measured alone first. */
let resume: () => void = () => {};
let resumed = new Promise<void>((r) => (resume = r));

if (mode === 'bot') {
  const [{ startLarkRuntime }, { createBot: realBot }] = await Promise.all([import('../../src/runtime/node/larkRuntime'), import('../../src/bot')]);
  const createBot: typeof realBot = (deps) => {
    const bot = realBot(deps);
    return { ...bot, handle: async (input, inbound) => (await resumed, bot.handle(input, inbound)) };
  };
  running = await startLarkRuntime({
    env: { larkAppId: 'cli_bench', larkAppSecret: 'secret-secret', larkEncryptKey: key, larkVerificationToken: token, larkDomain: larkUrl, larkMode: 'webhook', port: 0, dbPath, adminOpenIds: [] },
    createBot,
    logger: quiet,
    quietSdk: true,
  });
  send({ ready: true, port: running.port });
} else {
  // the same HTTP server the bot's webhook thread runs (plain node:http), so the floors differ from it only in what they leave out
  let server: import('node:http').Server;
  if (mode === 'bare') {
    const { createServer } = await import('node:http');
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}'));
    });
  } else {
    const { createWebhookServer } = await import('../../src/runtime/node/webhookServer');
    server = createWebhookServer({ core: { handleEvent: async () => ({}) }, encryptKey: key, verificationToken: token, ready: () => true, log: quiet });
  }
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  send({ ready: true, port: (server.address() as AddressInfo).port });
}

process.on('message', async (msg: { cmd: string }) => {
  if (msg.cmd === 'cpu') {
    send({ cpu: process.cpuUsage(), loopMs: threadCpuMs() });
  } else if (msg.cmd === 'resume') {
    resume();
    send({ resumed: true });
  } else if (msg.cmd === 'hold') {
    resumed = new Promise<void>((r) => (resume = r));
    send({ held: true });
  } else if (msg.cmd === 'rss') {
    globalThis.gc?.();
    send({ rss: process.memoryUsage().rss, cpu: process.cpuUsage() });
  } else if (msg.cmd === 'settle') {
    // until every accepted message is handled and its replies queued
    const t0 = performance.now();
    while (running && (await running.store.pendingInbound(1)).length) await new Promise((r) => setTimeout(r, 20));
    send({ settled: performance.now() - t0, cpu: process.cpuUsage(), loopMs: threadCpuMs(), maxRss: process.resourceUsage().maxRSS * 1024 });
  } else if (msg.cmd === 'stop') {
    const t0 = performance.now();
    console.error(`[bench] stop received; event loop lag check`);
    if (running) await running.stop();
    else await close();
    const stopMs = performance.now() - t0;
    send({ stopped: stopMs });
    process.exit(0);
  }
});
