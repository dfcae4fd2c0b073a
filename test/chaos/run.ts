// The chaos run: the real server process (node itself running the entry bundled once
// with esbuild, tsx's compiler, so kill -9 hits the server, restarts take well under a
// second, and nothing is left running), the seed case typed
// in several chats at once, every message delivered 2–4 times (together, late, under a
// new event id), and the server killed with SIGKILL at random moments and restarted.
// At the end every chat must hold exactly the answers a calm run stores, and every
// reply must have reached the (fake) platform exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBot } from '../../src/bot';
import type { Actor } from '../../src/conversation/types';
import { openSqlite } from '../../src/store/sqlite';
import { people, playSeed } from '../conversation/seedPlayer';
import { startFakeLark } from '../lark/fakeLark';
import { createLarkSide } from '../lark/larkSide';

const ENCRYPT_KEY = 'chaos-encrypt-key';
const TOKEN = 'chaos-verification-token';
const APP_ID = 'cli_chaos0000000000';
const BOT = 'ou_bot';
const ROOT = resolve(import.meta.dirname, '../..');

export interface ChaosOptions {
  chats: number;
  kills: number;
  /** Lines of the seed case each chat types (default: all of it up to 生成报告). */
  lines?: number;
  seed?: number;
  log?: (s: string) => void;
}

