// Leases: one holder at a time for a job, across processes that share only the
// database (Workers isolates on one D1). Taking a lease is a single upsert, so two
// racing callers cannot both win; an expired lease is taken over.
import { and, eq, sql } from 'drizzle-orm';
import { leases } from '../../db/schema';
import type { StoreContext } from './types';

export function leaseStore({ db }: StoreContext) {
  return {
    /** True when `holder` now holds `name` until now + ttlMs (taken, renewed, or taken over after expiry). */
    async acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
      const rows = await db
        .insert(leases)
        .values({ name, holder, until: now + ttlMs })
        .onConflictDoUpdate({
          target: leases.name,
          set: { holder, until: now + ttlMs },
          // only a free (expired) lease or our own changes hands
          setWhere: sql`${leases.until} < ${now} OR ${leases.holder} = ${holder}`,
        })
        .returning({ holder: leases.holder });
      return rows.length > 0 && rows[0].holder === holder;
    },

    /** Give the lease up early so the next holder need not wait for it to expire. */
    async releaseLease(name: string, holder: string): Promise<void> {
      await db
        .delete(leases)
        .where(and(eq(leases.name, name), eq(leases.holder, holder)))
        .run();
    },

  };
}
