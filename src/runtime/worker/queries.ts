// D1 allows a Worker invocation 1,000 queries on the paid plan and 50 on the free one;
// past that the invocation fails. The scheduled handler counts every query it makes,
// each statement of a batch included, through this wrapper around the D1 binding, and
// hands the reminder pass and the outbox flush what they may still spend: the rest
// waits for the next Cron Trigger a minute later.

/** The binding as drizzle and the store use it. */
export interface D1Binding {
  prepare(sql: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown[]>;
  exec(sql: string): Promise<unknown>;
}
interface D1Statement {
  bind(...params: unknown[]): D1Statement;
  first(column?: string): Promise<unknown>;
  all(): Promise<unknown>;
  raw(options?: unknown): Promise<unknown>;
  run(): Promise<unknown>;
}

/** Queries per invocation the plan allows (D1_QUERY_LIMIT: 1000 paid, 50 free). */
export const DEFAULT_QUERY_LIMIT = 1000;

class CountedStatement implements D1Statement {
  constructor(
    readonly inner: D1Statement,
    private readonly counter: { n: number },
  ) {}
  bind(...params: unknown[]): D1Statement {
    return new CountedStatement(this.inner.bind(...params), this.counter);
  }
  first(column?: string) {
    this.counter.n++;
    return column === undefined ? this.inner.first() : this.inner.first(column);
  }
  all() {
    this.counter.n++;
    return this.inner.all();
  }
  raw(options?: unknown) {
    this.counter.n++;
    return options === undefined ? this.inner.raw() : this.inner.raw(options);
  }
  run() {
    this.counter.n++;
    return this.inner.run();
  }
}

export interface CountedD1 {
  db: D1Binding;
  /** Queries made so far through `db`. */
  used(): number;
  /** A budget for part of the invocation: it may spend up to `limit` queries in all, counted from the start. */
  budget(limit: number): { canSpend(queries: number): boolean };
}

export function countQueries(inner: D1Binding): CountedD1 {
  const counter = { n: 0 };
  const db: D1Binding = {
    prepare: (sql) => new CountedStatement(inner.prepare(sql), counter),
    batch(statements) {
      counter.n += statements.length; // each statement of a batch is a query
      return inner.batch(statements.map((s) => (s instanceof CountedStatement ? s.inner : s)));
    },
    exec(sql) {
      counter.n += Math.max(1, sql.split(';').filter((s) => s.trim()).length);
      return inner.exec(sql);
    },
  };
  return { db, used: () => counter.n, budget: (limit) => ({ canSpend: (q) => counter.n + q <= limit }) };
}

/** The plan's limit from D1_QUERY_LIMIT, else the paid plan's. */
export function queryLimit(raw: string | undefined): number {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n > 0 ? n : DEFAULT_QUERY_LIMIT;
}
