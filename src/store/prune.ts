// Storage that would otherwise grow with every event (about 2 KB each): finished inbox
// entries, dedupe keys and sent outbox rows. Answers, their history and everything
// else the users entered are kept for good.
//
// Lark redelivers an unanswered event at about 15 s, 5 min, 1 h and 6 h
// (/work/shared/reference/lark.md); a dedupe key (a handled_events row, or the inbox
// row that carries the message's key) must outlive that, so both are kept 7 days.
// Lark itself drops a resent uuid for one hour; sent rows are kept 7 days to answer
// "did the bot send it?", failed ones 30 days.
import type { StoreContext } from './types';

const DAY = 24 * 3600_000;

export const RETENTION = {
  dedupeMs: 7 * DAY,
  sentMs: 7 * DAY,
  failedMs: 30 * DAY,
};

/** Rows removed per statement: short write transactions, so handling messages is not held up. */
const BATCH = 500;

const statements = [
  { table: 'handled_events', sql: `delete from handled_events where rowid in (select rowid from handled_events where at < ? limit ${BATCH})`, keep: 'dedupeMs' },
  { table: 'inbox', sql: `delete from inbox where rowid in (select rowid from inbox where done_at is not null and received_at < ? limit ${BATCH})`, keep: 'dedupeMs' },
  { table: 'outbox', sql: `delete from outbox where id in (select id from outbox where status = 'sent' and sent_at < ? limit ${BATCH})`, keep: 'sentMs' },
  { table: 'outbox', sql: `delete from outbox where id in (select id from outbox where status = 'failed' and created_at < ? limit ${BATCH})`, keep: 'failedMs' },
] as const;

export function pruneStore({ sql }: StoreContext) {
  return {
    /**
     * Deletes what is past its retention, one batch at a time; `between` runs after each
     * batch (e.g. to yield to the event loop). Returns how many rows went, by table.
     */
    async pruneOld(now: number, between: () => Promise<void> = async () => {}, retention = RETENTION): Promise<Record<string, number>> {
      const removed: Record<string, number> = {};
      for (const s of statements) {
        const before = now - retention[s.keep];
        for (;;) {
          const n = await sql.run(s.sql, [before]);
          removed[s.table] = (removed[s.table] ?? 0) + n;
          await between();
          if (n < BATCH) break;
        }
      }
      return removed;
    },
  };
}
