// Messages accepted from Lark but not yet handled. Lark gets its 200 within 3 s and
// the bot works after it; if the process dies in between, the next start finds the
// message here and handles it, instead of it being lost behind the dedupe key.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { inbox, outbox } from '../../db/schema';
import { chunkRows } from './atomic';
import { outboxColumns, outboxRows, type OutgoingItem } from './outbox';
import { SqlStatement } from './sql';
import type { StoreContext } from './types';

export type InboundRow = { key: string; payload: unknown; receivedAt: number };

const RECEIVE = 'insert into inbox (key, payload, received_at) values (?, ?, ?) on conflict do nothing returning key';

export function inboxStore({ db, atomic, sql }: StoreContext) {
  return {
    /**
     * Keep what arrived before Lark is answered. False when the key was already received.
     * The row is the message's dedupe key too: one INSERT, so there is never a key without its message.
     */
    async receiveInbound(key: string, payload: unknown, now: number): Promise<boolean> {
      // plain SQL, prepared once, and committed with the other events that arrived at the same
      // time: this runs before every acknowledgement, and a commit of its own cost more than the insert
      const [rows] = await sql.groupCommit([new SqlStatement(RECEIVE, [key, JSON.stringify(payload), now])]);
      return rows.length > 0;
    },

    /** One received message, and whether its replies were queued (done). */
    async getInbound(key: string): Promise<(InboundRow & { done: boolean }) | undefined> {
      const r = await db.select().from(inbox).where(eq(inbox.key, key)).get();
      return r && { key: r.key, payload: JSON.parse(r.payload) as unknown, receivedAt: r.receivedAt, done: r.doneAt !== null };
    },

    /** Received and not yet done, oldest first: what a restart has to finish. */
    async pendingInbound(limit = 100): Promise<InboundRow[]> {
      const rows = await db.select().from(inbox).where(isNull(inbox.doneAt)).orderBy(asc(inbox.receivedAt)).limit(limit).all();
      return rows.map((r) => ({ key: r.key, payload: JSON.parse(r.payload) as unknown, receivedAt: r.receivedAt }));
    },

    /** Queue the replies and close the inbound message in one atomic write. */
    async completeInbound(key: string, items: OutgoingItem[], now: number): Promise<void> {
      await atomic([
        ...chunkRows(outboxRows(items, now), outboxColumns).map((chunk) => db.insert(outbox).values(chunk)),
        db.update(inbox).set({ doneAt: now }).where(and(eq(inbox.key, key), isNull(inbox.doneAt))),
      ]);
    },
  };
}
