// Reminder bookkeeping (each reminder goes out once, even with two schedulers)
// and default deadlines per year.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { defaultDeadlines, remindersSent } from '../../db/schema';
import type { StoreContext } from './types';

export function reminderStore({ db }: StoreContext) {
  return {
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
