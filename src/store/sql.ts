// Plain SQL on both drivers, for the hot path. Drizzle builds and prepares every
// query anew on each call (the profile: a third of the time per message); here the
// SQL text is fixed, better-sqlite3 prepares it once and keeps the statement, and
// D1 gets the same text with its parameters bound. Same code, both drivers.
import type Database from 'better-sqlite3';
import { createGroupCommit } from './groupCommit';
import type { AppDatabase, Driver } from './types';

/** A write to run inside atomic(): SQL text and its parameters. */
export class SqlStatement {
  constructor(
    readonly sql: string,
    readonly params: unknown[],
  ) {}
}

type D1Like = {
  prepare(sql: string): { bind(...params: unknown[]): D1Bound };
  batch(statements: D1Bound[]): Promise<unknown[]>;
};
type D1Bound = { first(): Promise<unknown>; all(): Promise<{ results: unknown[] }>; run(): Promise<{ meta: { changes: number } }> };

export interface Sql {
  get<T>(text: string, params: unknown[]): Promise<T | undefined>;
  all<T>(text: string, params: unknown[]): Promise<T[]>;
  /** A write on its own; returns the number of rows changed. */
  run(text: string, params: unknown[]): Promise<number>;
  /** Runs statements all-or-nothing: one transaction (SQLite) or one batch (D1). */
  transaction(statements: SqlStatement[]): Promise<void>;
  /** Like transaction, returning each statement's rows (a write's RETURNING rows; [] for a write without). */
  transactionAll(statements: SqlStatement[]): Promise<unknown[][]>;
  /**
   * Like transaction, but may share one commit with other callers' writes made at the same
   * time (./groupCommit.ts): for the hot path, where many chats write at once. Resolves after the
   * commit, with each statement's rows as transactionAll.
   */
  groupCommit(statements: SqlStatement[]): Promise<unknown[][]>;
}

/** Statements kept per connection; a bound keeps odd one-off texts from piling up. */
const MAX_CACHED = 500;

export function makeSql(db: AppDatabase, driver: Driver): Sql {
  const client = (db as unknown as { $client: unknown }).$client;
  if (driver === 'd1') {
    const d1 = client as D1Like;
    const transactionAll = async (statements: SqlStatement[]): Promise<unknown[][]> => {
      if (!statements.length) return [];
      const results = (await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.params)))) as { results?: unknown[] }[];
      return results.map((r) => r.results ?? []);
    };
    return {
      async get<T>(text: string, params: unknown[]) {
        return ((await d1.prepare(text).bind(...params).first()) ?? undefined) as T | undefined;
      },
      async all<T>(text: string, params: unknown[]) {
        return (await d1.prepare(text).bind(...params).all()).results as T[];
      },
      async run(text: string, params: unknown[]) {
        return (await d1.prepare(text).bind(...params).run()).meta.changes;
      },
      async transaction(statements) {
        if (statements.length) await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.params)));
      },
      // a D1 batch is one round trip per invocation already; requests do not share one
      groupCommit: transactionAll,
      transactionAll,
    };
  }
  const sqlite = client as Database.Database;
  const { prepared, rowsOf } = preparedStatements(sqlite);
  // run .immediate: IMMEDIATE takes the write lock up front, no SQLITE_BUSY upgrade deadlock with another process
  const runAll = sqlite.transaction(rowsOf);
  const groupCommit = createGroupCommit(sqlite, rowsOf);
  return {
    groupCommit,
    async get<T>(text: string, params: unknown[]) {
      return prepared(text).get(...params) as T | undefined;
    },
    async all<T>(text: string, params: unknown[]) {
      return prepared(text).all(...params) as T[];
    },
    async run(text: string, params: unknown[]) {
      return prepared(text).run(...params).changes;
    },
    async transaction(statements) {
      if (statements.length) runAll.immediate(statements);
    },
    async transactionAll(statements) {
      return statements.length ? runAll.immediate(statements) : [];
    },
  };
}

/**
 * A better-sqlite3 connection's statements, each prepared once and kept, and `rowsOf`, which runs
 * SqlStatements and gives each one's rows (a write's RETURNING rows, [] for a write without).
 */
export function preparedStatements(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  const prepared = (text: string): Database.Statement => {
    let stmt = cache.get(text);
    if (!stmt) {
      if (cache.size >= MAX_CACHED) cache.clear();
      stmt = sqlite.prepare(text);
      cache.set(text, stmt);
    }
    return stmt;
  };
  const rowsOf = (statements: SqlStatement[]): unknown[][] =>
    statements.map((s) => {
      const stmt = prepared(s.sql);
      if (stmt.reader) return stmt.all(...(s.params as unknown[]));
      stmt.run(...(s.params as unknown[]));
      return [];
    });
  return { prepared, rowsOf };
}

/** Drizzle builders as plain SQL, so they join a transaction with SqlStatements. */
export function toStatement(builder: { toSQL(): { sql: string; params: unknown[] } }): SqlStatement {
  const q = builder.toSQL();
  return new SqlStatement(q.sql, q.params);
}
