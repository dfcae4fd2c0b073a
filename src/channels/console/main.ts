// `npm run chat`: talk to the bot in the terminal, on the same SQLite file the bot
// uses (DB_PATH). Reads a pipe too, one message per line, so a whole evaluation can
// be scripted and replayed. In a line, "\n" stands for a line break.
import { createInterface } from 'node:readline';
import { createBot } from '../../bot';
import { openSqlite } from '../../store/sqlite';
import { consoleSession } from './session';

const dbPath = process.env.DB_PATH ?? './data/jixiao.sqlite';
const outDir = process.env.OUT_DIR ?? './out';
const { store, close } = openSqlite(dbPath);
const bot = createBot({ store });
const interactive = process.stdin.isTTY;
const session = consoleSession({ bot, outDir, print: (t) => process.stdout.write(`${t}\n`) });

if (interactive)
  process.stdout.write(
    `绩效自评助手 · 终端对话（数据库：${dbPath}）\n“:as 名字”切换说话的人，“:chat 群名”切换群，“:按 2”按卡片按钮，“:填 1=… 2=…”填写卡片，Ctrl+D 退出。先试试“帮助”。\n`,
  );

const rl = createInterface({ input: process.stdin, terminal: false });
let chain = Promise.resolve();
rl.on('line', (line) => {
  // one message at a time, in order, as a chat would deliver them
  chain = chain.then(async () => {
    if (!line.trim() || line.startsWith('#')) return;
    if (!interactive) process.stdout.write(`\n${session.actor.name}> ${line}\n`);
    await session.line(line);
  });
});
rl.on('close', () => {
  chain.then(() => close()).then(() => process.exit(0));
});
