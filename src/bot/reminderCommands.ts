// Per-evaluation reminder settings, in the evaluation's chat: 提醒 <天数,…> [时间],
// 提醒 (show), 提醒 默认, 暂停提醒, 恢复提醒. Anyone in the chat may change them,
// like the deadline itself.
import { beijingDate, weekdayName } from '../domain/calendar';
import type { Input, Output } from '../conversation/types';
import type { Evaluation, Store } from '../store';
import { effectiveDeadlines } from '../summary/load';
import { DEFAULT_DAYS, DEFAULT_TIME, chatSlots } from '../reminders/schedule';
import { type LeaderCommand, parseReminderArgs } from './leaderCommands';

const say = (text: string): Output => ({ messages: [{ type: 'text', text }] });
const daysText = (days: readonly number[]) => days.map((d) => (d === 0 ? '当天' : `前${d}天`)).join('、');

export async function reminderCommand(store: Store, input: Input, cmd: LeaderCommand): Promise<Output> {
  // a chat whose evaluation was archived may still follow up its 整改 items
  const ev = (await store.findEvaluationByChat(input.place.chatId)) ?? (await rectEvaluation(store, input.place.chatId));
  if (!ev) return say('这个群里还没有评价。提醒是按评价设置的，请在评价所在的群里发送。');
  if (cmd.name === '暂停提醒' || cmd.name === '恢复提醒') {
    const paused = cmd.name === '暂停提醒';
    await store.updateEvaluation(ev.id, { remindersPaused: paused }, input.now);
    return say(paused ? `已暂停“${ev.projectName}”的截止提醒。发送“恢复提醒”可以恢复。` : `已恢复“${ev.projectName}”的截止提醒。\n${await describe(store, { ...ev, remindersPaused: false }, input.now)}`);
  }
  if (!cmd.args) return say(await describe(store, ev, input.now));
  const parsed = parseReminderArgs(cmd.args);
  if ('error' in parsed) return say(parsed.error);
  const patch = parsed.reset
    ? { reminderDays: null, reminderTime: null }
    : { ...(parsed.days ? { reminderDays: parsed.days } : {}), ...(parsed.time ? { reminderTime: parsed.time } : {}) };
  const updated = (await store.updateEvaluation(ev.id, patch, input.now)) ?? ev;
  return say(`已更新提醒设置。\n${await describe(store, updated, input.now)}`);
}

/** The settings in words, and the next reminder dates (after moving off days off). */
async function describe(store: Store, ev: Evaluation, now: number): Promise<string> {
  const days = ev.reminderDays ?? DEFAULT_DAYS;
  const time = ev.reminderTime ?? DEFAULT_TIME;
  const deadline = (await effectiveDeadlines(store, [ev])).get(ev.id);
  const lines = [
    `提醒：截止${daysText(days)}的 ${time}（北京时间）${ev.reminderDays || ev.reminderTime ? '' : '（默认）'}${ev.remindersPaused ? '，目前已暂停' : ''}；逾期后每个工作日提醒一次。遇周末、节假日提前到前一个工作日。`,
  ];
  if (!deadline) lines.push('还没有截止日期：发送“截止 <日期>”设置，例如：截止 2025-05-31。');
  else {
    lines.push(`截止日期：${deadline}（${weekdayName(deadline)}）${ev.deadline ? '' : '，按管理员设置的年度默认截止日期'}。`);
    const next = chatSlots({ id: ev.id, deadline, reminders: { days, time, paused: ev.remindersPaused } }, now, now + 120 * 86_400_000)
      .filter((s) => s.kind === 'before')
      .map((s) => `${s.date}（${weekdayName(s.date)}）`);
    if (next.length && !ev.remindersPaused) lines.push(`接下来的提醒：${next.join('、')}。`);
    else if (!ev.remindersPaused && deadline < beijingDate(now)) lines.push('已过截止日期：没填完的话每个工作日提醒一次。');
  }
  return lines.join('\n');
}

async function rectEvaluation(store: Store, chatId: string): Promise<Evaluation | undefined> {
  const [newest] = await store.rectEvaluationsInChat(chatId);
  return newest === undefined ? undefined : store.getEvaluation(newest);
}
