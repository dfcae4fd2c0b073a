// A stand-in for Cloudflare's D1 binding over a better-sqlite3 connection, so the
// store's 'd1' code path (async calls, db.batch, no BEGIN) runs in plain vitest.
// It refuses transaction statements and more than 100 bound parameters like real D1 and yields to the event loop on
// every call like a network round trip would.
import type Database from 'better-sqlite3';

type Result = { results: unknown[]; success: true; meta: { changes: number; last_row_id: number } };
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

class ShimStatement {
  constructor(
    private readonly client: Database.Database,
    readonly sql: string,
    private readonly params: unknown[] = [],
  ) {
    if (/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql)) {
      throw new Error(`D1 shim: interactive transactions are not supported (${sql})`);
    }
  }

  bind(...params: unknown[]): ShimStatement {
    if (params.length > 100) throw new Error(`D1 shim: too many SQL variables (${params.length} > 100)`);
    return new ShimStatement(this.client, this.sql, params);
  }

  execute(): Result {
    const stmt = this.client.prepare(this.sql);
    if (stmt.reader) return { results: stmt.all(...this.params), success: true, meta: { changes: 0, last_row_id: 0 } };
    const info = stmt.run(...this.params);
    return { results: [], success: true, meta: { changes: info.changes, last_row_id: Number(info.lastInsertRowid) } };
  }

  async all(): Promise<Result> {
    await tick();
    return this.execute();
  }

  async run(): Promise<Result> {
    await tick();
    return this.execute();
  }

  async raw(): Promise<unknown[][]> {
    await tick();
    const stmt = this.client.prepare(this.sql);
    if (!stmt.reader) {
      stmt.run(...this.params);
      return [];
    }
    return stmt.raw(true).all(...this.params) as unknown[][];
  }

  async first(): Promise<unknown> {
    return (await this.all()).results[0] ?? null;
  }
}

export class D1Shim {
  constructor(private readonly client: Database.Database) {}

  prepare(sql: string): ShimStatement {
    return new ShimStatement(this.client, sql);
  }

  /** Like D1: the whole batch is one transaction; a failing statement rolls back all. */
  async batch(statements: ShimStatement[]): Promise<Result[]> {
    await tick();
    return this.client.transaction(() => statements.map((s) => s.execute()))();
  }

  async exec(sql: string): Promise<{ count: number; duration: number }> {
    await tick();
    this.client.exec(sql);
    return { count: 1, duration: 0 };
  }
}
