// Events over real sockets: a load generator (this process) against the server in a
// second process (./server.ts), with the fake Lark platform here receiving the replies.
// 1,000 chats, spread over the seed conversation's answering part, answer their questions.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBot } from '../../src/bot';
import { openSqlite } from '../../src/store/sqlite';
import { startFakeLark, type FakeLark } from '../lark/fakeLark';
import { createLarkSide } from '../lark/larkSide';
import { answeringLines, lineEvent, seedScript } from './seedScript';

const KEY = 'bench-encrypt-key';
const TOKEN = 'bench-token';
const BOT = 'ou_bench_bot';
export const CHATS = 1000;
/**
 * The server runs as built JavaScript, as `npm start` runs it (no tsx in the process):
 * ./server.ts bundled once per bench run, floors and bot alike.
 */
let built: Promise<string> | undefined;
const serverFile = () =>
  (built ??= (async () => {
    const { buildNode } = await import('../../src/runtime/node/build.mjs');
    return `${await buildNode({ server: 'test/bench/server.ts' }, '.tmp/bench')}/server.mjs`;
  })());

export type Mode = 'bot' | 'bare' | 'verify';

export interface Server {
  port: number;
  ask<T>(cmd: string): Promise<T>;
  stop(): Promise<number>;
}

/** The V8 flags `npm start` gives node (package.json): the bot is measured as it runs. BENCH_FLAGS="…" tries others. */
const startFlags = process.env.BENCH_FLAGS !== undefined ? process.env.BENCH_FLAGS.split(/\s+/).filter(Boolean) : (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));

export async function startServer(mode: Mode, larkUrl = '', dbPath = ''): Promise<Server> {
  const child: ChildProcess = fork(await serverFile(), [mode, larkUrl, dbPath, KEY, TOKEN], { execArgv: ['--expose-gc', ...(mode === 'bot' ? startFlags : []), ...(process.env.BENCH_PROFILE && mode === 'bot' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(): Promise<T> => new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
  });
  const { port } = await next<{ port: number }>();
  return {
    port,
    ask<T>(cmd: string) {
      const answer = next<T>();
      child.send({ cmd });
      return answer;
    },
    async stop() {
      const answer = next<{ stopped: number }>();
      child.send({ cmd: 'stop' });
      const { stopped } = await answer;
      await new Promise((r) => child.once('exit', r));
      return stopped;
    },
  };
}

type Req = { raw: string; headers: Record<string, string> };

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One POST; resolves with the answer time in ms, or -1 when no answer came within `timeoutMs`. */
function post(port: number, r: Req, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    // no answer within the limit counts as failed, whether the socket is slow or the queue
    const timer = setTimeout(() => {
      req.destroy();
      resolve(-1);
    }, timeoutMs);
    const req = request({ host: '127.0.0.1', port, path: '/lark/events', method: 'POST', headers: { ...r.headers, 'content-length': Buffer.byteLength(r.raw) }, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        resolve(res.statusCode === 200 ? performance.now() - t0 : -1);
      });
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve(-1);
    });
    req.end(r.raw);
  });
}

export interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
}

function summarise(times: number[], ms: number): Load {
  const ok = times.filter((t) => t >= 0).sort((a, b) => a - b);
  return { perSecond: (ok.length / ms) * 1000, p50: ok[Math.floor(ok.length / 2)] ?? NaN, p99: ok[Math.floor(ok.length * 0.99)] ?? NaN, failed: times.length - ok.length };
}

/** As fast as the server answers, `concurrency` requests in flight. */
export async function closedLoop(port: number, reqs: Req[], concurrency = 64): Promise<Load> {
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < reqs.length) times.push(await post(port, reqs[next++], 3000));
    }),
  );
  return summarise(times, performance.now() - t0);
}

/** `rate` requests a second whatever the answers do (open loop); no answer within 3 s counts as failed (Lark redelivers). */
export async function openLoop(port: number, reqs: Req[], rate: number): Promise<Load> {
  const pending: Promise<number>[] = [];
  const t0 = performance.now();
  let sent = 0;
  while (sent < reqs.length) {
    const due = Math.min(reqs.length, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    while (sent < due) pending.push(post(port, reqs[sent++], 3000));
    await new Promise((r) => setTimeout(r, 1));
  }
  const times = await Promise.all(pending);
  return summarise(times, performance.now() - t0);
}

/** The line where the seed conversation starts answering questions (after 新建评价, 分配 …, 填写). */
export const FIRST_ANSWER_LINE = answeringLines(seedScript()).from;

/**
 * Where each chat is in the conversation when the bench starts: the chats are spread over the
 * whole answering part (a quarter at its start, a quarter a third in, …), so the figures hold
 * for evaluations just begun and nearly full alike, short answers and long texts.
 */
export const FILL_POINTS = 4;
/**
 * Rounds (one message from every chat) the bot handles before anything is measured. The first
 * puts each chat's evaluation in the answers cache; with one round only, V8 is still compiling
 * the hot path during the measured messages (about 80 optimising compiles, 100 µs of CPU a message
 * on its other threads against 45 after three rounds). A bot on a deadline day has long done that:
 * the figures are about the steady state. BENCH_WARMUP=1 shows the first messages after a start.
 */
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP ?? 3);
/** Lines each chat may be sent after its start, at most. */
const ROUNDS_AHEAD = 12;
export function startLine(chat: number): number {
  const { from, to } = answeringLines(seedScript());
  const span = Math.floor((to - ROUNDS_AHEAD - from) / (FILL_POINTS - 1));
  return from + (chat % FILL_POINTS) * span;
}

