// Shared types of the storage layer. Rows are camelCase views of db/schema.ts.
import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from '../../db/schema';
import type { Sql, SqlStatement } from './sql';

/** better-sqlite3 (sync) or D1 (async): the store only uses what both have. */
export type AppDatabase = BaseSQLiteDatabase<'sync' | 'async', any, typeof schema>;
export type Driver = 'sqlite' | 'd1';

export type AnswerValue = string | number | boolean;
export type User = { userId: string; name: string };

export type Evaluation = typeof schema.evaluations.$inferSelect;
export type EvaluationStatus = schema.EvaluationStatus;
export type RoleName = schema.RoleName;
export type OutboxKind = (typeof schema.outboxKinds)[number];
export type DocumentKind = (typeof schema.documentKinds)[number];

export type Assignment = typeof schema.assignments.$inferSelect;
export type Problem = typeof schema.problems.$inferSelect;
export type OutboxRow = Omit<typeof schema.outbox.$inferSelect, 'payload'> & { payload: unknown };
export type DocumentRow = typeof schema.documents.$inferSelect;
export type RoleRow = typeof schema.roles.$inferSelect;
export type Member = typeof schema.members.$inferSelect;

export type AnswerRow = {
  path: string;
  value: AnswerValue;
  updatedBy: string;
  updatedByName: string;
  updatedAt: number;
  messageId: string | null;
};

export type HistoryRow = {
  id: number;
  evaluationId: number;
  path: string;
  oldValue: AnswerValue | null;
  newValue: AnswerValue | null; // null = deleted
  byUser: string;
  byName: string;
  at: number;
  messageId: string | null;
  via: string;
};

export type AnswerChange = {
  path: string;
  oldValue: AnswerValue | null;
  newValue: AnswerValue | null;
  /** Who gave the value being replaced, so callers can say "覆盖了 X 在 … 填的值". */
  previousBy?: { userId: string; name: string; at: number };
};

/** What every store module gets. */
export type StoreContext = {
  db: AppDatabase;
  driver: Driver;
  atomic: (statements: AtomicStatement[]) => Promise<void>;
  /** Plain SQL with statements prepared once: the hot path. */
  sql: Sql;
};

/** An unexecuted insert/update/delete: a drizzle builder, or plain SQL. */
export type AtomicStatement = ({ run(): unknown; toSQL(): { sql: string; params: unknown[] } } & BatchItem<'sqlite'>) | SqlStatement;
