// Wiring for channel tests: a temp SQLite database, the webhook app, the fake
// platform, the real SDK client pointed at it, and the outbox sender.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLarkApp } from '../../src/channels/lark/app';
import { createLarkClient, silentLogger } from '../../src/channels/lark/client';
import { createLarkCore, type CoreDeps } from '../../src/channels/lark/core';
import { contactNameLookup } from '../../src/channels/lark/names';
import { createSender, type SenderOptions } from '../../src/channels/lark/sender';
import type { Bot } from '../../src/conversation/types';
import { openSqlite } from '../../src/store/sqlite';
import { startFakeLark, type FakeLark } from './fakeLark';
import { createLarkSide } from './larkSide';

export const ENCRYPT_KEY = 'test-encrypt-key-0123456789';
export const VERIFICATION_TOKEN = 'test-verification-token';
export const APP_ID = 'cli_a1b2c3d4e5f60708';
export const BOT_OPEN_ID = 'ou_bot';

export const quietLogger = { info() {}, warn() {}, error() {} };

export function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-lark-'));
  return { file: join(dir, 'test.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rows per table: "the DB is unchanged" means these are equal before and after. */
export function tableCounts(db: { $client: { prepare(sql: string): { all(): unknown[]; get(): unknown } } }): Record<string, number> {
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(tables.map((t) => [t.name, (db.$client.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n]));
}

export interface Harness {
  fake: FakeLark;
  opened: ReturnType<typeof openSqlite>;
  app: ReturnType<typeof createLarkApp>;
  side: ReturnType<typeof createLarkSide>;
  sender: ReturnType<typeof createSender>;
  client: ReturnType<typeof createLarkClient>;
  file: string;
  close(): Promise<void>;
}

/** `bot` may be a function of the store, for the real bot. */
export async function startHarness(botOrFactory: Bot | ((store: ReturnType<typeof openSqlite>['store']) => Bot), o: { sender?: Partial<SenderOptions>; core?: Partial<CoreDeps>; now?: () => number; file?: string; fake?: FakeLark; clientTimeoutMs?: number } = {}): Promise<Harness> {
  const db = o.file ? { file: o.file, cleanup: () => {} } : tempDb();
  const fake = o.fake ?? (await startFakeLark());
  const opened = openSqlite(db.file);
  const bot = typeof botOrFactory === 'function' ? botOrFactory(opened.store) : botOrFactory;
  const client = createLarkClient({ appId: APP_ID, appSecret: 'secret-secret', domain: fake.url, logger: silentLogger, ...(o.clientTimeoutMs ? { timeoutMs: o.clientTimeoutMs } : {}) });
  // names of senders nobody mentioned come from the fake's contact API, as the runtime does with the real one
  const core = createLarkCore({ store: opened.store, bot, botOpenId: () => BOT_OPEN_ID, now: o.now, logger: quietLogger, lookupName: contactNameLookup(client), ...o.core });
  const app = createLarkApp({ core, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, now: o.now, logger: quietLogger, ready: () => true });
  const side = createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, appId: APP_ID, send: (path, init) => app.request(path, init), now: o.now, platform: fake });
  const sender = createSender({ store: opened.store, client, logger: quietLogger, now: o.now, ...o.sender });
  return {
    fake,
    opened,
    app,
    side,
    sender,
    client,
    file: db.file,
    async close() {
      await sender.stop();
      await app.idle();
      opened.close();
      if (!o.fake) await fake.close();
      db.cleanup();
    },
  };
}
