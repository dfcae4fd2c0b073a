// All-or-nothing writes on both drivers. D1 refuses BEGIN, so it gets one batch
// (one implicit transaction); better-sqlite3 gets an IMMEDIATE transaction. Drizzle
// builders are turned into their SQL text first, so they run through the same cached
// statements as the hot path's plain SQL (./sql.ts) and may be mixed with it.
import { type Sql, SqlStatement, toStatement } from './sql';
import type { AtomicStatement } from './types';

export function makeAtomic(sql: Sql) {
  return async function atomic(statements: AtomicStatement[]): Promise<void> {
    await sql.transaction(statements.map((s) => (s instanceof SqlStatement ? s : toStatement(s))));
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