/** Events of `rounds` consecutive script lines for every chat (from its start line plus `round0`), round by round. */
export function events(round0: number, rounds: number, chats = CHATS, platform?: FakeLark): Req[] {
  if (round0 + rounds > ROUNDS_AHEAD) throw new Error(`the bench prepares ${ROUNDS_AHEAD} lines a chat`);
  const side = createLarkSide({ encryptKey: KEY, verificationToken: TOKEN, send: () => new Response(), platform });
  const script = seedScript();
  const out: Req[] = [];
  for (let r = round0; r < round0 + rounds; r++)
    for (let c = 0; c < chats; c++) {
      const l = startLine(c) + r;
      out.push(side.request(lineEvent(side, script[l], `oc_http_${c}`, BOT, l)));
    }
  return out;
}

/**
 * A database where `chats` chats are where the seed conversation is at their start lines:
 * played through the bot once for each fill point, then copied row by row for the other chats.
 */
export async function preparedDb(file: string, chats = CHATS): Promise<void> {
  const opened = openSqlite(file);
  const bot = createBot({ store: opened.store });
  const script = seedScript();
  const db = opened.db.$client;
  for (let k = 0; k < Math.min(FILL_POINTS, chats); k++) {
    const source = `oc_http_${k}`;
    for (const [i, line] of script.slice(0, startLine(k)).entries())
      await bot.handle({ actor: { userId: line.userId, name: line.name }, place: { chatId: source, chatType: 'group' }, message: { type: 'text', text: line.text, mentions: line.mentions, messageId: `om_prep_${k}_${i}` }, now: Date.now() });
    const ev = db.prepare(`select id from evaluations where chat_id = ?`).get(source) as { id: number };
    db.transaction(() => {
      for (let c = k + FILL_POINTS; c < chats; c += FILL_POINTS) {
        const chat = `oc_http_${c}`;
        const id = Number(
          db.prepare(`insert into evaluations (template_id, template_version, year, project_name, chat_id, status, answers_version, created_by, created_at, updated_at)
            select template_id, template_version, year, project_name, ?, status, answers_version, created_by, created_at, updated_at from evaluations where id = ?`).run(chat, ev.id).lastInsertRowid,
        );
        db.prepare(`insert into answers select ?, path, value, updated_by, updated_by_name, updated_at, message_id from answers where evaluation_id = ?`).run(id, ev.id);
        db.prepare(`insert into assignments select ?, section_id, user_id, user_name, assigned_by, assigned_at from assignments where evaluation_id = ?`).run(id, ev.id);
        db.prepare(`insert into dialog_states select ?, user_id, ?, state, updated_at from dialog_states where chat_id = ?`).run(chat, id, source);
        db.prepare(`insert into members select ?, user_id, user_name, last_seen_at from members where chat_id = ?`).run(chat, source);
      }
    })();
  }
  db.prepare(`delete from outbox`).run();
  opened.close();
}

export async function withFakeLark<T>(f: (fake: FakeLark) => Promise<T>): Promise<T> {
  const fake = await startFakeLark({ botOpenId: BOT });
  try {
    return await f(fake);
  } finally {
    await fake.close();
  }
}

