// Reminder bookkeeping (each reminder goes out once, even with two schedulers)
// and default deadlines per year.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { defaultDeadlines, remindersSent } from '../../db/schema';
import { SqlStatement } from './sql';
import { jsonChunks } from './scan';
import type { StoreContext } from './types';

/** A reminder ready for the outbox, and the key that records it as sent. */
export interface QueuedReminder {
  key: string;
  evaluationId: number;
  chatId: string;
  kind: string;
  payload: string; // JSON, as the outbox keeps it
  uuid: string;
}

/** An open 整改 item with a deadline, with what its reminders need from its evaluation. */
export interface RemindableRectRow {
  id: number;
  evaluationId: number;
  seq: number;
  category: string;
  categoryLabel: string;
  description: string;
  measure: string;
  unit: string;
  ownerId: string | null;
  ownerName: string | null;
  dueDate: string;
  status: 'todo' | 'doing';
  statusNote: string;
  sourceKey: string;
  chatId: string;
  year: number;
  projectName: string;
  reminderDays: string | null;
  reminderTime: string | null;
}

/** Keys asked about in one query (one JSON parameter). */
export const SENT_KEYS_PER_QUERY = 5000;

export function reminderStore({ db, sql }: StoreContext) {
  return {
    /** Which of these keys were recorded as sent: one query for any number of keys. */
    async sentKeys(keys: readonly string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (const chunk of jsonChunks(keys, SENT_KEYS_PER_QUERY)) {
        const rows = await sql.all<{ key: string }>(`SELECT key FROM reminders_sent WHERE key IN (SELECT value FROM json_each(?))`, [JSON.stringify(chunk)]);
        for (const r of rows) out.add(r.key);
      }
      return out;
    },

    /**
     * Queues reminders and records them as sent, all in one atomic write (two
     * statements per 100 reminders). A reminder whose uuid is already in the outbox
     * (another process, or a run cut off after queuing) is only recorded. Returns
     * the uuids this call queued.
     */
    async queueReminders(reminders: readonly QueuedReminder[], now: number): Promise<Set<string>> {
      const statements: SqlStatement[] = [];
      for (const chunk of jsonChunks(reminders)) {
        const param = JSON.stringify(chunk);
        statements.push(
          new SqlStatement(
            `INSERT INTO outbox (priority, chat_id, kind, payload, reply_to, uuid, next_attempt_at, created_at)
             SELECT 1, json_extract(j.value, '$.chatId'), json_extract(j.value, '$.kind'), json_extract(j.value, '$.payload'), NULL,
                    json_extract(j.value, '$.uuid'), ?, ?
             FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.uuid = json_extract(j.value, '$.uuid'))
             ON CONFLICT(uuid) DO NOTHING RETURNING uuid`,
            [now, now, param],
          ),
          new SqlStatement(
            `INSERT INTO reminders_sent (key, evaluation_id, sent_at)
             SELECT json_extract(j.value, '$.key'), json_extract(j.value, '$.evaluationId'), ? FROM json_each(?) j WHERE true
             ON CONFLICT(key) DO NOTHING`,
            [now, param],
          ),
        );
      }
      const results = statements.length ? await sql.transactionAll(statements) : [];
      return new Set(results.flatMap((rows) => (rows as { uuid: string }[]).map((r) => r.uuid)));
    },

    /**
     * Open 整改 items due on or before `dueBy` of evaluations `fromId` < id <= `toId`, whose
     * reminders are not paused (neither their evaluation's nor, through 暂停提醒, the
     * chat's current evaluation's), in evaluation and 序号 order.
     */
    async remindableRectItems(dueBy: string, fromId: number, toId: number): Promise<RemindableRectRow[]> {
      return await sql.all<RemindableRectRow>(
        `SELECT r.id, r.evaluation_id AS evaluationId, r.seq, r.category, r.category_label AS categoryLabel, r.description, r.measure,
                r.unit, r.owner_id AS ownerId, r.owner_name AS ownerName, r.due_date AS dueDate, r.status, r.status_note AS statusNote,
                r.source_key AS sourceKey, e.chat_id AS chatId, e.year, e.project_name AS projectName,
                e.reminder_days AS reminderDays, e.reminder_time AS reminderTime
         FROM rect_items r JOIN evaluations e ON e.id = r.evaluation_id
         WHERE r.evaluation_id > ? AND r.evaluation_id <= ?
           AND r.status IN ('todo', 'doing') AND r.due_date IS NOT NULL AND r.due_date <= ?
           AND NOT e.reminders_paused
           AND NOT EXISTS (SELECT 1 FROM evaluations p WHERE p.chat_id = e.chat_id AND p.status <> 'archived' AND p.reminders_paused)
         ORDER BY r.evaluation_id, r.seq`,
        [fromId, toId, dueBy],
      );
    },

    /** The largest evaluation id (0 when there is none): where a pass by id ranges ends. */
    async maxEvaluationId(): Promise<number> {
      return (await sql.get<{ n: number | null }>(`SELECT max(id) AS n FROM evaluations`, []))?.n ?? 0;
    },

    /** True when `key` is new: the caller sends. Race-safe like markHandled. */
    async markReminderSent(key: string, evaluationId: number, now: number): Promise<boolean> {
      const inserted = await db
        .insert(remindersSent)
        .values({ key, evaluationId, sentAt: now })
        .onConflictDoNothing()
        .returning({ key: remindersSent.key });
      return inserted.length > 0;
    },

    async wasReminderSent(key: string): Promise<boolean> {
      return (await db.select({ key: remindersSent.key }).from(remindersSent).where(eq(remindersSent.key, key)).get()) !== undefined;
    },

    /** templateId '' sets the deadline for every template of that year. */
    async setDefaultDeadline(year: number, templateId: string, deadline: string, by: string, now: number): Promise<void> {
      await db
        .insert(defaultDeadlines)
        .values({ year, templateId, deadline, setBy: by, setAt: now })
        .onConflictDoUpdate({
          target: [defaultDeadlines.year, defaultDeadlines.templateId],
          set: { deadline, setBy: by, setAt: now },
        })
        .run();
    },

    /** The template's own default first, then the year's ''. */
    async getDefaultDeadline(year: number, templateId: string): Promise<string | undefined> {
      const row = await db
        .select({ deadline: defaultDeadlines.deadline })
        .from(defaultDeadlines)
        .where(and(eq(defaultDeadlines.year, year), inArray(defaultDeadlines.templateId, [templateId, ''])))
        // '' sorts before any other id, so descending puts the specific one first.
        .orderBy(desc(defaultDeadlines.templateId))
        .limit(1)
        .get();
      return row?.deadline;
    },
  };
}
