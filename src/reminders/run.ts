// The reminder pass: what is due at a moment, read from the store a chunk at a time,
// and queued through the outbox. Sending is the outbox's job; this only queues, each
// reminder once.
//
// SQL picks what might be due (evaluations being filled with a deadline close enough,
// open 整改 items with a deadline); what was already sent is asked for a page at a
// time, so an evaluation with nothing new is never loaded. The rest is loaded and
// queued a chunk of 100 at a time (a few queries per chunk), yielding the event loop
// in between. With a query budget (D1: 1,000 queries per Worker invocation, 50 on the
// free plan) the pass stops before a chunk it cannot afford; what it did not reach
// stays due and the next run (a minute later) carries on from there.
//
// Once, even with a restart, two processes or a crash in between: a reminder's outbox
// row has a uuid derived from its key, and one atomic write queues it (unless that
// uuid is already queued) and records the key in reminders_sent, which keeps it out of
// later runs and the CLI's preview.
//
// Private messages to a leader go to the outbox with chatId 'user:<open_id>': the
// sender posts those with receive_id_type 'open_id' (see outboxChatId).
import { outboxItems, USER_TARGET_PREFIX } from '../conversation/outbox';
import { addDays, beijingDate } from '../domain/calendar';
import type { Template } from '../domain/template';
import { templates as shippedTemplates } from '../domain/registry';
import type { QueuedReminder, ScannedEvaluation, Store } from '../store';
import { SENT_KEYS_PER_QUERY } from '../store/reminders';
import { isComplete, isOverdue } from '../domain/summary';
import {
  CHUNK_SIZE,
  type FactsCache,
  type LoaderStore,
  OutOfBudget,
  type QueryBudget,
  type Spend,
  chunkFacts,
  evaluationFacts,
  newFactsCache,
  scanPages,
  spender,
  withAssignments,
} from '../summary/load';
import { slicer } from '../summary/pause';
import { type RectReminderStore, rectReminderChunks } from './rectification';
import {
  DEFAULT_DAYS,
  DEFAULT_TIME,
  LOOKBACK_MS,
  type Reminder,
  type ReminderEvaluation,
  type ReminderSettings,
  type ReminderTarget,
  type Slot,
  byTime,
  chatSlots,
  dueChatReminders,
  dueLeaderDigests,
  leaderDigestKey,
  leaderSlots,
} from './schedule';

/** The outbox's chatId for a target: the chat id, or 'user:<open_id>' for a private message. */
export function outboxChatId(to: ReminderTarget): string {
  return 'chatId' in to ? to.chatId : `${USER_TARGET_PREFIX}${to.userId}`;
}

export interface ReminderOptions {
  templates?: readonly Template[];
  cache?: FactsCache;
  /** Queries this pass may still make (a Worker's D1 limit); absent = no limit. */
  budget?: QueryBudget;
}

/** The latest deadline with a reminder due now: the furthest reminder day (90, see 提醒) and the days off it may move back over. */
const MAX_DAYS_AHEAD = 120;
/** Overdue evaluations loaded at once for the leaders' digest (their facts are usually stored: one query). */
const DIGEST_CHUNK = 500;

type ReminderStore = LoaderStore & RectReminderStore & Pick<Store, 'listRoles' | 'sentKeys'>;

const settingsOf = (row: { reminderDays: number[] | null; reminderTime: string | null; remindersPaused: boolean }): ReminderSettings => ({
  days: row.reminderDays ?? DEFAULT_DAYS,
  time: row.reminderTime ?? DEFAULT_TIME,
  paused: row.remindersPaused,
});

interface PassHooks {
  /** Called with each chunk's due reminders before the next chunk is read. */
  due(reminders: Reminder[], spend: Spend): Promise<void>;
  /** The evaluations the pass loaded in full (for tests and the CLI). */
  loaded?(evaluations: ReminderEvaluation[]): void;
}

/** Walks everything that may be due at `at`; returns false when the budget ran out before the end. */
async function pass(store: ReminderStore, at: number, opts: ReminderOptions, hooks: PassHooks): Promise<boolean> {
  try {
    await passOrThrow(store, at, opts, hooks);
    return true;
  } catch (error) {
    if (error instanceof OutOfBudget) return false;
    throw error;
  }
}

