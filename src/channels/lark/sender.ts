// The outbox worker: the only code that sends messages to Lark. Handlers queue;
// this drains the queue through the SDK client, paced under Lark's limits,
// retrying what is worth retrying. Each row's uuid makes a resend after a lost
// answer harmless: Lark keeps one message per uuid for an hour.
import type { Logger } from './core';
import { cardContent, receiverOf, textContent, type CardPayload, type FilePayload, type TextPayload } from './outgoing';
import { LARK_LIMITS, Pacer, type Rate } from './rateLimit';
import { MERGE_MAX_ROWS, mergeCount, mergeTexts, mergeable } from './merge';

/** The part of the store the sender uses (the real Store fits it). */
export interface OutboxStore {
  /**
   * Pending rows due at `now`, oldest first, none from `excludeChats`. A chat's rows must come
   * in order; the real store also holds back a chat's rows behind an earlier one waiting for a retry.
   */
  dueOutgoing(now: number, limit: number, options?: { excludeChats?: Iterable<string> }): Promise<OutboxRowLike[]>;
  markSent(id: number, sentMessageId: string | null, now: number): Promise<void>;
  markRetry(id: number, nextAttemptAt: number, error: string): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  pendingCount(): Promise<number>;
  /**
   * For merging replies that piled up (both or neither): a chat's pending rows after `afterId`
   * in order, and folding several rows into the first before it is sent.
   */
  pendingInChat?(chatId: string, afterId: number, limit: number): Promise<OutboxRowLike[]>;
  mergeInto?(first: { id: number; uuid: string }, payload: unknown, otherIds: number[], now: number): Promise<void>;
}

export interface OutboxRowLike {
  id: number;
  chatId: string;
  kind: string;
  payload: unknown;
  replyTo: string | null;
  uuid: string;
  attempts: number;
}

/** What we call on the SDK client (`lark.Client` fits). Loose types: the SDK's own are very wide. */
export interface LarkApi {
  im: {
    v1: {
      message: { create(payload: any): Promise<any>; reply(payload: any): Promise<any> };
      file: { create(payload: any): Promise<any> };
    };
  };
}

export interface SenderOptions {
  store: OutboxStore;
  client: LarkApi;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: Logger;
  batchSize?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  limits?: { perChat: Rate; perApp: Rate[] };
  /**
   * Sends made before this sender started (by another process, e.g. an earlier Worker
   * isolate), oldest first: they count against the limits as if this sender had made them.
   */
  history?: { chatId: string; at: number }[];
}

export interface DrainResult {
  /** messages sent (replies merged into one message count once) */
  sent: number;
  retried: number;
  failed: number;
}

/** How a failed send should be treated. */
export type Verdict = { retry: true; afterMs?: number; error: string } | { retry: false; error: string };

/** Codes meaning "slow down" rather than "this message is wrong". */
const RETRYABLE_CODES = new Set([230020, 99991400]);

export function classifyError(error: unknown): Verdict {
  const e = error as { response?: { status?: number; headers?: Record<string, unknown>; data?: { code?: number; msg?: string } }; code?: string; message?: string };
  const res = e?.response;
  if (!res || typeof res.status !== 'number') {
    // No HTTP answer at all: connection refused, reset, timeout. Worth another try.
    return { retry: true, error: `network: ${e?.code ?? ''} ${e?.message ?? String(error)}`.trim() };
  }
  const code = res.data?.code;
  const what = `HTTP ${res.status}${code !== undefined ? ` code ${code}` : ''}${res.data?.msg ? `: ${res.data.msg}` : ''}`;
  if (res.status === 429) {
    const reset = Number(headerOf(res.headers, 'x-ogw-ratelimit-reset'));
    return { retry: true, error: what, ...(Number.isFinite(reset) && reset > 0 ? { afterMs: reset * 1000 } : {}) };
  }
  if (res.status >= 500) return { retry: true, error: what };
  if (code !== undefined && RETRYABLE_CODES.has(code)) return { retry: true, error: what };
  return { retry: false, error: what };
}

/**
 * Lark's answers to a reply whose target message cannot be replied to: recalled (230011), deleted
 * (230110), or an id it does not know (230001, its bad-parameter code; a fallback post with bad
 * content is refused again and fails as before).
 */
const REPLY_TARGET_GONE = new Set([230001, 230011, 230110]);

function replyTargetGone(error: unknown): boolean {
  const code = (error as { response?: { data?: { code?: unknown } } })?.response?.data?.code;
  return typeof code === 'number' && REPLY_TARGET_GONE.has(code);
}

function headerOf(headers: unknown, name: string): unknown {
  if (!headers) return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  if (typeof h.get === 'function') return h.get(name);
  return h[name] ?? h[name.toLowerCase()];
}

/** A body with a non-zero code on HTTP 200 is an error too. */
class LarkCodeError extends Error {
  constructor(readonly response: { status: number; data: { code: number; msg?: string } }) {
    super(`Lark code ${response.data.code}: ${response.data.msg ?? ''}`);
  }
}

