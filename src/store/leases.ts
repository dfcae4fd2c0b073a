// Leases: one holder at a time for a job, across processes that share only the
// database (Workers isolates on one D1). Taking a lease is a single upsert, so two
// racing callers cannot both win; an expired lease is taken over.
// Plain SQL: every Worker request takes and gives back the outbox lease.
import type { StoreContext } from './types';

// only a free (expired) lease or our own changes hands; no row comes back otherwise
const ACQUIRE = `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until WHERE leases.until < ? OR leases.holder = excluded.holder
  RETURNING holder`;

export function leaseStore({ sql }: StoreContext) {
  return {
    /** True when `holder` now holds `name` until now + ttlMs (taken, renewed, or taken over after expiry). */
    async acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
      const row = await sql.get<{ holder: string }>(ACQUIRE, [name, holder, now + ttlMs, now]);
      return row?.holder === holder;
    },

    /** Give the lease up early so the next holder need not wait for it to expire. */
    async releaseLease(name: string, holder: string): Promise<void> {
      await sql.run('DELETE FROM leases WHERE name = ? AND holder = ?', [name, holder]);
    },
  };
}
