// The storage layer: the only code that touches the database. createStore works
// on better-sqlite3 ('sqlite') and on Cloudflare D1 ('d1') alike.
import { answerStore } from './answers';
import { assignmentStore } from './assignments';
import { chatStore } from './chat';
import { makeAtomic } from './atomic';
import { dialogStore } from './dialog';
import { documentStore } from './documents';
import { earlierStore } from './earlier';
import { evaluationStore } from './evaluations';
import { eventStore } from './events';
import { inboxStore } from './inbox';
import { leaseStore } from './leases';
import { memberStore } from './members';
import { outboxStore } from './outbox';
import { problemStore } from './problems';
import { pruneStore } from './prune';
import { rectificationStore } from './rectification';
import { reminderStore } from './reminders';
import { roleStore } from './roles';
import { scanStore } from './scan';
import { makeSql } from './sql';
import type { AppDatabase, Driver, StoreContext } from './types';

export function createStore(db: AppDatabase, driver: Driver) {
  const sql = makeSql(db, driver);
  const ctx: StoreContext = { db, driver, sql, atomic: makeAtomic(sql) };
  return {
    ...evaluationStore(ctx),
    ...answerStore(ctx),
    ...assignmentStore(ctx),
    ...dialogStore(ctx),
    ...problemStore(ctx),
    ...eventStore(ctx),
    ...inboxStore(ctx),
    ...outboxStore(ctx),
    ...documentStore(ctx),
    ...roleStore(ctx),
    ...reminderStore(ctx),
    ...memberStore(ctx),
    ...chatStore(ctx),
    ...pruneStore(ctx),
    ...rectificationStore(ctx),
    ...earlierStore(ctx),
    ...leaseStore(ctx),
    ...scanStore(ctx),
  };
}

export type Store = ReturnType<typeof createStore>;

export * from './types';
export { EvaluationNotFoundError, type ApplyMeta, type ApplyResult } from './answers';
export type { DialogState } from './dialog';
export { RETENTION } from './prune';
export { StaleAnswersError, type ChatView, type MessageWrite } from './chat';
export type { NewDocument } from './documents';
export type { EarlierEvaluation } from './earlier';
export type { EvaluationPatch, NewEvaluation } from './evaluations';
export type { OutgoingItem } from './outbox';
export type { NewProblem } from './problems';
export type { InboundRow } from './inbox';
export type { RectHistoryRow, RectMeta } from './rectification';
export type { QueuedReminder, RemindableRectRow } from './reminders';
export type { ScannedEvaluation, ScanFilter, StoredFacts, SummaryScanRow } from './scan';
