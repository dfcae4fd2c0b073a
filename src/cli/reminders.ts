// `npm run --silent cli -- reminders --at <time> [--json]`: the reminders that would
// go out at that moment, read from the database (DB_PATH, default
// ./data/jixiao.sqlite), without sending or recording anything. A time without a
// zone ("2025-05-24T09:00", "2025-05-24 09:00") is Beijing time.
import { existsSync } from 'node:fs';
import { beijingDate, beijingInstant } from '../domain/calendar';
import { outboxChatId, previewReminders } from '../reminders/run';
import type { Reminder } from '../reminders/schedule';
import { openSqlite } from '../store/sqlite';
import { UsageError } from './io';

export function parseAt(text: string): number {
  const t = text.trim().replace(' ', 'T');
  const local = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::\d{2})?)?$/.exec(t);
  if (local) return beijingInstant(local[1], local[2] ?? '00:00');
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new UsageError(`看不懂时间“${text}”。例如：--at 2025-05-24T09:00（北京时间）或 --at 2025-05-24T01:00:00Z`);
  return ms;
}

const clock = (at: number) => `${beijingDate(at)} ${new Date(at + 8 * 3600_000).toISOString().slice(11, 16)}`;

export function formatReminders(list: readonly Reminder[], at: number): string {
  const head = `${clock(at)}（北京时间）会发出的提醒：${list.length} 条（只看最近 24 小时内到点、尚未发送的）`;
  const blocks = list.map((r) => {
    const to = 'chatId' in r.to ? `群 ${r.to.chatId}` : `私聊 ${r.to.userId}`;
    const body = r.message.type === 'text' ? r.message.text : `[${r.message.type}]`;
    const mentions = r.message.type === 'text' && r.message.mentions?.length ? `\n  @：${r.message.mentions.map((m) => `${m.name}(${m.userId})`).join('、')}` : '';
    return `\n— ${r.key}　${to}　计划 ${clock(r.scheduledAt)}${mentions}\n${body.replace(/^/gm, '  ')}`;
  });
  return [head, ...blocks].join('\n');
}

export async function remindersCommand(args: string[]): Promise<string> {
  const i = args.indexOf('--at');
  const atText = i >= 0 ? args[i + 1] : undefined;
  if (!atText) throw new UsageError('缺少 --at <时间>，例如：npm run --silent cli -- reminders --at 2025-05-24T09:00');
  const at = parseAt(atText);
  const path = process.env.DB_PATH ?? './data/jixiao.sqlite';
  if (path !== ':memory:' && !existsSync(path)) throw new UsageError(`没有找到数据库 ${path}（用环境变量 DB_PATH 指定）。`);
  const opened = openSqlite(path);
  try {
    const list = await previewReminders(opened.store, at);
    if (!args.includes('--json')) return formatReminders(list, at);
    return JSON.stringify(
      list.map((r) => ({ ...r, scheduledAt: new Date(r.scheduledAt).toISOString(), outboxChatId: outboxChatId(r.to) })),
      null,
      2,
    );
  } finally {
    opened.close();
  }
}
