// All-or-nothing writes on both drivers. D1 refuses BEGIN, so it gets db.batch()
// (one implicit transaction); better-sqlite3 gets a synchronous transaction — its
// callback must not be async, or the COMMIT would run before the statements.
import type { AppDatabase, AtomicStatement, Driver } from './types';

type BatchCapable = { batch(items: readonly unknown[]): Promise<unknown[]> };

export function makeAtomic(db: AppDatabase, driver: Driver) {
  return async function atomic(statements: AtomicStatement[]): Promise<void> {
    if (statements.length === 0) return;
    if (driver === 'd1') {
      await (db as unknown as BatchCapable).batch(statements);
      return;
    }
    // Statements were built on `db`, which shares the connection with the
    // transaction, so running them here puts them inside it. IMMEDIATE takes the
    // write lock up front: no SQLITE_BUSY upgrade deadlock with another process.
    db.transaction(
      () => {
        for (const statement of statements) statement.run();
      },
      { behavior: 'immediate' },
    );
  };
}

/** D1 refuses a statement with more than 100 bound parameters. */
export const MAX_BOUND_PARAMS = 100;

/**
 * Splits rows for multi-row INSERTs so that no statement binds more than D1
 * allows; a row binds at most one parameter per column of its table.
 * `otherParams`: parameters the statement binds besides the rows (e.g. a WHERE id).
 */
export function chunkRows<T>(rows: T[], columnsPerRow: number, otherParams = 0): T[][] {
  const size = Math.max(1, Math.floor((MAX_BOUND_PARAMS - otherParams) / columnsPerRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
