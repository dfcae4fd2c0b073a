// The bot on Cloudflare Workers: the same Hono app, core, bot and store as on Node;
// only this entry, the D1 driver and the fetch-based HTTP client differ.
//   fetch:     Lark's webhook (events and card callbacks). The message is kept in the
//              inbox and Lark answered at once; the bot and the sending run in waitUntil.
//   scheduled: every minute (Cron Trigger): finish messages a cut-off isolate left in the
//              inbox, queue the reminders due, send the outbox.
import { env as startupEnv } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../../db/schema';
import { createBot } from '../../bot/index';
import { createLarkApp } from '../../channels/lark/app';
import { createLarkClient, fetchBotInfo, type BotInfo } from '../../channels/lark/client';
import { createLarkCore } from '../../channels/lark/core';
import { NameCache } from '../../channels/lark/events';
import { messageFileDownloader } from '../../channels/lark/files';
import { createFetchHttpInstance } from '../../channels/lark/httpFetch';
import { contactNameLookup } from '../../channels/lark/names';
import { EnvError, type Env } from '../../config/env';
import { newFactsCache, runReminders } from '../../reminders';
import { type SummaryKeeper, newSummaryKeeper } from '../../summary/kept';
import { createStore, type Store } from '../../store';
import { sendLimits, workerSettings, type ScheduledEvent, type WorkerContext, type WorkerEnv } from './config';
import { flushOutbox } from './flush';
import { health } from './health';
import { countQueries, queryLimit, type D1Binding } from './queries';

/** A message still open this long after it arrived was cut off (waitUntil ends ~30 s after the answer). */
const ABANDONED_AFTER_MS = 2 * 60_000;
const SCHEDULER_LEASE = 'scheduler';
const RECOVERY_LEASE = 'recovery';

/**
 * Kept per isolate between requests: only plain data and stateless objects. Promises
 * and I/O from one request must not be awaited by another in workerd.
 */
interface Isolate {
  settings: Env;
  client: ReturnType<typeof createLarkClient>;
  botInfo?: BotInfo;
  names: NameCache;
  facts: ReturnType<typeof newFactsCache>;
  /** 汇总 kept between requests of this isolate */
  summaries: SummaryKeeper;
  /** Chats whose recorded members were loaded into `names` (once per chat and isolate, not per request). */
  namesLoaded: Set<string>;
  /** The stores over a D1 binding: drizzle reads the whole schema when it is built. */
  stores: WeakMap<object, { store: Store; inbound: Store }>;
}
let isolate: Isolate | undefined;

function isolateFor(env: WorkerEnv): Isolate {
  if (isolate) return isolate;
  const settings = workerSettings(env);
  // The SDK's client builds every API of Lark's on construction: ~30 ms of CPU.
  const client = createLarkClient({ appId: settings.larkAppId, appSecret: settings.larkAppSecret, domain: settings.larkDomain, httpInstance: createFetchHttpInstance({ nodeStreams: true }) });
  isolate = { settings, client, names: new NameCache(), facts: newFactsCache(), summaries: newSummaryKeeper(), namesLoaded: new Set(), stores: new WeakMap() };
  return isolate;
}

/** `inbound` is for the webhook's core. */
function openStore(iso: Isolate, env: WorkerEnv): { store: Store; inbound: Store } {
  let stores = iso.stores.get(env.DB);
  if (!stores) {
    const store = createStore(drizzle(env.DB, { schema }), 'd1');
    stores = { store, inbound: inboundStore(iso, store) };
    iso.stores.set(env.DB, stores);
  }
  return stores;
}

/** The inbound side's store: a chat's recorded names are read once per isolate, not with every message. */
function inboundStore(iso: Isolate, store: Store): Store {
  return {
    ...store,
    async listMembers(chatId) {
      if (iso.namesLoaded.has(chatId)) return [];
      const members = await store.listMembers(chatId);
      iso.namesLoaded.add(chatId);
      return members;
    },
  };
}

// The client and the store are built in the global scope, while the isolate starts: Cloudflare
// runs that before the first request, under its own 1 s startup limit rather than a request's
// CPU limit (10 ms on the free plan). The global scope's D1 binding is the one requests get.
// Wrong settings are reported by the first request instead (misconfigured()).
try {
  openStore(isolateFor(startupEnv as unknown as WorkerEnv), startupEnv as unknown as WorkerEnv);
} catch {
  isolate = undefined;
}

