// `npm start`. With Lark credentials: the Lark bot (and the browser playground too
// when PLAYGROUND=1). Without them: the playground alone, so the first command of
// the README runs the product. Runs until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { createBot } from '../../bot/index';
import { startPlayground } from '../../channels/playground/runtime';
import { EnvError, loadEnv, type Env } from '../../config/env';
import { newFactsCache, runReminders } from '../../reminders';
import type { Template } from '../../domain/template';
import { nodeRegistry } from '../../templates/folder';
import { startLarkRuntime, type SchedulerTick } from './larkRuntime';

function explainAndExit(error: EnvError): never {
  console.error(error.message);
  console.error('');
  if (error.missing.some((v) => v === 'LARK_APP_ID' || v === 'LARK_APP_SECRET')) {
    console.error('还没有飞书应用？不设置 LARK_APP_ID 和 LARK_APP_SECRET 直接运行 npm start，会在浏览器里打开试用版（也可以 npm run chat 在终端里试用）。');
    console.error('接入飞书：在 飞书开发者后台 创建企业自建应用，开启“机器人”能力，把 App ID / App Secret 写进环境变量（或 .env）后再运行 npm start。');
  }
  process.exit(1);
}

/** Every minute: queue the reminders that are due (each once, even across restarts). */
function reminderScheduler(templates: readonly Template[]): SchedulerTick {
  const cache = newFactsCache();
  return async ({ store, now }) => {
    const result = await runReminders(store, now, { cache, templates });
    if (result.queued.length) console.log(`[reminders] 已排队 ${result.queued.length} 条提醒`);
  };
}

const blank = (v: string | undefined) => v === undefined || v.trim() === '';

function portFrom(raw: string | undefined, fallback: number): number {
  const port = Number(raw);
  if (blank(raw)) return fallback;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PLAYGROUND_PORT：应为 0–65535 的整数（现在是“${raw}”）。`);
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  // A local .env is the usual place for the App Secret during setup; real variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const withLark = !blank(process.env.LARK_APP_ID) || !blank(process.env.LARK_APP_SECRET);
  const withPlayground = !withLark || process.env.PLAYGROUND === '1';
  const stops: (() => Promise<void>)[] = [];
  // templates/<id>/ folders as they are now (TEMPLATES_DIR overrides): a new folder needs no rebuild
  const { templates } = nodeRegistry();
  const bot: typeof createBot = (deps) => createBot({ ...deps, templates });

  let env: Env | undefined;
  if (withLark) {
    try {
      env = loadEnv();
    } catch (error) {
      if (error instanceof EnvError) explainAndExit(error);
      throw error;
    }
    const running = await startLarkRuntime({ env, createBot: bot, scheduler: reminderScheduler(templates) });
    stops.push(() => running.stop());
  }

  if (withPlayground) {
    // Its own database file: its chats are not real Lark chats, and the Lark sender must never see them.
    const dbPath = blank(process.env.PLAYGROUND_DB_PATH) ? './data/playground.sqlite' : process.env.PLAYGROUND_DB_PATH!;
    const webhookPort = env?.larkMode === 'webhook' ? env.port : undefined;
    const port = portFrom(process.env.PLAYGROUND_PORT, webhookPort === 8787 ? 8788 : 8787);
    const admins = (process.env.ADMIN_OPEN_IDS ?? '').split(/[,，]/).map((s) => s.trim()).filter(Boolean);
    const playground = await startPlayground({
      dbPath,
      dataDir: dirname(dbPath),
      port,
      host: blank(process.env.PLAYGROUND_HOST) ? undefined : process.env.PLAYGROUND_HOST,
      createBot: bot,
      admins,
      scheduler: reminderScheduler(templates),
    });
    stops.push(() => playground.stop());
    console.log('');
    console.log(`  绩效自评助手 · 浏览器试用版已启动：${playground.url}`);
    console.log(`  （数据库 ${dbPath}；${withLark ? '飞书机器人同时在运行' : '没有设置飞书凭证，所以只运行试用版；接入飞书见 README'}；Ctrl+C 退出）`);
    console.log('');
  }

  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl-C means now
    console.log(`[runtime] 收到 ${signal}，正在退出：处理完已收到的消息并发出待发回复…`);
    Promise.all(stops.map((stop) => stop())).then(
      () => process.exit(0),
      (e) => {
        console.error('[runtime] 退出时出错', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
