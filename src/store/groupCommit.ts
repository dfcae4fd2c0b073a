// Group commit for better-sqlite3: the writes of messages handled side by side (one per
// chat, many chats at once) share one transaction, each in its own savepoint. A commit
// in WAL mode costs more than the statements of a message (the profile: a message's
// transaction was most of its CPU), and most of that cost is per commit, not per row.
//
// Each caller still gets all-or-nothing for its own statements: one that fails rolls
// back to its savepoint and is rejected alone; the others commit. A caller's promise
// resolves only after the COMMIT, so nothing is acknowledged before it is durable.
import { setImmediate } from 'node:timers'; // the real one, also where a test fakes the global timers
import type Database from 'better-sqlite3';
import type { SqlStatement } from './sql';

/**
 * Writes per transaction at most. The flush is synchronous: a bound keeps it from
 * holding the event loop (acknowledgements wait behind it) for more than a few ms.
 */
export const GROUP_LIMIT = 32;

type Waiting = { statements: SqlStatement[]; resolve(rows: unknown[][]): void; reject(error: unknown): void };

/** `runAll`: runs statements on the connection and gives each one's rows (./sql.ts). */
export function createGroupCommit(sqlite: Database.Database, runAll: (statements: SqlStatement[]) => unknown[][]) {
  let waiting: Waiting[] = [];
  let scheduled = false;
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  const savepoint = sqlite.prepare('SAVEPOINT one_message');
  const release = sqlite.prepare('RELEASE one_message');
  const rollbackTo = sqlite.prepare('ROLLBACK TO one_message');

  function flush(): void {
    scheduled = false;
    const group = waiting.splice(0, GROUP_LIMIT);
    if (waiting.length) schedule(); // the rest after whatever I/O is waiting
    const failed = new Map<Waiting, unknown>();
    const results = new Map<Waiting, unknown[][]>();
    try {
      begin.run();
    } catch (error) {
      for (const w of group) w.reject(error); // e.g. SQLITE_BUSY past busy_timeout: nothing was written
      return;
    }
    try {
      for (const w of group) {
        savepoint.run();
        try {
          results.set(w, runAll(w.statements));
          release.run();
        } catch (error) {
          rollbackTo.run();
          release.run();
          failed.set(w, error);
        }
      }
      commit.run();
    } catch (error) {
      if (sqlite.inTransaction) rollback.run();
      for (const w of group) w.reject(error);
      return;
    }
    for (const w of group) {
      if (failed.has(w)) w.reject(failed.get(w));
      else w.resolve(results.get(w)!);
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  return function groupCommit(statements: SqlStatement[]): Promise<unknown[][]> {
    if (statements.length === 0) return Promise.resolve([]);
    return new Promise<unknown[][]>((resolve, reject) => {
      waiting.push({ statements, resolve, reject });
      schedule();
    });
  };
}
