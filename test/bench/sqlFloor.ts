// The SQL floor of the answer path: the statements the bot ran (recorded by ./sqlCount.ts),
// replayed in the same order, transactions and savepoints included, on a copy of the
// database as it was before them, with nothing else: no engine, no channel. What is left
// between this and the bot's own figure is JavaScript.
import Database from 'better-sqlite3';
import type { RecordedStatement } from './sqlCount';

/** CPU ms to replay `statements` on the database file `file` (opened as openSqlite opens it). */
export function replayCpuMs(file: string, statements: RecordedStatement[]): number {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const prepared = new Map<string, Database.Statement>();
    const stmt = (source: string) => {
      let s = prepared.get(source);
      if (!s) prepared.set(source, (s = db.prepare(source)));
      return s;
    };
    for (const { source } of statements) stmt(source); // prepared once, as the bot's statements are
    const c0 = process.cpuUsage();
    for (const { source, method, args } of statements) {
      const s = stmt(source);
      if (method === 'run') s.run(...args);
      else if (method === 'get') s.get(...args);
      else s.all(...args);
    }
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  } finally {
    db.close();
  }
}