export function tempFile(): { file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-http-'));
  return { file: join(dir, 'bench.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

type Cpu = { user: number; system: number };
const cpuUs = (a: Cpu, b: Cpu) => b.user + b.system - (a.user + a.system);

/** Closed loop, plus the server's CPU time per request: requests per CPU-second is the figure for one free core. */
async function measured(server: Server, reqs: Req[]): Promise<Load & { perCpuSecond: number }> {
  const { cpu: before } = await server.ask<{ cpu: Cpu }>('cpu');
  const load = await closedLoop(server.port, reqs);
  const { cpu: after } = await server.ask<{ cpu: Cpu }>('cpu');
  return { ...load, perCpuSecond: (reqs.length - load.failed) / (cpuUs(before, after) / 1e6) };
}

export interface HttpFigures {
  bare: Load & { perCpuSecond: number };
  verify: Load & { perCpuSecond: number };
  verifyAt1000: Load;
  /** messages the bot handled before the measured ones (WARMUP_ROUNDS) */
  warmupMessages: number;
  /** messages applied per CPU-second in each warm-up round (1,000 messages each) after the start */
  warmupPerCpuSecond: number[];
  /** acknowledgements alone (applying held back until they are measured) */
  ackMax: Load & { perCpuSecond: number };
  ackAt1000: Load;
  /** at 1,000/s with the bot applying as it goes */
  ackAt1000Applying: Load;
  /** messages applied per CPU-second of the server, on the real path (engine, transaction, sender to the fake platform) */
  appliedPerCpuSecond: number;
  /** CPU µs per message applied: on the bot's (main) thread, and on the others (V8's GC and compiler, the webhook's thread) */
  appliedCpuUs: { loop: number; otherThreads: number };
  /** acknowledged to applied, wall clock */
  appliedPerSecond: number;
  idleRss: { bot: number; bare: number };
  /** the bot's highest RSS, by the end of the load */
  peakRss: number;
  stopMs: number;
  queuedAtStop: number;
}

/** One full run: floors, then the real bot. */
export async function measureHttp(rounds = 4): Promise<HttpFigures> {
  const floorReqs = events(0, 3);
  const bareServer = await startServer('bare');
  const bareRss = (await bareServer.ask<{ rss: number }>('rss')).rss;
  await closedLoop(bareServer.port, floorReqs.slice(0, 500));
  const bare = await measured(bareServer, floorReqs);
  await bareServer.stop();
  const verifyServer = await startServer('verify');
  await closedLoop(verifyServer.port, floorReqs.slice(0, 500));
  const verify = await measured(verifyServer, floorReqs);
  const verifyAt1000 = await openLoop(verifyServer.port, events(3, 3), 1000);
  await verifyServer.stop();

  const db = tempFile();
  try {
    await preparedDb(db.file);
    return await withFakeLark(async (fake) => {
      const server = await startServer('bot', fake.url, db.file);
      const botRss = (await server.ask<{ rss: number }>('rss')).rss;
      // Rounds first, applied before anything is measured: each chat's evaluation is then in the
      // answers cache and the hot path compiled, as in a bot that has been running (after a
      // restart, a chat's first message reads its answers once; see WARMUP_ROUNDS).
      // Each round is applied on its own and measured too: how fast the first messages after a start go.
      const warmupPerCpuSecond: number[] = [];
      for (let w = 0; w < WARMUP_ROUNDS; w++) {
        const load = await closedLoop(server.port, events(w, 1, CHATS, fake));
        const { cpu: c0 } = await server.ask<{ cpu: Cpu }>('cpu');
        await server.ask('resume');
        const { cpu: c1 } = await server.ask<{ cpu: Cpu }>('settle');
        await server.ask('hold');
        warmupPerCpuSecond.push((CHATS - load.failed) / (cpuUs(c0, c1) / 1e6));
      }
      const maxReqs = events(WARMUP_ROUNDS, rounds, CHATS, fake);
      const openReqs = events(WARMUP_ROUNDS + rounds, rounds, CHATS, fake);
      const ackMax = await measured(server, maxReqs);
      const ackAt1000 = await openLoop(server.port, openReqs, 1000);
      const { cpu: before, loopMs: loopBefore } = await server.ask<{ cpu: Cpu; loopMs: number }>('cpu');
      const t1 = performance.now();
      await server.ask('resume');
      const { cpu: after, loopMs: loopAfter, maxRss } = await server.ask<{ settled: number; cpu: Cpu; loopMs: number; maxRss: number }>('settle');
      const applied = maxReqs.length - ackMax.failed + openReqs.length - ackAt1000.failed;
      const appliedPerCpuSecond = applied / (cpuUs(before, after) / 1e6);
      const appliedLoopUs = ((loopAfter - loopBefore) * 1000) / applied;
      const appliedCpuUs = { loop: appliedLoopUs, otherThreads: cpuUs(before, after) / applied - appliedLoopUs };
      const appliedPerSecond = (applied / (performance.now() - t1)) * 1000;
      // the same rate with the bot applying as it goes, as it runs: the engine on the main thread, acknowledgements on the webhook's
      const liveReqs = events(WARMUP_ROUNDS + 2 * rounds, rounds, CHATS, fake);
      const ackAt1000Applying = await openLoop(server.port, liveReqs, 1000);
      await server.ask('settle');
      const check = openSqlite(db.file);
      const queuedAtStop = await check.store.pendingCount();
      check.close();
      const stopMs = await server.stop();
      return { warmupMessages: WARMUP_ROUNDS * CHATS, warmupPerCpuSecond, bare, verify, verifyAt1000, ackMax, ackAt1000, appliedPerCpuSecond, appliedCpuUs, appliedPerSecond, ackAt1000Applying, idleRss: { bot: botRss, bare: bareRss }, peakRss: maxRss, stopMs, queuedAtStop };
    });
  } finally {
    db.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureHttp(Number(process.argv[2] ?? 4)), null, 1));
  process.exit(0);
}
