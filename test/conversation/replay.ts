// Replays a terminal chat script (":as 名字" lines, one message per line, "\n" for a
// line break) through the console session and the real bot over SQLite, in-process.
import { createBot } from '../../src/bot';
import { consoleSession } from '../../src/channels/console/session';
import { openSqlite } from '../../src/store/sqlite';

export async function replayScript(script: string, dbPath: string, outDir: string, start = Date.UTC(2025, 4, 10, 2)) {
  const opened = openSqlite(dbPath);
  const bot = createBot({ store: opened.store });
  let t = start;
  const printed: string[] = [];
  let messages = 0;
  const session = consoleSession({ bot, outDir, print: (s) => printed.push(s), now: () => (t += 1000) });
  for (const line of script.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!line.startsWith(':')) messages++;
    await session.line(line);
  }
  const ev = (await opened.store.listEvaluations())[0];
  const answers = ev ? await opened.store.getAnswers(ev.id) : {};
  return { messages, printed: printed.join('\n'), answers, status: ev?.status, close: opened.close, store: opened.store };
}
