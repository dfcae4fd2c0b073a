// Runs the real Worker bundle in workerd (Miniflare) with a local D1, against the fake
// Lark platform on loopback, offline. The bundle is what `wrangler deploy` would upload:
// `wrangler deploy --dry-run --outdir` builds it from wrangler.toml.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { drizzle } from 'drizzle-orm/d1';
import { Miniflare } from 'miniflare';
import * as schema from '../../db/schema';
import type { Bot, Input, Output } from '../../src/conversation/types';
import { asLarkText } from '../lark/larkSide';
import { createStore, type Store } from '../../src/store';
import { startFakeLark, type FakeLark } from '../lark/fakeLark';
import { APP_ID, ENCRYPT_KEY, VERIFICATION_TOKEN } from '../lark/harness';
import { createLarkSide, type LarkSide } from '../lark/larkSide';

// Miniflare would fetch a cf.json from the internet at start; CI is offline.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
const OFFLINE_ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };

const root = join(import.meta.dirname, '../..');
export const BOT_OPEN_ID = 'ou_bot';

/** Builds the Worker like `wrangler deploy` does, without uploading. Returns the output folder. */
export async function buildWorker(): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-worker-'));
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', dir], { cwd: root, env: OFFLINE_ENV });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** compatibility_date and flags as wrangler.toml has them, so the test runs what production runs. */
function wranglerSettings(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!date || flags === undefined) throw new Error('wrangler.toml: compatibility_date / compatibility_flags not found');
  return { compatibilityDate: date, compatibilityFlags: [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]) };
}

/**
 * What `wrangler d1 migrations apply` runs, in order, split into statements: each SQL file,
 * then its name recorded in d1_migrations (its table, as wrangler creates it).
 */
function migrationStatements(): string[] {
  const dir = join(root, 'db/migrations');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return [
    'CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
    ...files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').split('--> statement-breakpoint'), `INSERT INTO d1_migrations (name) VALUES ('${f}')`]),
  ]
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface WorkerHarness {
  mf: Miniflare;
  fake: FakeLark;
  side: LarkSide;
  /** The same store code over the Worker's D1, read from the test (Node) side. */
  store: Store;
  d1: Awaited<ReturnType<Miniflare['getD1Database']>>;
  /** POST a path on the Worker. */
  send(path: string, init: RequestInit): Promise<Response>;
  /** Fire the Cron Trigger by hand at `at`. */
  scheduled(at: number): Promise<void>;
  /** Until every accepted message is handled and everything due is sent (the Worker's waitUntil work). */
  settled(timeoutMs?: number, pollMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface WorkerHarnessOptions {
  build: { dir: string };
  /** Sends per second instead of Lark's limits (TEST_SEND_RATE). */
  sendRate?: { perChat: number; perApp: number };
  fake?: FakeLark;
  /** Open workerd's V8 inspector (for CPU profiles): port 0 picks a free one. */
  inspectorPort?: number;
  /** More vars for the Worker (e.g. D1_QUERY_LIMIT). */
  bindings?: Record<string, string>;
  /** Each line the Worker logs (console.log / console.error), instead of printing it. */
  onLog?: (line: string) => void;
}

export async function startWorkerHarness(o: WorkerHarnessOptions): Promise<WorkerHarness> {
  const fake = o.fake ?? (await startFakeLark({ botOpenId: BOT_OPEN_ID }));
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(o.build.dir, 'main.js'),
    modulesRoot: o.build.dir,
    ...wranglerSettings(),
    d1Databases: { DB: 'jixiao-test' },
    bindings: {
      LARK_APP_ID: APP_ID,
      LARK_APP_SECRET: 'secret-secret',
      LARK_ENCRYPT_KEY: ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      LARK_DOMAIN: fake.url,
      ...(o.sendRate ? { TEST_SEND_RATE: JSON.stringify(o.sendRate) } : {}),
      ...o.bindings,
    },
    cf: false,
    ...(o.onLog ? { handleRuntimeStdio: (out: Readable, err: Readable) => [out, err].forEach((s) => createInterface({ input: s }).on('line', o.onLog!)) } : {}),
    ...(o.inspectorPort !== undefined ? { inspectorPort: o.inspectorPort } : {}),
  });
  const url = await mf.ready;
  const d1 = await mf.getD1Database('DB');
  await d1.batch(migrationStatements().map((sql) => d1.prepare(sql)));
  const store = createStore(drizzle(d1 as never, { schema }), 'd1');
  const send = async (path: string, init: RequestInit) => {
    const res = await mf.dispatchFetch(new URL(path, url), init as never);
    return res as unknown as Response;
  };
  const side = createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, appId: APP_ID, send, platform: fake });

  async function busy(): Promise<number> {
    const row = await d1
      .prepare(
        `SELECT (SELECT count(*) FROM inbox WHERE done_at IS NULL)
              + (SELECT count(*) FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1)
              + (SELECT count(*) FROM leases) AS n`,
      )
      .bind(Date.now())
      .first<{ n: number }>();
    return row?.n ?? 0;
  }

  return {
    mf,
    fake,
    side,
    store,
    d1,
    send,
    async scheduled(at) {
      // Miniflare's Fetcher type lacks scheduled(); the object has it
      const worker = (await mf.getWorker()) as unknown as { scheduled(o: { scheduledTime: Date; cron: string }): Promise<{ outcome: string }> };
      const result = await worker.scheduled({ scheduledTime: new Date(at), cron: '* * * * *' });
      if (result.outcome !== 'ok') throw new Error(`scheduled run: ${result.outcome}`);
    },
    async settled(timeoutMs = 20_000, pollMs = 5) {
      const until = Date.now() + timeoutMs;
      while ((await busy()) > 0) {
        if (Date.now() > until) throw new Error('the Worker did not settle');
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    async close() {
      await mf.dispose();
      if (!o.fake) await fake.close();
    },
  };
}

/**
 * A Bot that is really the Worker: posts each line as Lark would (encrypted, signed, the
 * people mentioned as Lark marks them), waits for the Worker's background work, and
 * returns what arrived at the platform. `onLine` sees each line's text when it is done.
 */
export function throughWorker(x: WorkerHarness, onLine?: (text: string) => void, pollMs?: number): Bot {
  return {
    async handle(input: Input): Promise<Output> {
      if (input.message.type !== 'text') throw new Error('only text here');
      const { text, mentions } = asLarkText(input.message.text, input.message.mentions);
      const before = x.fake.messages.length;
      const res = await x.side.post(x.side.messageEvent({ chatId: input.place.chatId, senderId: input.actor.userId, text, mentions, mentionBot: { openId: BOT_OPEN_ID } }));
      if (res.status !== 200) throw new Error(`the Worker answered ${res.status} to “${input.message.text}”`);
      await x.settled(undefined, pollMs);
      onLine?.(input.message.text);
      return { messages: x.fake.messages.slice(before).map((m) => ({ type: 'text', text: m.content })) };
    },
  };
}
