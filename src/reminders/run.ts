// Loading the reminders' state from the store, and sending what is due through the
// outbox. Sending is the outbox's job; this only queues, each reminder once.
//
// Once, even with a restart, two processes or a crash in between: a reminder's
// outbox row has a uuid derived from its key, and the outbox's uuid is unique. So
// the first process to queue it wins and any later attempt fails on the uuid; then
// the key is recorded in reminders_sent (markReminderSent), which keeps it out of
// later runs and the CLI's preview. Queue first, record second: a crash between
// the two leaves a queued reminder whose next attempt just records it, instead of
// a recorded reminder that was never queued.
//
// Private messages to a leader go to the outbox with chatId 'user:<open_id>': the
// sender posts those with receive_id_type 'open_id' (see outboxChatId).
import { outboxItems, USER_TARGET_PREFIX } from '../conversation/outbox';
import type { Template } from '../domain/template';
import { templates as shippedTemplates } from '../domain/registry';
import type { Store } from '../store';
import { isComplete } from '../domain/summary';
import { type FactsCache, loadFactsWithRows } from '../summary/load';
import { dueRectReminders, loadRectReminderState } from './rectification';
import {
  DEFAULT_DAYS,
  DEFAULT_TIME,
  type Reminder,
  type ReminderEvaluation,
  type ReminderState,
  type ReminderTarget,
  dueReminders,
  mayBeDue,
} from './schedule';

/** The outbox's chatId for a target: the chat id, or 'user:<open_id>' for a private message. */
export function outboxChatId(to: ReminderTarget): string {
  return 'chatId' in to ? to.chatId : `${USER_TARGET_PREFIX}${to.userId}`;
}

export interface ReminderOptions {
  templates?: readonly Template[];
  cache?: FactsCache;
}

type ReminderStore = Pick<
  Store,
  'listEvaluations' | 'getAnswerRows' | 'getAssignments' | 'getDefaultDeadline' | 'listRoles' | 'wasReminderSent' | 'listRectItemsOf'
>;

/** Deadline reminders and 整改 reminders due at `at`, in time order. */
async function allDue(store: ReminderStore, at: number, opts: ReminderOptions): Promise<Reminder[]> {
  const due = [...dueReminders(await loadReminderState(store, at, opts), at), ...dueRectReminders(await loadRectReminderState(store, at), at)];
  return due.sort((a, b) => a.scheduledAt - b.scheduledAt || (a.key < b.key ? -1 : 1));
}

/** The database's state as dueReminders needs it at `at`: only evaluations that might be due are loaded in full. */
export async function loadReminderState(store: ReminderStore, at: number, opts: ReminderOptions = {}): Promise<ReminderState> {
  const settingsOf = (row: { reminderDays: number[] | null; reminderTime: string | null; remindersPaused: boolean }) => ({
    days: row.reminderDays ?? DEFAULT_DAYS,
    time: row.reminderTime ?? DEFAULT_TIME,
    paused: row.remindersPaused,
  });
  const loaded = await loadFactsWithRows(store, {
    templates: opts.templates ?? shippedTemplates,
    cache: opts.cache,
    want: (row, deadline) => row.status === 'filling' && mayBeDue({ id: row.id, deadline, reminders: settingsOf(row) }, at),
    assignmentsFor: (f) => !isComplete(f), // a complete evaluation gets no reminder
  });
  const evaluations: ReminderEvaluation[] = loaded.map(({ row, facts }) => ({ ...facts, reminders: settingsOf(row) }));
  const leaders = (await store.listRoles()).filter((r) => r.role === 'leader').map((r) => ({ userId: r.userId, name: r.userName }));
  const state: ReminderState = { evaluations, leaders, sent: new Set() };
  // Which of the candidates were already sent: ask about those keys only.
  const sent = new Set<string>();
  for (const r of dueReminders(state, at)) if (await store.wasReminderSent(r.key)) sent.add(r.key);
  return { ...state, sent };
}

/** What would go out at `at`, without sending anything (the CLI's preview). */
export async function previewReminders(store: ReminderStore, at: number, opts: ReminderOptions = {}): Promise<Reminder[]> {
  return allDue(store, at, opts);
}

/** A stable uuid per reminder key (Lark's idempotency key, max 50 characters). */
export async function reminderUuid(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`reminder:${key}`)));
  const hex = [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed/i.test(e.message)) return true;
  return false;
}

export interface RunResult {
  queued: Reminder[]; // queued by this call
  alreadyQueued: number; // due, but another process (or an earlier, interrupted run) had queued them
}

/**
 * Queue every reminder due at `now`. Call it every minute (Node) or from a Cron
 * Trigger (Workers); calling it twice, late, or from two processes at once sends
 * each reminder once. `opts.cache` (a FactsCache kept between calls) saves
 * recomputing unchanged evaluations.
 */
export async function runReminders(
  store: ReminderStore & Pick<Store, 'enqueueOutgoing' | 'markReminderSent'>,
  now: number,
  opts: ReminderOptions = {},
): Promise<RunResult> {
  const due = await allDue(store, now, opts);
  const result: RunResult = { queued: [], alreadyQueued: 0 };
  for (const r of due) {
    const uuid = await reminderUuid(r.key);
    const items = outboxItems({ messages: [r.message] }, outboxChatId(r.to), undefined, () => uuid);
    try {
      await store.enqueueOutgoing(items, now, 'background');
      result.queued.push(r);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      result.alreadyQueued++;
    }
    await store.markReminderSent(r.key, r.evaluationId, now);
  }
  return result;
}
