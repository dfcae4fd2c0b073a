// Dedupe of incoming Lark events: Lark redelivers, and two processes may get the same event.
import { eq } from 'drizzle-orm';
import { handledEvents } from '../../db/schema';
import type { StoreContext } from './types';

export function eventStore({ db, sql }: StoreContext) {
  return {
    /**
     * True when `key` is new (go ahead), false when it was handled before.
     * One INSERT … ON CONFLICT DO NOTHING decides it, so two racing callers
     * cannot both get true (a SELECT-then-INSERT could).
     */
    async markHandled(key: string, now: number): Promise<boolean> {
      // plain SQL, prepared once: this runs before every acknowledgement
      const inserted = await sql.get('insert into handled_events (key, at) values (?, ?) on conflict do nothing returning key', [key, now]);
      return inserted !== undefined;
    },

    async wasHandled(key: string): Promise<boolean> {
      return (await db.select({ key: handledEvents.key }).from(handledEvents).where(eq(handledEvents.key, key)).get()) !== undefined;
    },
  };
}
