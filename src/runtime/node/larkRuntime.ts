// Starts the Lark bot on Node: database, bot, sender loop, then the webhook
// server or the long connection. Split from main.ts so tests can start it
// against a fake Lark platform and stop it again.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createLarkApp } from '../../channels/lark/app';
import { createLarkClient, fetchBotInfo, type BotInfo } from '../../channels/lark/client';
import { contactNameLookup } from '../../channels/lark/names';
import { createLarkCore, type Logger } from '../../channels/lark/core';
import { messageFileDownloader } from '../../channels/lark/files';
import { outboxItems } from '../../conversation/outbox';
import { createSender } from '../../channels/lark/sender';
import { startWs, type WsConnection } from '../../channels/lark/ws';
import type { Env } from '../../config/env';
import type { Bot, Outgoing } from '../../conversation/types';
import type { Store } from '../../store';
import { openSqlite } from '../../store/sqlite';

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
  let ready = true;
  const store = opened.store;
  const bot = deps.createBot({ store, admins: env.adminOpenIds });

  const sdkLogger = deps.quietSdk ? { error() {}, warn() {}, info() {}, debug() {}, trace() {} } : undefined;
  const client = createLarkClient({ appId: env.larkAppId, appSecret: env.larkAppSecret, domain: env.larkDomain, ...(sdkLogger ? { logger: sdkLogger } : {}) });

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

  let server: ReturnType<typeof serve> | undefined;
  let ws: WsConnection | undefined;
  let port: number | undefined;
  if (env.larkMode === 'webhook') {
    const app = createLarkApp({ core, encryptKey: env.larkEncryptKey, verificationToken: env.larkVerificationToken, ready: () => ready, logger: log });
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: env.port }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
    log.info(`[lark] webhook 已监听 http://0.0.0.0:${port}/lark/events （健康检查 /healthz）`);
  } else {
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
          if (items.length) await store.enqueueOutgoing(items, Date.now());
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

  let stopping: Promise<void> | undefined;
  return {
    botInfo,
    port,
    store,
    stop() {
      stopping ??= (async () => {
        ready = false;
        if (scheduler) clearInterval(scheduler);
        ws?.close();
        if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
        await core.idle(); // let accepted events finish and queue their replies
        await sender.drain().catch((e) => log.error('[lark] final drain failed', e));
        await sender.stop();
        opened.close();
      })();
      return stopping;
    },
  };
}