async function passOrThrow(store: ReminderStore, at: number, opts: ReminderOptions, hooks: PassHooks): Promise<void> {
  const spend = spender(opts.budget);
  const templates = opts.templates ?? shippedTemplates;
  const cache = opts.cache ?? newFactsCache();
  const pause = slicer();
  const from = at - LOOKBACK_MS;

  const load = async (rows: ScannedEvaluation[]): Promise<ReminderEvaluation[]> => {
    const facts = await chunkFacts(store, rows, templates, cache, pause, spend);
    const evaluations = rows.map((row) => ({ ...evaluationFacts(row, facts.get(row.id)!, row.effectiveDeadline), reminders: settingsOf(row) }));
    // a complete evaluation gets no reminder, so it needs no assignee
    await withAssignments(store, evaluations.filter((ev) => !isComplete(ev)), spend);
    hooks.loaded?.(evaluations);
    return evaluations;
  };

  // The leaders' digests not sent yet: they need every overdue evaluation loaded.
  spend(1);
  const leaders = (await store.listRoles()).filter((r) => r.role === 'leader').map((r) => ({ userId: r.userId, name: r.userName }));
  const digestKeys = leaderSlots(from, at).flatMap((s) => leaders.map((l) => ({ date: s.date, key: leaderDigestKey(l.userId, s.date) })));
  if (digestKeys.length) spend(1);
  const digestSent = digestKeys.length ? await store.sentKeys(digestKeys.map((k) => k.key)) : new Set<string>();
  const digestDates = [...new Set(digestKeys.filter((k) => !digestSent.has(k.key)).map((k) => k.date))];
  const overdueRows: ScannedEvaluation[] = [];
  const overdue = new Map<number, ReminderEvaluation>();

  // 1. each chat's reminders: only evaluations with a reminder not sent yet are loaded
  for await (const page of scanPages(store, { remindableBy: addDays(beijingDate(at), MAX_DAYS_AHEAD) }, spend)) {
    const slots = new Map<number, Slot[]>();
    for (const row of page) {
      await pause();
      slots.set(row.id, chatSlots({ id: row.id, deadline: row.effectiveDeadline, reminders: settingsOf(row) }, from, at));
      if (digestDates.some((d) => !!row.effectiveDeadline && row.effectiveDeadline < d)) overdueRows.push(row);
    }
    const keys = [...slots.values()].flatMap((list) => list.map((s) => s.key));
    if (keys.length) spend(Math.ceil(keys.length / SENT_KEYS_PER_QUERY));
    const sent = keys.length ? await store.sentKeys(keys) : new Set<string>();
    const wanted = page.filter((row) => slots.get(row.id)!.some((s) => !sent.has(s.key)));
    for (let i = 0; i < wanted.length; i += CHUNK_SIZE) {
      await pause();
      const evaluations = await load(wanted.slice(i, i + CHUNK_SIZE));
      for (const ev of evaluations) if (digestDates.some((d) => isOverdue(ev, d))) overdue.set(ev.id, ev);
      await pause();
      const due = dueChatReminders(evaluations, sent, at);
      if (due.length) await hooks.due(due, spend);
    }
  }
  // 2. the leaders' digests, once every overdue evaluation is loaded
  if (digestDates.length) {
    const rest = overdueRows.filter((row) => !overdue.has(row.id));
    for (let i = 0; i < rest.length; i += DIGEST_CHUNK) {
      await pause();
      for (const ev of await load(rest.slice(i, i + DIGEST_CHUNK))) if (digestDates.some((d) => isOverdue(ev, d))) overdue.set(ev.id, ev);
    }
    await pause();
    const due = dueLeaderDigests({ evaluations: [...overdue.values()], leaders, sent: digestSent }, at);
    if (due.length) await hooks.due(due, spend);
  }
  // 3. 整改 items, by ranges of evaluations
  for await (const due of rectReminderChunks(store, at, spend, pause)) if (due.length) await hooks.due(due, spend);
}

/** The database's state as dueReminders needs it at `at`: only evaluations that might be due are loaded in full. */
export async function loadReminderState(
  store: ReminderStore,
  at: number,
  opts: ReminderOptions = {},
): Promise<{ evaluations: ReminderEvaluation[]; leaders: { userId: string; name: string }[]; due: Reminder[] }> {
  const evaluations: ReminderEvaluation[] = [];
  const due: Reminder[] = [];
  await pass(store, at, opts, { due: async (r) => void due.push(...r), loaded: (evs) => evaluations.push(...evs) });
  const leaders = (await store.listRoles()).filter((r) => r.role === 'leader').map((r) => ({ userId: r.userId, name: r.userName }));
  return { evaluations, leaders, due: due.sort(byTime) };
}

/** What would go out at `at`, without sending anything (the CLI's preview). */
export async function previewReminders(store: ReminderStore, at: number, opts: ReminderOptions = {}): Promise<Reminder[]> {
  const due: Reminder[] = [];
  await pass(store, at, opts, { due: async (r) => void due.push(...r) });
  return due.sort(byTime);
}

/** A stable uuid per reminder key (Lark's idempotency key, max 50 characters). */
export async function reminderUuid(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`reminder:${key}`)));
  const hex = [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface RunResult {
  queued: Reminder[]; // queued by this call
  alreadyQueued: number; // due, but another process (or an earlier, interrupted run) had queued them
  /** false when the query budget ran out first: the rest stays due for the next run */
  complete: boolean;
}

/**
 * Queue every reminder due at `now`. Call it every minute (Node) or from a Cron
 * Trigger (Workers); calling it twice, late, or from two processes at once sends
 * each reminder once. `opts.cache` (a FactsCache kept between calls) saves
 * recomputing unchanged evaluations; `opts.budget` bounds the queries.
 */
export async function runReminders(store: ReminderStore & Pick<Store, 'queueReminders'>, now: number, opts: ReminderOptions = {}): Promise<RunResult> {
  const result: RunResult = { queued: [], alreadyQueued: 0, complete: false };
  result.complete = await pass(store, now, opts, {
    async due(reminders, spend) {
      spend(2 * Math.ceil(reminders.length / 100)); // two statements per 100 (queueReminders)
      const rows: (QueuedReminder & { reminder: Reminder })[] = [];
      for (const r of [...reminders].sort(byTime)) {
        const uuid = await reminderUuid(r.key);
        const [item] = outboxItems({ messages: [r.message] }, outboxChatId(r.to), undefined, () => uuid);
        rows.push({ key: r.key, evaluationId: r.evaluationId, chatId: item.chatId, kind: item.kind, payload: JSON.stringify(item.payload ?? null), uuid, reminder: r });
      }
      const queued = await store.queueReminders(
        rows.map(({ reminder, ...row }) => row),
        now,
      );
      for (const row of rows) {
        if (queued.has(row.uuid)) result.queued.push(row.reminder);
        else result.alreadyQueued++;
      }
    },
  });
  result.queued.sort(byTime);
  return result;
}