function check<T extends { code?: number; msg?: string } | null | undefined>(res: T): T {
  if (res && typeof res.code === 'number' && res.code !== 0) throw new LarkCodeError({ status: 200, data: { code: res.code, msg: res.msg } });
  return res;
}

export interface Sender {
  /** Send everything due now; returns when nothing is due (items waiting for a retry stay queued). */
  drain(): Promise<DrainResult>;
  /** Drain now, then every intervalMs and whenever woken; sends what a previous run left pending. */
  start(intervalMs?: number): void;
  /** Ask for a drain soon (after new items were queued). */
  wake(): void;
  /** Stop sending: a running drain ends after the message in flight; what is unsent stays queued for the next start. */
  stop(): Promise<void>;
}

export function createSender(opts: SenderOptions): Sender {
  const { store, client } = opts;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const log = opts.logger ?? console;
  const batchSize = opts.batchSize ?? 20;
  const maxAttempts = opts.maxAttempts ?? 10;
  const baseBackoffMs = opts.baseBackoffMs ?? 1000;
  const maxBackoffMs = opts.maxBackoffMs ?? 60_000;
  const history = opts.history ?? [];
  const pacer = new Pacer(opts.limits ?? LARK_LIMITS, Math.min(now(), history[0]?.at ?? Infinity));
  for (const sent of history) pacer.take(sent.chatId, sent.at);
  /** Chats with a message waiting for a retry: later messages wait too, to keep the order. */
  const blockedChats = new Map<string, number>();
  /** Uploaded files by row uuid, so a retry after a failed post does not upload again. */
  const fileKeys = new Map<string, string>();
  /** A 429 from the gateway throttles the whole app until its reset time. */
  let appBlockedUntil = 0;
  /** Set by stop(): a running drain ends after the send in progress; the rest stays queued. */
  let aborted = false;
  /** Ends a pacing wait early when stop() is called: at 1,000 a minute a wait can last most of a minute. */
  let abortWait: () => void = () => {};
  const stopped$ = new Promise<void>((resolve) => (abortWait = resolve));
  const pause = (ms: number) => Promise.race([sleep(ms), stopped$]);

  /**
   * The row with the replies of its chat queued right behind it, merged into one message
   * (`rows` says which). The merge is written before the send, and the merged text is not
   * merged again: a resend after a crash is the same text under the same uuid, which Lark keeps once.
   */
  async function withQueuedReplies(row: OutboxRowLike): Promise<{ send: OutboxRowLike; rows: OutboxRowLike[] }> {
    if (!store.pendingInChat || !store.mergeInto || !mergeable(row)) return { send: row, rows: [row] };
    const rows = [row, ...(await store.pendingInChat(row.chatId, row.id, MERGE_MAX_ROWS - 1))];
    const n = mergeCount(rows);
    if (n === 1) return { send: row, rows: [row] };
    const merged = rows.slice(0, n);
    const payload = mergeTexts(merged.map((r) => r.payload as TextPayload));
    await store.mergeInto(row, payload, merged.slice(1).map((r) => r.id), now());
    return { send: { ...row, payload }, rows: merged };
  }

  async function sendRow(row: OutboxRowLike): Promise<string | null> {
    let msgType: string;
    let content: string;
    if (row.kind === 'text') {
      msgType = 'text';
      content = textContent(row.payload as TextPayload);
    } else if (row.kind === 'card') {
      msgType = 'interactive';
      content = cardContent(row.payload as CardPayload);
    } else if (row.kind === 'file') {
      msgType = 'file';
      const p = row.payload as FilePayload;
      let fileKey = fileKeys.get(row.uuid);
      if (!fileKey) {
        const up = await client.im.v1.file.create({ data: { file_type: 'stream', file_name: p.fileName, file: Buffer.from(p.base64, 'base64') } });
        fileKey = up?.file_key as string | undefined;
        if (!fileKey) throw new LarkCodeError({ status: 200, data: { code: -1, msg: 'upload returned no file_key' } });
        fileKeys.set(row.uuid, fileKey);
      }
      content = JSON.stringify({ file_key: fileKey });
    } else {
      throw new LarkCodeError({ status: 400, data: { code: -1, msg: `unknown outbox kind ${row.kind}` } });
    }
    const to = receiverOf(row.chatId);
    const post = async () => check(await client.im.v1.message.create({ params: { receive_id_type: to.receiveIdType }, data: { receive_id: to.receiveId, msg_type: msgType, content, uuid: row.uuid } }));
    let res;
    if (!row.replyTo) res = await post();
    else {
      try {
        res = check(await client.im.v1.message.reply({ path: { message_id: row.replyTo }, data: { msg_type: msgType, content, uuid: row.uuid } }));
      } catch (error) {
        if (!replyTargetGone(error)) throw error;
        // The person recalled the message we answer (or Lark no longer knows it): the answer
        // still belongs in the chat, so it goes there as a plain message.
        log.warn(`[lark] reply target ${row.replyTo} refused (${classifyError(error).error}); ${row.uuid} goes into the chat instead`);
        res = await post();
      }
    }
    fileKeys.delete(row.uuid);
    return (res?.data?.message_id as string | undefined) ?? null;
  }

  function backoff(attempts: number): number {
    const base = Math.min(maxBackoffMs, baseBackoffMs * 2 ** attempts);
    return Math.round(base * (0.8 + 0.4 * random())); // jitter, so a crowd of retries spreads out
  }

  /**
   * Sends until nothing is due. A chat that has to wait (its own rate, a retry delay) is held
   * back and left out of the next fetch, so it never blocks other chats' messages; a chat's
   * own messages keep their order because none is sent while an earlier one of it waits.
   */
  async function drainAll(result: DrainResult): Promise<void> {
    /** Chats with a failed send in this drain: nothing more from them until the next drain. */
    const failed = new Set<string>();
    /** Chats over their own rate, until when: other chats go on meanwhile. */
    const paced = new Map<string, number>();
    /** Rows sent inside a merged message during this drain. */
    const mergedIds = new Set<number>();
    for (;;) {
      if (aborted) return;
      const fetchedAt = now();
      if (fetchedAt < appBlockedUntil) return;
      for (const [chat, until] of paced) if (until <= fetchedAt) paced.delete(chat);
      for (const [chat, until] of blockedChats) if (until <= fetchedAt) blockedChats.delete(chat);
      const held = new Set([...failed, ...paced.keys(), ...blockedChats.keys()]);
      const rows = await store.dueOutgoing(fetchedAt, batchSize, held.size ? { excludeChats: held } : undefined);
      let acted = false;
      /** Chats skipped in this batch: their later rows in it are skipped too, to keep the order. */
      const skipped = new Set<string>();
      for (const row of rows) {
        if (mergedIds.has(row.id)) continue; // went out inside an earlier row's message
        if (held.has(row.chatId) || skipped.has(row.chatId)) {
          skipped.add(row.chatId);
          continue;
        }
        if (now() < appBlockedUntil || aborted) return;
        // The app-wide limits hold for every chat alike: wait here.
        for (let wait = pacer.appWaitMs(now()); wait > 0; wait = pacer.appWaitMs(now())) {
          await pause(wait);
          if (aborted) return;
        }
        // A chat over its own limit waits alone, its later rows with it.
        const chatWait = pacer.chatWaitMs(row.chatId, now());
        if (chatWait > 0) {
          paced.set(row.chatId, now() + chatWait);
          skipped.add(row.chatId);
          acted = true;
          continue;
        }
        pacer.take(row.chatId, now());
        acted = true;
        try {
          const { send, rows: carried } = await withQueuedReplies(row);
          for (const r of carried) mergedIds.add(r.id);
          const messageId = await sendRow(send);
          await store.markSent(row.id, messageId, now());
          result.sent++;
        } catch (error) {
          const verdict = classifyError(error);
          const attempts = row.attempts + 1;
          if (verdict.retry && attempts < maxAttempts) {
            const at = now() + (verdict.afterMs ?? backoff(row.attempts));
            if (verdict.afterMs !== undefined) appBlockedUntil = at;
            blockedChats.set(row.chatId, at);
            failed.add(row.chatId);
            skipped.add(row.chatId);
            await store.markRetry(row.id, at, verdict.error);
            result.retried++;
            log.warn(`[lark] send ${row.uuid} failed (${verdict.error}); retry ${attempts}/${maxAttempts - 1} in ${at - now()} ms`);
          } else {
            await store.markFailed(row.id, verdict.error);
            fileKeys.delete(row.uuid);
            result.failed++;
            log.error(`[lark] send ${row.uuid} to ${row.chatId} failed for good: ${verdict.error}`);
          }
        }
      }
      if (!acted) {
        // Nothing sendable now but chats waiting for their rate: wait for the first of them.
        if (paced.size === 0) return;
        await pause(Math.max(1, Math.min(...paced.values()) - now()));
      }
    }
  }

  let draining: Promise<DrainResult> | undefined;
  async function drain(): Promise<DrainResult> {
    // One drain at a time: two would pick the same rows and send them twice.
    while (draining) await draining.catch(() => undefined);
    draining = (async () => {
      const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
      await drainAll(result);
      return result;
    })();
    try {
      return await draining;
    } finally {
      draining = undefined;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let woken = false;
  const tick = () => {
    if (stopped) return;
    if (draining) {
      woken = true; // the running drain is followed by another instead of queueing many
      return;
    }
    drain()
      .catch((e) => log.error('[lark] outbox drain failed', e))
      .finally(() => {
        if (!stopped && woken) {
          woken = false;
          setImmediate(tick);
        }
      });
  };

  return {
    drain,
    start(intervalMs = 1000) {
      if (!stopped) return;
      stopped = false;
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref?.();
    },
    wake() {
      tick();
    },
    async stop() {
      stopped = true;
      aborted = true;
      abortWait();
      if (timer) clearInterval(timer);
      timer = undefined;
      await draining?.catch(() => undefined);
    },
  };
}