/** The bot's open_id, to recognise its own @-mention; asked once per isolate. */
async function botInfoOf(iso: Isolate): Promise<BotInfo | undefined> {
  if (!iso.botInfo) {
    try {
      iso.botInfo = await fetchBotInfo(iso.client);
    } catch (error) {
      console.error(`[lark] 无法获取机器人信息（${iso.settings.larkDomain}），请检查 LARK_APP_ID / LARK_APP_SECRET：${(error as Error).message}`);
    }
  }
  return iso.botInfo;
}

function flush(iso: Isolate, env: WorkerEnv, store: Store, dueAt?: number, queries?: { canSpend(n: number): boolean }) {
  return flushOutbox({ store, client: iso.client, limits: sendLimits(env), dueAt, queries }).catch((e) => console.error('[lark] outbox flush failed', e));
}

function misconfigured(error: unknown): Response {
  // the administrator reads this in `wrangler tail` / the dashboard's logs
  console.error(error instanceof Error ? error.message : error);
  return Response.json({ error: 'misconfigured' }, { status: 500 });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    let iso: Isolate;
    try {
      iso = isolateFor(env);
    } catch (error) {
      if (error instanceof EnvError) return misconfigured(error);
      throw error;
    }
    const path = new URL(request.url).pathname;
    if (path === '/healthz') return health(env.DB);
    const { store, inbound } = openStore(iso, env);
    const botInfo = path === '/lark/events' ? await botInfoOf(iso) : iso.botInfo;
    const bot = createBot({ store, admins: iso.settings.adminOpenIds, summaries: iso.summaries });
    const core = createLarkCore({ store: inbound, bot, botOpenId: () => botInfo?.openId, names: iso.names, lookupName: contactNameLookup(iso.client), downloadFile: messageFileDownloader(iso.client), rerunUnfinishedAfterMs: ABANDONED_AFTER_MS });
    const app = createLarkApp({ core, encryptKey: iso.settings.larkEncryptKey, verificationToken: iso.settings.larkVerificationToken });
    const response = await app.fetch(request);
    // Lark has its answer; the bot's work and the sending go on after it.
    ctx.waitUntil(core.idle().then(() => flush(iso, env, store)));
    return response;
  },

  async scheduled(event: ScheduledEvent, env: WorkerEnv): Promise<void> {
    let iso: Isolate;
    try {
      iso = isolateFor(env);
    } catch (error) {
      misconfigured(error);
      return;
    }
    // D1 allows an invocation so many queries (1,000 paid, 50 free): every one is counted (a
    // store of its own over the counting binding), the reminders may use 60% of them and the
    // sending up to 90%; what does not fit waits a minute.
    const queries = countQueries(env.DB as unknown as D1Binding);
    const limit = queryLimit(env.D1_QUERY_LIMIT);
    const store = createStore(drizzle(queries.db as never, { schema }), 'd1');
    const holder = crypto.randomUUID();
    const now = event.scheduledTime;
    // A run still going from the last minute (a big reminder pass) is not doubled.
    if (await store.acquireLease(SCHEDULER_LEASE, holder, Date.now(), 5 * 60_000)) {
      try {
        const reminders = await runReminders(store, now, { cache: iso.facts, budget: queries.budget(Math.floor(limit * 0.6) - 1) });
        if (reminders.queued.length) console.log(`[reminders] 已排队 ${reminders.queued.length} 条提醒`);
        if (!reminders.complete) console.log('[reminders] 本次调用的 D1 查询额度已用到上限，其余提醒下一分钟继续');
      } finally {
        await store.releaseLease(SCHEDULER_LEASE, holder);
      }
    }
    // The scheduled handler may run as long as its CPU allows: send now rather than in waitUntil.
    await flush(iso, env, store, now, queries.budget(Math.floor(limit * 0.9)));
    // Last: a message that keeps exceeding the CPU limit must not hold up the reminders or the sending.
    if (await store.acquireLease(RECOVERY_LEASE, holder, Date.now(), ABANDONED_AFTER_MS)) {
      try {
        const botInfo = await botInfoOf(iso);
        const core = createLarkCore({ store, bot: createBot({ store, admins: iso.settings.adminOpenIds }), botOpenId: () => botInfo?.openId, names: iso.names, downloadFile: messageFileDownloader(iso.client) });
        const recovered = await core.recover({ receivedBefore: Date.now() - ABANDONED_AFTER_MS, maxAttempts: 3 });
        if (recovered) {
          console.log(`[lark] 补处理了 ${recovered} 条中断的消息`);
          await flush(iso, env, store);
        }
      } finally {
        await store.releaseLease(RECOVERY_LEASE, holder);
      }
    }
    console.log(`[scheduled] D1 查询 ${queries.used()} 次（每次调用上限 ${limit}）`);
  },
};
