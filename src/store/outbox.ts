// Outgoing messages. Handlers enqueue instead of calling Lark directly, so a reply
// is never lost to a crash or a Lark hiccup; a sender drains the queue. Each item
// carries a uuid that Lark uses to drop duplicates when we resend.
import { and, asc, count, eq, getTableColumns, gt, inArray, lt, lte, notExists, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { outbox } from '../../db/schema';
import { chunkRows } from './atomic';
import type { OutboxKind, OutboxRow, StoreContext } from './types';

export type OutgoingItem = { chatId: string; kind: OutboxKind; payload: unknown; replyTo?: string | null; uuid: string };

export interface DueOptions {
  /** Chats to leave out (the sender is holding them back, e.g. pacing): their rows do not fill the batch. */
  excludeChats?: Iterable<string>;
}

export const outboxColumns = Object.keys(getTableColumns(outbox)).length;

/** Replies to people go before background messages (reminders, scheduled lists). */
export type OutboxPriority = 'reply' | 'background';

/** Rows for queued items; also used where queuing is part of a bigger atomic write. */
export function outboxRows(items: OutgoingItem[], now: number, priority: OutboxPriority = 'reply') {
  return items.map((item) => ({
    priority: priority === 'reply' ? 0 : 1,
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
    async enqueueOutgoing(items: OutgoingItem[], now: number, priority: OutboxPriority = 'reply'): Promise<number[]> {
      if (items.length === 0) return [];
      const rows = outboxRows(items, now, priority);
      await atomic(chunkRows(rows, outboxColumns).map((chunk) => db.insert(outbox).values(chunk)));
      // Read the ids back by uuid (unique): the batch API has no common way to return rows on both drivers.
      const byUuid = new Map<string, number>();
      for (const uuids of chunkRows(items.map((i) => i.uuid), 1)) {
        const found = await db.select({ id: outbox.id, uuid: outbox.uuid }).from(outbox).where(inArray(outbox.uuid, uuids)).all();
        for (const r of found) byUuid.set(r.uuid, r.id);
      }
      return items.map((item) => byUuid.get(item.uuid)!);
    },

    /**
     * Pending items whose time has come, replies first, then oldest first. A chat's messages stay in order:
     * an item is not due while an earlier pending item of its chat waits for a retry,
     * so a chat held back this way does not fill the batch and other chats' items still come.
     */
    async dueOutgoing(now: number, limit: number, options: DueOptions = {}): Promise<OutboxRow[]> {
      const earlier = alias(outbox, 'earlier');
      const conditions: SQL[] = [
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, now),
        notExists(
          db
            .select({ one: sql`1` })
            .from(earlier)
            .where(and(eq(earlier.chatId, outbox.chatId), eq(earlier.status, 'pending'), lt(earlier.id, outbox.id), gt(earlier.nextAttemptAt, now))),
        ),
      ];
      const exclude = [...new Set(options.excludeChats ?? [])];
      // One bound JSON array rather than one variable per chat: D1 allows 100 variables per statement.
      if (exclude.length) conditions.push(sql`${outbox.chatId} NOT IN (SELECT value FROM json_each(${JSON.stringify(exclude)}))`);
      const rows = await db
        .select()
        .from(outbox)
        .where(and(...conditions))
        .orderBy(asc(outbox.priority), asc(outbox.id))
        .limit(limit)
        .all();
      return rows.map(decodeRow);
    },

    async markSent(id: number, sentMessageId: string | null, now: number): Promise<void> {
      await db.update(outbox).set({ status: 'sent', sentMessageId, sentAt: now, lastError: null }).where(eq(outbox.id, id)).run();
    },

    /**
     * Replies merged before sending: the first row takes the merged text, the others are closed
     * as sent inside it (sent_message_id `merged:<its uuid>`). One write, before the send: the
     * first row is then resent, after a crash, with the same text and uuid, and Lark keeps one.
     */
    async mergeInto(first: { id: number; uuid: string }, payload: unknown, otherIds: number[], now: number): Promise<void> {
      await atomic([
        db.update(outbox).set({ payload: JSON.stringify(payload) }).where(and(eq(outbox.id, first.id), eq(outbox.status, 'pending'))),
        db
          .update(outbox)
          .set({ status: 'sent', sentMessageId: `merged:${first.uuid}`, sentAt: now, lastError: null })
          .where(and(eq(outbox.status, 'pending'), sql`${outbox.id} IN (SELECT value FROM json_each(${JSON.stringify(otherIds)}))`)),
      ]);
    },

    /** A chat's pending rows after `afterId`, in order: what may go out merged with that row. */
    async pendingInChat(chatId: string, afterId: number, limit: number): Promise<OutboxRow[]> {
      const rows = await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.chatId, chatId), eq(outbox.status, 'pending'), gt(outbox.id, afterId)))
        .orderBy(asc(outbox.id))
        .limit(limit)
        .all();
      return rows.map(decodeRow);
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

    /** What was sent since `since`, oldest first: the sends that still count against Lark's limits, whoever made them. */
    async recentSends(since: number): Promise<{ chatId: string; at: number }[]> {
      const rows = await db
        .select({ chatId: outbox.chatId, at: outbox.sentAt })
        .from(outbox)
        .where(and(eq(outbox.status, 'sent'), gt(outbox.sentAt, since)))
        .orderBy(asc(outbox.sentAt))
        .all();
      return rows.map((r) => ({ chatId: r.chatId, at: r.at ?? since }));
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
