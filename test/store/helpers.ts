// Opens real SQLite files in a temp dir, through either driver.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import * as schema from '../../db/schema';
import { createStore, type AppDatabase, type Driver, type Store } from '../../src/store/index';
import { openSqlite } from '../../src/store/sqlite';
import { afterEach, beforeEach } from 'vitest';
import { D1Shim } from './d1-shim';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type Opened = { store: Store; db: AppDatabase; raw: Database.Database; close: () => void };

/** 'sqlite' is openSqlite itself; 'd1' migrates with openSqlite, then talks through the D1 shim. */
export function openWith(driver: Driver, file: string): Opened {
  if (driver === 'sqlite') {
    const opened = openSqlite(file);
    return { store: opened.store, db: opened.db, raw: opened.db.$client, close: opened.close };
  }
  openSqlite(file).close();
  const raw = new Database(file);
  raw.pragma('foreign_keys = ON'); // D1 enforces foreign keys
  raw.pragma('busy_timeout = 5000');
  const db = drizzleD1(new D1Shim(raw) as never, { schema });
  return { store: createStore(db, 'd1'), db, raw, close: () => raw.close() };
}

export const alice = { userId: 'ou_alice', name: '张三' };
export const bob = { userId: 'ou_bob', name: '李四' };

export function newEvaluation(store: Store, overrides: Partial<Parameters<Store['createEvaluation']>[0]> = {}) {
  return store.createEvaluation({
    templateId: 'xiangmu-zhichu',
    templateVersion: '2024.1',
    year: 2024,
    projectName: '农村公路养护',
    chatId: 'oc_chat1',
    createdBy: alice.userId,
    now: 1_000,
    ...overrides,
  });
}

/** The messages of an error and its causes: drizzle wraps some driver errors ("Failed query: …"). */
export async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const parts: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message);
    return parts.join(' <- ');
  }
  throw new Error('expected a failure');
}

/** A fresh database file for every test in the calling describe, opened through `driver`, closed and removed after. */
export function storePerTest(driver: Driver): Opened {
  let t: ReturnType<typeof tempDir> | undefined;
  let current: Opened | undefined;
  beforeEach(() => {
    t = tempDir();
    current = openWith(driver, `${t.dir}/bot.sqlite`);
  });
  afterEach(() => {
    current?.close();
    t?.cleanup();
  });
  return {
    get store() {
      return current!.store;
    },
    get db() {
      return current!.db;
    },
    get raw() {
      return current!.raw;
    },
    close: () => current!.close(),
  };
}
