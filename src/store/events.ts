// Dedupe of incoming Lark events: Lark redelivers, and two processes may get the same event.
import { eq } from 'drizzle-orm';
import { handledEvents } from '../../db/schema';
import type { StoreContext } from './types';

export function eventStore({ db }: StoreContext) {
  return {
    /**
     * True when `key` is new (go ahead), false when it was handled before.
     * One INSERT … ON CONFLICT DO NOTHING decides it, so two racing callers
     * cannot both get true (a SELECT-then-INSERT could).
     */
    async markHandled(key: string, now: number): Promise<boolean> {
      const inserted = await db
        .insert(handledEvents)
        .values({ key, at: now })
        .onConflictDoNothing()
        .returning({ key: handledEvents.key });
      return inserted.length > 0;
    },

    async wasHandled(key: string): Promise<boolean> {
      return (await db.select({ key: handledEvents.key }).from(handledEvents).where(eq(handledEvents.key, key)).get()) !== undefined;
    },
  };
}
