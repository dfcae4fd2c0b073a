// Starts the playground: the same database, bot, Lark core (inbox, dedupe), outbox
// and sender as the Lark runtime, with the page standing in for Lark on both ends,
// and the reminder scheduler on a clock the page can move forward.
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createLarkCore, type Logger } from '../lark/core';
import { MAX_IMPORT_BYTES } from '../../import';
import { createSender } from '../lark/sender';
import { outboxItems } from '../../conversation/outbox';
import type { Bot } from '../../conversation/types';
import type { Store } from '../../store';
import { openSqlite } from '../../store/sqlite';
import type { SchedulerTick } from '../../runtime/node/larkRuntime';
import { createPlaygroundApp } from './app';
import { FileStore, playgroundClient } from './client';
import { ADMIN_ID, Directory } from './directory';
import { BOT_OPEN_ID } from './envelopes';
import { MessageLog } from './log';

export interface PlaygroundOptions {
  /** SQLite file, or ':memory:' (tests). */
  dbPath: string;
  /** Folder for the chat history, people and files; none keeps them in memory. */
  dataDir?: string;
  port: number;
  host?: string;
  createBot: (deps: { store: Store; admins: string[] }) => Bot;
  /** Extra administrators (ADMIN_OPEN_IDS); the playground's own administrator is always one. */
  admins?: string[];
  scheduler?: SchedulerTick;
  schedulerIntervalMs?: number;
  logger?: Logger;
}

export interface RunningPlayground {
  port: number;
  url: string;
  store: Store;
  now(): number;
  stop(): Promise<void>;
}

export async function startPlayground(opts: PlaygroundOptions): Promise<RunningPlayground> {
  const log = opts.logger ?? console;
  const opened = openSqlite(opts.dbPath);
  const store = opened.store;
  const directory = new Directory(opts.dataDir && join(opts.dataDir, 'playground.json'));
  const now = () => Date.now() + directory.clockOffsetMs;
  const messages = new MessageLog(opts.dataDir && join(opts.dataDir, 'playground-log.jsonl'));
  const files = new FileStore(opts.dataDir && join(opts.dataDir, 'playground-files'));
  const admins = [ADMIN_ID, ...(opts.admins ?? [])];
  const bot = opts.createBot({ store, admins });

  const sender = createSender({ store, client: playgroundClient({ log: messages, files, directory, now }), now, logger: log });
  sender.start(1000);
  // files put into a chat are fetched from the playground's own file store, as the Lark runtime fetches them from Lark
  const downloadFile = async (_messageId: string, fileKey: string) => {
    const f = files.get(fileKey);
    if (!f) throw new Error(`no playground file ${fileKey}`);
    return f.bytes.length > MAX_IMPORT_BYTES ? { size: f.bytes.length } : { bytes: new Uint8Array(f.bytes) };
  };
  const core = createLarkCore({ store, bot, botOpenId: () => BOT_OPEN_ID, now, logger: log, onEnqueued: () => sender.wake(), downloadFile });
  for (const p of directory.people) core.names.set(p.userId, p.name);
  await core.recover();

  // The scheduler, as in the Lark runtime: once a minute, and at once after the clock moves.
  let ticking: Promise<void> = Promise.resolve();
  const tick = () => {
    if (!opts.scheduler) return Promise.resolve();
    const run = opts.scheduler;
    ticking = ticking.then(() =>
      run({
        store,
        now: now(),
        deliver: async (chatId, out) => {
          const items = outboxItems({ messages: out }, chatId, undefined, () => crypto.randomUUID());
          if (items.length) await store.enqueueOutgoing(items, now());
        },
      }).catch((e) => log.error('[playground] scheduler tick failed', e)),
    );
    return ticking;
  };
  const interval = setInterval(() => void tick().then(() => sender.wake()), opts.schedulerIntervalMs ?? 60_000);

  const { app, closeStreams } = createPlaygroundApp({
    core,
    log: messages,
    files,
    directory,
    admins,
    now,
    async moveClock(at) {
      directory.clockOffsetMs += Math.max(0, at - now());
      await tick();
      await sender.drain(); // the reminders are on the page when the answer comes
    },
  });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host ?? '127.0.0.1' }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    clearInterval(interval);
    await sender.stop();
    opened.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`端口 ${opts.port} 已被占用（也许已经有一个 npm start 在运行）。换一个端口：PLAYGROUND_PORT=${opts.port + 1} npm start`);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    port,
    url,
    store,
    now,
    stop() {
      stopping ??= (async () => {
        clearInterval(interval);
        closeStreams();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await core.idle();
        await ticking;
        await sender.drain().catch(() => undefined);
        await sender.stop();
        opened.close();
      })();
      return stopping;
    },
  };
}
