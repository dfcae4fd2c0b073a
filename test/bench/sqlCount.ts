// Counts what reaches SQLite: statements executed, statements prepared, commits and
// rows read. Patches better-sqlite3's Database class once, so connections opened
// afterwards (by the store under test, unchanged) are counted.
import Database from 'better-sqlite3';

export interface SqlCounts {
  statements: number;
  prepares: number;
  commits: number;
  rowsRead: number;
}

const counts: SqlCounts = { statements: 0, prepares: 0, commits: 0, rowsRead: 0 };
let installed = false;

/** Statements executed while recording, in order: the SQL floor replays them without the bot. */
export type RecordedStatement = { source: string; method: 'run' | 'get' | 'all' | 'iterate'; args: unknown[] };
let recording: RecordedStatement[] | undefined;

function install(): void {
  if (installed) return;
  installed = true;
  const proto = Database.prototype as any;
  const prepare = proto.prepare;
  proto.prepare = function (this: Database.Database, source: string) {
    counts.prepares++;
    const stmt = prepare.call(this, source);
    const client = this;
    const writes = !/^\s*(select|with|pragma)\b/i.test(source); // INSERT … RETURNING is a "reader" yet commits
    // BEGIN, SAVEPOINT, COMMIT… are not statements of the work: only the commit they make is counted (at BEGIN)
    const control = /^\s*(begin|commit|rollback|savepoint|release)\b/i.test(source);
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const original = stmt[method].bind(stmt);
      stmt[method] = (...args: unknown[]) => {
        recording?.push({ source, method, args });
        if (!control) counts.statements++;
        // a write outside a transaction is a commit of its own
        if (writes && !client.inTransaction) counts.commits++;
        const out = original(...args);
        if (Array.isArray(out)) counts.rowsRead += out.length;
        else if (out !== undefined && method === 'get') counts.rowsRead++;
        return out;
      };
    }
    return stmt;
  };
  const transaction = proto.transaction;
  proto.transaction = function (this: Database.Database, fn: (...a: unknown[]) => unknown) {
    const tx = transaction.call(this, fn);
    const counted: any = (...a: unknown[]) => {
      counts.commits++;
      return tx(...a);
    };
    for (const b of ['deferred', 'immediate', 'exclusive'] as const)
      counted[b] = (...a: unknown[]) => {
        counts.commits++;
        return tx[b](...a);
      };
    return counted;
  };
}

/** Starts counting (for every connection opened from now on); `reset` returns the counts so far and zeroes them. */
export function countSql(): { reset(): SqlCounts; record(): void; recorded(): RecordedStatement[] } {
  install();
  return {
    record() {
      recording = [];
    },
    recorded() {
      const out = recording ?? [];
      recording = undefined;
      return out;
    },
    reset() {
      const copy = { ...counts };
      counts.statements = counts.prepares = counts.commits = counts.rowsRead = 0;
      return copy;
    },
  };
}
