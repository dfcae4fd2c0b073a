// Outgoing messages. Handlers enqueue instead of calling Lark directly, so a reply
// is never lost to a crash or a Lark hiccup; a sender drains the queue. Each item
// carries a uuid that Lark uses to drop duplicates when we resend.
import { and, asc, count, eq, getTableColumns, inArray, lte, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema';
import { chunkRows } from './atomic';
import type { OutboxKind, OutboxRow, StoreContext } from './types';

export type OutgoingItem = { chatId: string; kind: OutboxKind; payload: unknown; replyTo?: string | null; uuid: string };

export const outboxColumns = Object.keys(getTableColumns(outbox)).length;

/** Rows for queued items; also used where queuing is part of a bigger atomic write. */
export function outboxRows(items: OutgoingItem[], now: number) {
  return items.map((item) => ({
    chatId: item.chatId,
    kind: item.kind,
    payload: JSON.stringify(item.payload ?? null),
    replyTo: item.replyTo ?? null,
    uuid: item.uuid,
    nextAttemptAt: now,
    createdAt: now,
  }));
}
const decodeRow = (row: typeof outbox.$inferSelect): OutboxRow => ({ ...row, payload: JSON.parse(row.payload) as unknown });

export function outboxStore({ db, atomic }: StoreContext) {
  return {
    /**
     * Ids in the order of `items`. Atomic: a duplicate uuid anywhere means none
     * of the items is queued.
     */
    async enqueueOutgoing(items: OutgoingItem[], now: number): Promise<number[]> {
      if (items.length === 0) return [];
      const rows = outboxRows(items, now);
      await atomic(chunkRows(rows, outboxColumns).map((chunk) => db.insert(outbox).values(chunk)));
      // Read the ids back by uuid (unique): the batch API has no common way to return rows on both drivers.
      const byUuid = new Map<string, number>();
      for (const uuids of chunkRows(items.map((i) => i.uuid), 1)) {
        const found = await db.select({ id: outbox.id, uuid: outbox.uuid }).from(outbox).where(inArray(outbox.uuid, uuids)).all();
        for (const r of found) byUuid.set(r.uuid, r.id);
      }
      return items.map((item) => byUuid.get(item.uuid)!);
    },

    /** Pending items whose time has come, oldest first (keeps a chat's messages in order). */
    async dueOutgoing(now: number, limit: number): Promise<OutboxRow[]> {
      const rows = await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
        .orderBy(asc(outbox.id))
        .limit(limit)
        .all();
      return rows.map(decodeRow);
    },

    async markSent(id: number, sentMessageId: string | null, now: number): Promise<void> {
      await db.update(outbox).set({ status: 'sent', sentMessageId, sentAt: now, lastError: null }).where(eq(outbox.id, id)).run();
    },

    /** A failed try that is worth repeating later. `attempts` counts failed tries. */
    async markRetry(id: number, nextAttemptAt: number, error: string): Promise<void> {
      await db
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt, lastError: error })
        .where(eq(outbox.id, id))
        .run();
    },

    /** Give up on the item: it is never picked again. */
    async markFailed(id: number, error: string): Promise<void> {
      await db
        .update(outbox)
        .set({ status: 'failed', attempts: sql`${outbox.attempts} + 1`, lastError: error })
        .where(eq(outbox.id, id))
        .run();
    },

    async pendingCount(): Promise<number> {
      const row = await db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending')).get();
      return row?.n ?? 0;
    },

    async getOutgoing(id: number): Promise<OutboxRow | undefined> {
      const row = await db.select().from(outbox).where(eq(outbox.id, id)).get();
      return row && decodeRow(row);
    },
  };
}
