// Starts the Lark bot on Node: database, bot, sender loop, then the webhook
// server or the long connection. Split from main.ts so tests can start it
// against a fake Lark platform and stop it again.
import { fetchBotInfo, type BotInfo } from '../../channels/lark/botInfo';
import { createLiteClient } from '../../channels/lark/lite';
import { contactNameLookup } from '../../channels/lark/names';
import { createLarkCore, type Logger } from '../../channels/lark/core';
import { messageFileDownloader } from '../../channels/lark/files';
import { outboxItems } from '../../conversation/outbox';
import { createSender } from '../../channels/lark/sender';
import type { WsConnection } from '../../channels/lark/ws';
import type { Env } from '../../config/env';
import type { Bot, Outgoing } from '../../conversation/types';
import type { Store } from '../../store';
import { openSqlite } from '../../store/sqlite';
import { gateBot } from '../../bot/gate';
import { receiptsPathFor } from './receipts';
import { startReceiver, type Receiver } from './receiver';

/** How long stop() may take: messages accepted but not handled, and replies not sent, stay queued for the next start. */
const SHUTDOWN_BUDGET_MS = { handling: 3000, sending: 1500 };

const within = (ms: number, work: Promise<unknown>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.catch(() => undefined).finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/** What a periodic job (reminders) gets: the store, the time, and a way to post messages via the outbox. */
export interface SchedulerContext {
  store: Store;
  now: number;
  deliver(chatId: string, messages: Outgoing[]): Promise<void>;
}

/** Called once a minute. Someone else provides the reminders; this is the slot. */
export type SchedulerTick = (ctx: SchedulerContext) => Promise<void>;

export interface RuntimeDeps {
  env: Env;
  createBot: (deps: { store: Store; admins: string[] }) => Bot;
  scheduler?: SchedulerTick;
  schedulerIntervalMs?: number;
  senderIntervalMs?: number;
  /** How often old inbox, dedupe and sent rows are pruned (default hourly). */
  pruneIntervalMs?: number;
  logger?: Logger;
  /** Silence the SDK's own logging (tests). */
  quietSdk?: boolean;
}

export interface RunningBot {
  botInfo: BotInfo;
  /** Webhook mode: the port actually listened on (PORT=0 picks a free one). */
  port?: number;
  store: Store;
  stop(): Promise<void>;
}

export async function startLarkRuntime(deps: RuntimeDeps): Promise<RunningBot> {
  const { env } = deps;
  const log = deps.logger ?? console;
  const opened = openSqlite(env.dbPath);
  const store = opened.store;
  // one message at a time, yielding in between: applying never starves the acknowledgements
  const bot = gateBot(deps.createBot({ store, admins: env.adminOpenIds }));

  const sdkLogger = deps.quietSdk ? { error() {}, warn() {}, info() {}, debug() {}, trace() {} } : undefined;
  // Calls to Lark go through a small fetch client: the SDK (~100 MB) loads only for the long connection.
  const client = createLiteClient({ appId: env.larkAppId, appSecret: env.larkAppSecret, domain: env.larkDomain });

  let botInfo: BotInfo;
  try {
    botInfo = await fetchBotInfo(client);
  } catch (error) {
    opened.close();
    throw new Error(`无法连接飞书开放平台或凭证有误（${env.larkDomain}）：${(error as Error).message}。请检查 LARK_APP_ID / LARK_APP_SECRET（开发者后台 → 凭证与基础信息）以及网络。`);
  }
  log.info(`[lark] 机器人：${botInfo.appName ?? ''}（${botInfo.openId}），模式：${env.larkMode}`);

  // Sending starts before receiving: replies queued before a restart go out first.
  const sender = createSender({ store, client, logger: log });
  sender.start(deps.senderIntervalMs ?? 1000);

  const core = createLarkCore({ store, bot, botOpenId: () => botInfo.openId, logger: log, lookupName: contactNameLookup(client), downloadFile: messageFileDownloader(client), onEnqueued: () => sender.wake() });
  // messages accepted before a crash but never finished are handled before new ones
  const recovered = await core.recover();
  if (recovered) log.info(`[lark] finished ${recovered} message(s) received before the restart`);

  let receiver: Receiver | undefined;
  let ws: WsConnection | undefined;
  let port: number | undefined;
  if (env.larkMode === 'webhook') {
    // the webhook runs on a thread of its own: acknowledgements never wait for the bot's work
    receiver = await startReceiver(core, { receiptsPath: receiptsPathFor(env.dbPath), port: env.port, encryptKey: env.larkEncryptKey, verificationToken: env.larkVerificationToken }, log);
    port = receiver.port;
    log.info(`[lark] webhook 已监听 http://0.0.0.0:${port}/lark/events （健康检查 /healthz）`);
  } else {
    const { startWs } = await import('../../channels/lark/ws');
    ws = await startWs({ appId: env.larkAppId, appSecret: env.larkAppSecret, domain: env.larkDomain, core, logger: log, ...(sdkLogger ? { sdkLogger } : {}) });
    log.info('[lark] 正在建立长连接…');
  }

  let scheduler: NodeJS.Timeout | undefined;
  if (deps.scheduler) {
    const tick = deps.scheduler;
    let running = false;
    scheduler = setInterval(() => {
      if (running) return; // a slow tick is not overlapped by the next
      running = true;
      const now = Date.now();
      tick({
        store,
        now,
        deliver: async (chatId, messages) => {
          const items = outboxItems({ messages }, chatId, undefined, () => crypto.randomUUID());
          if (items.length) await store.enqueueOutgoing(items, Date.now(), 'background'); // replies to people go first
          sender.wake();
        },
      })
        .catch((e) => log.error('[scheduler] tick failed', e))
        .finally(() => {
          running = false;
          sender.wake(); // whatever the tick queued goes out now, not at the next interval
        });
    }, deps.schedulerIntervalMs ?? 60_000);
  }

  // Storage stays bounded: old dedupe keys, finished inbox entries and sent rows go hourly,
  // a batch at a time with the event loop free in between.
  const prune = () =>
    store
      .pruneOld(Date.now(), () => new Promise((r) => setImmediate(r)))
      .catch((e) => log.error('[store] pruning failed', e));
  const pruner = setInterval(prune, deps.pruneIntervalMs ?? 3600_000);
  pruner.unref?.();
  const firstPrune = setTimeout(prune, 60_000);
  firstPrune.unref?.();

  let stopping: Promise<void> | undefined;
  return {
    botInfo,
    port,
    store,
    stop() {
      stopping ??= (async () => {
        if (scheduler) clearInterval(scheduler);
        clearInterval(pruner);
        clearTimeout(firstPrune);
        ws?.close();
        await receiver?.stop();
        // Finish what was accepted, and send what is queued, each for a bounded time: what is
        // left stays in the inbox / outbox and is picked up by the next start.
        const t0 = Date.now();
        await within(SHUTDOWN_BUDGET_MS.handling, core.idle());
        const t1 = Date.now();
        await bot.close();
        await within(SHUTDOWN_BUDGET_MS.sending, sender.drain());
        const t2 = Date.now();
        await sender.stop();
        opened.close();
        log.info(`[runtime] 已退出：处理 ${t1 - t0} ms，发送 ${t2 - t1} ms，收尾 ${Date.now() - t2} ms；未处理完的消息和未发出的回复下次启动继续`);
      })();
      return stopping;
    },
  };
}
