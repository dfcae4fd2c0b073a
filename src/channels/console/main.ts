// `npm run chat`: talk to the bot in the terminal, on the same SQLite file the bot
// uses (DB_PATH). Reads a pipe too, one message per line, so a whole evaluation can
// be scripted and replayed. In a line, "\n" stands for a line break.
import { createInterface } from 'node:readline';
import { createBot } from '../../bot';
import { openSqlite } from '../../store/sqlite';
import { consoleSession } from './session';
import { PASTED_BREAK, PasteJoiner } from './paste';

const dbPath = process.env.DB_PATH ?? './data/jixiao.sqlite';
const outDir = process.env.OUT_DIR ?? './out';
// as in a group: ADMIN_OPEN_IDS names the administrators; here a person's id is their :as name
const admins = (process.env.ADMIN_OPEN_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const { store, close } = openSqlite(dbPath);
const bot = createBot({ store, admins });
const interactive = process.stdin.isTTY;
const session = consoleSession({ bot, outDir, print: (t) => process.stdout.write(`${t}\n`) });
const promptText = () => `${session.actor.name} @ ${session.chatId} > `;

if (interactive)
  process.stdout.write(
    `绩效自评助手 · 终端对话（数据库：${dbPath}${admins.length ? `；管理员：${admins.join('、')}` : ''}）\n` +
      `提示符显示谁在哪个群里说话。“:as 名字”切换说话的人（名字就是这个人的 open_id，ADMIN_OPEN_IDS 里写名字即为管理员），“:chat 群名”切换群，“:按 2”按卡片按钮，“:填 1=… 2=…”填写卡片，“:文件 路径”“:图片 路径”把本机文件当作发到群里的文件或图片，Ctrl+D 退出。\n` +
      `粘贴的多行文字作为一条消息发出（按回车发送）。先试试“帮助”。\n`,
  );

// In a terminal, readline reads in raw mode: no 4,095-byte line limit, so a long paste arrives whole.
// Bracketed paste makes a multi-line paste one message (see paste.ts).
const joiner = new PasteJoiner();
if (interactive) {
  process.stdin.setRawMode(true);
  process.stdout.write('\x1b[?2004h');
  process.on('exit', () => process.stdout.write('\x1b[?2004l'));
}
const rl = createInterface({
  input: interactive ? process.stdin.pipe(joiner) : process.stdin,
  output: interactive ? process.stdout : undefined,
  terminal: interactive,
  prompt: promptText(),
});
let chain = Promise.resolve();
rl.on('line', (line) => {
  // one message at a time, in order, as a chat would deliver them
  chain = chain.then(async () => {
    if (!line.trim() || line.startsWith('#')) return;
    if (!interactive) process.stdout.write(`\n${session.actor.name}> ${line}\n`);
    await session.line(line.replaceAll(PASTED_BREAK, '\\n'));
    if (interactive) {
      rl.setPrompt(promptText());
      rl.prompt();
    }
  });
});
rl.on('SIGINT', () => rl.close());
rl.on('close', () => {
  chain.then(() => close()).then(() => process.exit(0));
});
if (interactive) rl.prompt();
