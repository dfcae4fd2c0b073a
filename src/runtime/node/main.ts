// `npm start`: the Lark bot on Node. Reads the environment, explains in Chinese
// what is missing, then runs until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { createBot } from '../../bot/index';
import { EnvError, loadEnv, type Env } from '../../config/env';
import { newFactsCache, runReminders } from '../../reminders';
import type { Template } from '../../domain/template';
import { nodeRegistry } from '../../templates/folder';
import { startLarkRuntime, type SchedulerTick } from './larkRuntime';

function explainAndExit(error: EnvError): never {
  console.error(error.message);
  console.error('');
  if (error.missing.some((v) => v === 'LARK_APP_ID' || v === 'LARK_APP_SECRET')) {
    console.error('还没有飞书应用？可以先在本地终端里试用机器人：npm run chat');
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

async function main(): Promise<void> {
  // A local .env is the usual place for the App Secret during setup; real variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) explainAndExit(error);
    throw error;
  }

  // templates/<id>/ folders as they are now (TEMPLATES_DIR overrides): a new folder needs no rebuild
  const { templates } = nodeRegistry();
  const running = await startLarkRuntime({
    env,
    createBot: (deps) => createBot({ ...deps, templates }),
    scheduler: reminderScheduler(templates),
  });

  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl-C means now
    console.log(`[runtime] 收到 ${signal}，正在退出：处理完已收到的消息并发出待发回复…`);
    running.stop().then(
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
