// Opening the Node database: a better-sqlite3 file with migrations applied.
// (Workers use D1 instead: createStore(drizzle(env.DB, { schema }), 'd1').)
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema';
import { createStore } from './index';

/** Resolved from this file, not the cwd, so the CLI, server and tests all find it. */
export const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url));

export function openSqlite(path: string) {
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path);
  try {
    // WAL: readers do not block the writer; busy_timeout: wait for another
    // process's write lock instead of failing; foreign_keys is off by default in SQLite.
    client.pragma('journal_mode = WAL');
    client.pragma('busy_timeout = 5000');
    client.pragma('foreign_keys = ON');
    client.pragma('synchronous = NORMAL');
    const db = drizzle(client, { schema });
    migrate(db, { migrationsFolder });
    const store = createStore(db, 'sqlite');
    return { db, store, close: () => client.close() };
  } catch (error) {
    client.close();
    throw error;
  }
}
