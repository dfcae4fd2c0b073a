// Outgoing messages. Handlers enqueue instead of calling Lark directly, so a reply
// is never lost to a crash or a Lark hiccup; a sender drains the queue. Each item
// carries a uuid that Lark uses to drop duplicates when we resend.
import { count, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema';
import { chunkRows } from './atomic';
import { SqlStatement } from './sql';
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

// The sender's own queries, run for every reply (on Workers in every request's flush):
// plain SQL, as drizzle builds each query anew on every call (the Worker's profile:
// building dueOutgoing alone was a sixth of a message's CPU).
const ROW = `id, chat_id AS chatId, kind, payload, reply_to AS replyTo, uuid, status, attempts, next_attempt_at AS nextAttemptAt,
  priority, last_error AS lastError, sent_message_id AS sentMessageId, created_at AS createdAt, sent_at AS sentAt`;
// `+o.next_attempt_at` keeps that term off the index: the plan then walks outbox_due_idx in the
// batch's order and stops at the limit, instead of sorting every pending row (3.9 → 0.24 ms with 4,500 pending).
export const DUE = `SELECT ${ROW} FROM outbox o
  WHERE o.status = 'pending' AND +o.next_attempt_at <= ?
    AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id AND e.status = 'pending' AND e.id < o.id AND e.next_attempt_at > ?)`;
export const DUE_ORDER = 'ORDER BY o.priority, o.id LIMIT ?';

export function outboxStore({ db, atomic, sql: raw }: StoreContext) {
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
      const exclude = [...new Set(options.excludeChats ?? [])];
      // One bound JSON array rather than one variable per chat: D1 allows 100 variables per statement.
      const rows = exclude.length
        ? await raw.all<typeof outbox.$inferSelect>(`${DUE} AND o.chat_id NOT IN (SELECT value FROM json_each(?)) ${DUE_ORDER}`, [now, now, JSON.stringify(exclude), limit])
        : await raw.all<typeof outbox.$inferSelect>(`${DUE} ${DUE_ORDER}`, [now, now, limit]);
      return rows.map(decodeRow);
    },

    async markSent(id: number, sentMessageId: string | null, now: number): Promise<void> {
      await raw.run("UPDATE outbox SET status = 'sent', sent_message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?", [sentMessageId, now, id]);
    },

    /**
     * Replies merged before sending: the first row takes the merged text, the others are closed
     * as sent inside it (sent_message_id `merged:<its uuid>`). One write, before the send: the
     * first row is then resent, after a crash, with the same text and uuid, and Lark keeps one.
     */
    async mergeInto(first: { id: number; uuid: string }, payload: unknown, otherIds: number[], now: number): Promise<void> {
      await raw.transaction([
        new SqlStatement("UPDATE outbox SET payload = ? WHERE id = ? AND status = 'pending'", [JSON.stringify(payload), first.id]),
        new SqlStatement(
          "UPDATE outbox SET status = 'sent', sent_message_id = ?, sent_at = ?, last_error = NULL WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?))",
          [`merged:${first.uuid}`, now, JSON.stringify(otherIds)],
        ),
      ]);
    },

    /** A chat's pending rows after `afterId`, in order: what may go out merged with that row. */
    async pendingInChat(chatId: string, afterId: number, limit: number): Promise<OutboxRow[]> {
      const rows = await raw.all<typeof outbox.$inferSelect>(`SELECT ${ROW} FROM outbox WHERE chat_id = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT ?`, [chatId, afterId, limit]);
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
      return raw.all<{ chatId: string; at: number }>("SELECT chat_id AS chatId, sent_at AS at FROM outbox WHERE status = 'sent' AND sent_at > ? ORDER BY sent_at", [since]);
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
