// Sending the outbox from a Worker. Every isolate is its own process, so Lark's
// limits (5/s per chat, 50/s and 1,000/min per app) cannot live in memory: one
// isolate at a time holds the 'outbox' lease in D1 and sends, and it paces itself
// by every send of the last minute recorded in the outbox, whoever made it.
// When Lark's gateway answers 429 with a reset time, the whole app must wait until
// then: the holder keeps the lease until the reset instead of letting go, so no other
// isolate sends before it (they wait for the lease, or leave the rows to the next cron).
import type { LarkApi, OutboxStore, DrainResult } from '../../channels/lark/sender';
import { classifyError, createSender } from '../../channels/lark/sender';
import type { Logger } from '../../channels/lark/core';
import type { Rate } from '../../channels/lark/rateLimit';
import type { Store } from '../../store';

export const OUTBOX_LEASE = 'outbox';

export interface FlushOptions {
  store: Store;
  client: LarkApi;
  limits: { perChat: Rate; perApp: Rate[] };
  logger?: Logger;
  /** Who we are in the lease table (unique per call). */
  holder?: string;
  /** A holder cut off by the platform blocks others this long at most; renewed while sending. */
  leaseMs?: number;
  /** How long to wait for another isolate's lease before leaving the rows to it and the next cron. */
  waitMs?: number;
  /** Rows queued for this time count as due even if the isolate's clock is behind it (a Cron Trigger's scheduledTime). */
  dueAt?: number;
  /** Stop picking new rows after this long: waitUntil ends about 30 s after the response. */
  budgetMs?: number;
  /** D1 queries left to this invocation: rows are picked only while their sending can be paid for (about two each). */
  queries?: { canSpend(n: number): boolean };
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const WINDOW_MS = 60_000; // the longest of Lark's limits

/** The client, noting the latest reset time of a 429 ("the whole app, until then") it meets. */
function watching429(client: LarkApi, now: () => number) {
  let until = 0;
  const watch =
    <P, R>(call: (payload: P) => Promise<R>) =>
    async (payload: P): Promise<R> => {
      try {
        return await call(payload);
      } catch (error) {
        const verdict = classifyError(error);
        if (verdict.retry && verdict.afterMs !== undefined) until = Math.max(until, now() + verdict.afterMs);
        throw error;
      }
    };
  const { message, file } = client.im.v1;
  const watched: LarkApi = {
    ...client,
    im: {
      ...client.im,
      v1: {
        ...client.im.v1,
        message: { ...message, create: watch((p) => message.create(p)), reply: watch((p) => message.reply(p)) },
        file: { ...file, create: watch((p) => file.create(p)) },
      },
    },
  };
  return { client: watched, blockedUntil: () => until };
}

/** Sends what is due; undefined when another isolate held the lease throughout `waitMs`. */
export async function flushOutbox(o: FlushOptions): Promise<DrainResult | undefined> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const holder = o.holder ?? crypto.randomUUID();
  const leaseMs = o.leaseMs ?? 30_000;
  const waitUntil = now() + (o.waitMs ?? 20_000);
  if (o.queries && !o.queries.canSpend(4)) return undefined; // not even the lease and the history
  const stopAt = now() + (o.budgetMs ?? 25_000);

  // Whoever holds the lease re-reads the outbox until nothing is due, so rows we queued
  // are either sent by it or still there when it lets go: wait for it, backing off.
  for (let pause = 100; !(await o.store.acquireLease(OUTBOX_LEASE, holder, now(), leaseMs)); pause = Math.min(pause * 2, 2000)) {
    if (now() + pause > waitUntil) return undefined;
    await sleep(pause);
  }
  let renewedAt = now();
  const lark = watching429(o.client, now);
  async function renew(): Promise<void> {
    if (now() - renewedAt <= leaseMs / 3) return;
    // lost it (we were too slow): stop before two isolates send at once
    if (!(await o.store.acquireLease(OUTBOX_LEASE, holder, now(), leaseMs))) throw new Error('outbox lease lost');
    renewedAt = now();
  }
  try {
    const store: OutboxStore = {
      ...o.store,
      // past the budget nothing more is due: the rest waits for the next cron run
      dueOutgoing(at, limit, options) {
        // as many rows as the queries left can send: the merge's read of the chat's later rows,
        // then a write (and a lease renewal) each
        let rows = limit;
        while (o.queries && rows > 0 && !o.queries.canSpend(3 * rows + 3)) rows--;
        return now() >= stopAt || rows === 0 ? Promise.resolve([]) : o.store.dueOutgoing(Math.max(at, o.dueAt ?? 0), rows, options);
      },
      async markSent(id, messageId, at) {
        await o.store.markSent(id, messageId, at);
        await renew();
      },
      // replies merged into one message, written before the send (the sender merges when the store has pendingInChat too)
      async mergeInto(first, payload, otherIds, at) {
        await o.store.mergeInto(first, payload, otherIds, at);
        await renew();
      },
    };
    const history = await o.store.recentSends(now() - WINDOW_MS);
    const sender = createSender({ store, client: lark.client, limits: o.limits, logger: o.logger, history, now, sleep });
    return await sender.drain();
  } finally {
    const blockedFor = lark.blockedUntil() - now();
    // held until Lark's reset: every other isolate waits for it as the sender here does
    if (blockedFor > 0) await o.store.acquireLease(OUTBOX_LEASE, holder, now(), blockedFor);
    else await o.store.releaseLease(OUTBOX_LEASE, holder);
  }
}
