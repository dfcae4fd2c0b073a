// Reading the role, summary and reminder commands. Same rules as the engine's
// parseCommand: with or without '/', full-width punctuation tolerated, and while a
// person is answering a question only '/命令' or a short command followed by a
// space or colon counts (so an answer that starts with "提醒" stays an answer).
import { type CommandTable, matchCommand } from '../conversation/commands';

export const leaderCommandNames = ['设置领导', '取消领导', '角色', '汇总', '逾期', '默认截止', '提醒', '暂停提醒', '恢复提醒'] as const;
export type LeaderCommandName = (typeof leaderCommandNames)[number];

const aliases: Record<string, LeaderCommandName> = {
  设为领导: '设置领导',
  添加领导: '设置领导',
  移除领导: '取消领导',
  删除领导: '取消领导',
  查看角色: '角色',
  角色列表: '角色',
  逾期清单: '逾期',
  关闭提醒: '暂停提醒',
  开启提醒: '恢复提醒',
};

export interface LeaderCommand {
  name: LeaderCommandName;
  args: string;
}

/** Commands whose argument may follow without a space: "汇总2024", "提醒7,3,1", "默认截止2024 …". */
const digitsMayFollow = new Set<string>(['汇总', '逾期', '提醒', '默认截止']);

const leaderCommands: CommandTable<LeaderCommandName> = {
  names: leaderCommandNames,
  aliases,
  attached: (name, rest) => digitsMayFollow.has(name) && /^\d/.test(rest),
};

export function parseLeaderCommand(text: string, opts: { answering?: boolean } = {}): LeaderCommand | undefined {
  return matchCommand(leaderCommands, text, opts);
}

/** "2024 红云街道", "2024年度", "红云" → year and unit filter. */
export function parseScope(args: string): { year?: number; unit?: string } {
  let year: number | undefined;
  const rest: string[] = [];
  for (const token of args.split(/\s+/).filter(Boolean)) {
    const m = /^(\d{4})(?:年度?)?$/.exec(token);
    if (m && year === undefined && +m[1] >= 2000 && +m[1] <= 2100) year = +m[1];
    else rest.push(token);
  }
  const unit = rest.join(' ').trim();
  return { ...(year !== undefined ? { year } : {}), ...(unit ? { unit } : {}) };
}

/** "7,3,1,0 09:00", "7、3、1", "8:30", "默认" → days and/or time; a message when it cannot be read. */
export function parseReminderArgs(args: string): { days?: number[]; time?: string; reset?: boolean } | { error: string } {
  const t = args.replace(/[、，,;；]/g, ',').replace(/\s*,\s*/g, ',').trim();
  if (t === '默认' || t === '恢复默认') return { reset: true };
  let days: number[] | undefined;
  let time: string | undefined;
  for (const token of t.split(/\s+/).filter(Boolean)) {
    const tm = /^(\d{1,2})(?::(\d{2})|点(?:(\d{1,2})分?|半)?)$/.exec(token);
    if (tm && (token.includes(':') || token.includes('点'))) {
      const hh = +tm[1];
      const mm = tm[2] !== undefined ? +tm[2] : token.endsWith('半') ? 30 : tm[3] !== undefined ? +tm[3] : 0;
      if (hh > 23 || mm > 59) return { error: `时间“${token}”不对，请写成 09:00 这样的24小时制。` };
      time = `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
      continue;
    }
    if (/^\d{1,3}(,\d{1,3})*,?$/.test(token)) {
      const list = token.split(',').filter(Boolean).map(Number);
      if (list.some((d) => d > 90)) return { error: '提前的天数最多 90 天。' };
      if (list.length > 10) return { error: '最多设 10 个提醒日。' };
      days = [...new Set(list)].sort((a, b) => b - a);
      continue;
    }
    return { error: `没看懂“${token}”。例如：提醒 7,3,1,0 09:00（截止前7、3、1天和当天的9点提醒）` };
  }
  if (!days && !time) return { error: '请写上提前几天提醒，例如：提醒 7,3,1,0 09:00' };
  return { ...(days ? { days } : {}), ...(time ? { time } : {}) };
}