export interface ChaosResult {
  messages: number;
  deliveries: number;
  acknowledged: number;
  storedRight: number;
  lost: number;
  misplaced: number;
  repliesExpected: number;
  repliesSentTwice: number;
  repliesMissing: number;
  pendingInbox: number;
  kills: number;
  seconds: number;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

/** What a calm run of the first `n` lines stores and replies: the reference. */
async function reference(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'chaos-ref-'));
  try {
    const full = openSqlite(join(dir, 'full.sqlite'));
    const { lines } = await playSeed(createBot({ store: full.store }), full.store, () => Date.now());
    full.close();
    const upTo = lines.findIndex((l) => l.text.startsWith('生成报告'));
    const chosen = lines.slice(0, Math.min(n, upTo < 0 ? lines.length : upTo));
    const ref = openSqlite(join(dir, 'ref.sqlite'));
    const bot = createBot({ store: ref.store });
    const replies: number[] = [];
    for (const l of chosen) {
      const out = await bot.handle({ actor: l.actor, place: { chatId: 'oc_ref', chatType: 'group' }, message: { type: 'text', text: l.text, mentions: mentionsIn(l.text) }, now: Date.now() });
      replies.push(out.messages.length);
    }
    const ev = await ref.store.findEvaluationByChat('oc_ref');
    const answers = ev ? await ref.store.getAnswers(ev.id) : {};
    ref.close();
    return { lines: chosen, replies, answers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mentionsIn(text: string): Actor[] {
  return Object.values(people).filter((p) => text.includes(`@${p.name}`));
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => {});
  const started = Date.now();
  const random = rng(o.seed ?? 9);
  const ref = await reference(o.lines ?? Infinity);
  log(`reference: ${ref.lines.length} lines per chat, ${Object.keys(ref.answers).length} answers`);

  const fake = await startFakeLark({ botOpenId: BOT, appSecret: 'chaos-secret' });
  for (const p of Object.values(people)) fake.contacts.set(p.userId, p.name);
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const dbPath = join(dir, 'bot.sqlite');
  const port = await freePort();
  const logFd = openSync(join(dir, 'server.log'), 'a');
  let server: ChildProcess | undefined;
  let up = false;

  // Bundled two levels below the root, so the paths the code finds relative to itself
  // (db/migrations, templates/) resolve as from src/store/ and src/templates/.
  // as `npm start` builds it: main and the webhook's thread, two files side by side
  const { buildNode } = await import('../../src/runtime/node/build.mjs');
  const entry = join(await buildNode({ server: 'src/runtime/node/main.ts' }, '.chaos/build'), 'server.mjs');
  process.once('exit', () => server?.kill('SIGKILL'));

  async function start(): Promise<void> {
    up = false;
    // node itself: the pid we kill is the server
    server = spawn(process.execPath, [entry], {
      cwd: dir,
      stdio: ['ignore', logFd, logFd],
      env: {
        ...process.env,
        LARK_APP_ID: APP_ID,
        LARK_APP_SECRET: 'chaos-secret',
        LARK_ENCRYPT_KEY: ENCRYPT_KEY,
        LARK_VERIFICATION_TOKEN: TOKEN,
        LARK_DOMAIN: fake.url,
        LARK_MODE: 'webhook',
        PORT: String(port),
        DB_PATH: dbPath,
        TEMPLATES_DIR: join(ROOT, 'templates'),
        PLAYGROUND: '0',
      },
    });
    const child = server;
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null) break;
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) {
          up = true;
          return;
        }
      } catch {
        /* not yet */
      }
      await sleep(50);
    }
    throw new Error(`server did not start; see ${join(dir, 'server.log')}`);
  }

  const side = createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: TOKEN, appId: APP_ID, send: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init), platform: fake });
  let deliveries = 0;
  const statuses = new Map<number, number>();

  /** Like Lark: deliver until answered 200 (redelivering after a refused connection or a 5xx). */
  async function deliver(payload: unknown): Promise<void> {
    for (;;) {
      deliveries++;
      try {
        const res = await side.post(payload);
        if (res.status === 200) return;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
        /* connection refused or reset: the server is down */
      }
      await sleep(50 + random() * 150);
    }
  }

  await start();
  const chats = Array.from({ length: o.chats }, (_, i) => `oc_chaos_${i + 1}`);
  const ids = chats.map((c) => ref.lines.map((_, j) => `om_${c}_${j}`));
  const late: Promise<void>[] = [];
  let acknowledged = 0;
  const t0 = Date.now();

  async function playChat(c: number): Promise<void> {
    for (let j = 0; j < ref.lines.length; j++) {
      const line = ref.lines[j];
      let text = line.text;
      const mentions = mentionsIn(text).map((p, k) => {
        const key = `@_user_${k + 2}`;
        text = text.split(`@${p.name}`).join(key);
        return { key, openId: p.userId, name: p.name };
      });
      const event = side.messageEvent({ chatId: chats[c], senderId: line.actor.userId, text, mentions, mentionBot: { openId: BOT }, messageId: ids[c][j] });
      event.event.message.create_time = String(t0 + j * 10 + c); // Lark's order within the chat
      const copies = 2 + Math.floor(random() * 3); // 2–4 deliveries
      const first = deliver(event);
      for (let k = 1; k < copies; k++) {
        const mode = random();
        const copy = mode < 0.34 ? event : { ...event, header: { ...event.header, event_id: `${event.header.event_id}_re${k}` } };
        if (mode < 0.5) late.push(deliver(copy)); // together with the first
        else late.push(sleep(random() * 3000).then(() => deliver(copy))); // late
      }
      await first;
      acknowledged++;
    }
  }

  let killed = 0;
  let restartMs = 0;
  let playing = true;
  const killer = (async () => {
    // spread the kills over the run; keep killing after the typing is over until there were enough
    while (killed < o.kills) {
      await sleep(150 + random() * (playing ? 900 : 400));
      if (!server || !up) continue;
      const t = Date.now();
      server.kill('SIGKILL');
      await new Promise((r) => server!.once('exit', r));
      killed++;
      if (killed % 10 === 0) log(`${killed} kills`);
      await start();
      restartMs += Date.now() - t;
    }
  })();

  await Promise.all(chats.map((_, c) => playChat(c)));
  playing = false;
  await Promise.all(late);
  await killer;

  // settle: every inbox entry handled and every reply sent
  const expectedTotal = ref.replies.reduce((a, b) => a + b, 0) * o.chats;
  const readDb = () => openSqlite(dbPath);
  for (let i = 0; i < 1200; i++) {
    const db = readDb();
    const pendingIn = (await db.store.pendingInbound(10)).length;
    const pendingOut = await db.store.pendingCount();
    db.close();
    // (replies that piled up in a chat go out merged, so fewer messages than replies is normal)
    if (pendingIn === 0 && pendingOut === 0) break;
    await sleep(100);
  }
  server?.kill('SIGTERM');
  await new Promise((r) => server!.once('exit', r));

  const db = readDb();
  let storedRight = 0;
  let lost = 0;
  let misplaced = 0;
  for (const chat of chats) {
    const ev = await db.store.findEvaluationByChat(chat);
    const got = ev ? await db.store.getAnswers(ev.id) : {};
    for (const [path, value] of Object.entries(ref.answers)) {
      if (got[path] === undefined) lost++;
      else if (got[path] === value) storedRight++;
      else misplaced++;
      if (got[path] !== value) log(`${chat} ${path}: expected ${JSON.stringify(value)}, stored ${JSON.stringify(got[path])}`);
    }
    for (const path of Object.keys(got)) if (ref.answers[path] === undefined) misplaced++, log(`${chat} ${path}: not expected, stored ${JSON.stringify(got[path])}`);
  }
  const pendingInbox = (await db.store.pendingInbound(1000)).length;
  const outboxRows = db.db.$client.prepare('SELECT chat_id AS chatId, uuid, sent_message_id AS sentMessageId FROM outbox ORDER BY id').all() as { chatId: string; uuid: string; sentMessageId: string | null }[];
  db.close();

  // Every reply (outbox row) must reach the platform exactly once: under its own uuid, or merged
  // into the message of an earlier reply of its chat (sent_message_id `merged:<that row's uuid>`).
  let sentTwice = 0;
  let missing = 0;
  const rowsOf = new Map<string, string[]>();
  for (const r of outboxRows) rowsOf.set(r.chatId, [...(rowsOf.get(r.chatId) ?? []), r.uuid]);
  const byUuid = new Map<string, number>();
  for (const m of fake.messages) byUuid.set(m.uuid ?? '', (byUuid.get(m.uuid ?? '') ?? 0) + 1);
  const delivered = new Map(outboxRows.map((r) => [r.uuid, byUuid.get(r.sentMessageId?.startsWith('merged:') ? r.sentMessageId.slice(7) : r.uuid) ?? 0]));
  const want = ref.replies.reduce((a, b) => a + b, 0);
  for (let c = 0; c < o.chats; c++) {
    const rows = rowsOf.get(chats[c]) ?? [];
    for (const u of rows) {
      const n = delivered.get(u) ?? 0;
      if (n > 1) sentTwice += n - 1;
      if (n < 1) missing++;
    }
    // a message handled twice would queue its replies twice; one never handled, none
    if (rows.length > want) sentTwice += rows.length - want;
    if (rows.length < want) missing += want - rows.length;
  }
  log(`${killed} restarts took ${Math.round(restartMs / Math.max(1, killed))} ms on average`);
  log(`non-200 answers by status (0 = no connection): ${JSON.stringify(Object.fromEntries(statuses))}`);
  // acknowledged to Lark and killed before the bot had them in its inbox: handed over from the receipts file at the next start
  const handedAtStart = [...readFileSync(join(dir, 'server.log'), 'utf8').matchAll(/(\d+) event\(s\) received before the restart handed to the bot/g)].reduce((n, m) => n + Number(m[1]), 0);
  log(`events handed over from the receipts file at restarts: ${handedAtStart}`);
  await fake.close();
  if (process.env.CHAOS_KEEP) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  return {
    messages: ref.lines.length * o.chats,
    deliveries,
    acknowledged,
    storedRight,
    lost,
    misplaced,
    repliesExpected: expectedTotal,
    repliesSentTwice: sentTwice,
    repliesMissing: missing,
    pendingInbox,
    kills: killed,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

export function failed(r: ChaosResult): boolean {
  return r.lost > 0 || r.misplaced > 0 || r.repliesSentTwice > 0 || r.repliesMissing > 0 || r.pendingInbox > 0 || r.acknowledged !== r.messages;
}
