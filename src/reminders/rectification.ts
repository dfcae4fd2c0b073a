// 整改 reminders, on the same schedule, calendar and outbox as the deadline reminders
// (./schedule's chatSlots, moved off days off, sent once through runReminders):
// - before an item's 完成时限, on the evaluation's reminder days at its time: to the
//   owner in a private message (to the chat when nobody owns it yet);
// - after it, each working day: one message to the chat listing its overdue items
//   and mentioning their owners, and one private message to each owner;
// - none for closed items, none while the chat's reminders are paused (暂停提醒).
import { addDays, beijingDate, daysBetween, weekdayName, type DateString } from '../domain/calendar';
import { type RectItem, isClosed } from '../domain/rectification';
import type { Actor, Outgoing } from '../conversation/types';
import type { RemindableRectRow, Store } from '../store';
import { toItem } from '../store/rectification';
import { SENT_KEYS_PER_QUERY } from '../store/reminders';
import { DEFAULT_DAYS, DEFAULT_TIME, LOOKBACK_MS, type Reminder, type ReminderSettings, chatSlots } from './schedule';

export interface RectReminderItem extends RectItem {
  chatId: string;
  title: string; // '2024年度行政综合性经费'
  reminders: ReminderSettings;
}

export interface RectReminderState {
  items: readonly RectReminderItem[];
  sent: ReadonlySet<string>;
}

const short = (t: string, max = 40) => (Array.from(t).length <= max ? t : `${Array.from(t).slice(0, max).join('')}…`);
const dueText = (d: DateString) => `${d}（${weekdayName(d)}）`;

function beforeText(i: RectReminderItem, date: DateString): Outgoing {
  const left = daysBetween(date, i.dueDate!);
  const when = left === 0 ? `今天（${dueText(i.dueDate!)}）到期` : `的完成时限是 ${dueText(i.dueDate!)}，还有 ${left} 天`;
  const text = [
    `⏰ 整改提醒：${i.title} 整改事项第${i.seq}项${when}。`,
    `问题：${short(i.description, 80)}`,
    i.measure ? `整改措施：${short(i.measure, 80)}` : '整改措施还没有填写。',
    `完成后在评价群里发送“整改 ${i.seq} 完成 <说明>”；有进展发送“整改 ${i.seq} 进展 <情况>”。`,
  ].join('\n');
  return { type: 'text', text, ...(i.owner ? { mentions: [i.owner] } : {}) };
}

function overdueLine(i: RectReminderItem, date: DateString): string {
  return `第${i.seq}项 ${short(i.description)}：责任人 ${i.owner ? `@${i.owner.name}` : '未指定'}，完成时限 ${i.dueDate}，已逾期 ${daysBetween(i.dueDate!, date)} 天`;
}

function overdueChatText(items: RectReminderItem[], date: DateString): Outgoing {
  const owners = distinct(items.flatMap((i) => (i.owner ? [i.owner] : [])));
  const text = [
    `⚠️ 整改逾期：${items[0].title} 有 ${items.length} 项整改事项已过完成时限，还没有完成：`,
    ...items.map((i) => `· ${overdueLine(i, date)}`),
    `完成后发送“整改 <序号> 完成 <说明>”；确实不需要整改的发送“整改 <序号> 无需整改 <说明>”。`,
  ].join('\n');
  return { type: 'text', text, ...(owners.length ? { mentions: owners } : {}) };
}

function overdueOwnerText(items: RectReminderItem[], date: DateString): Outgoing {
  const text = [
    `⚠️ 你负责的整改事项已逾期（${items[0].title}）：`,
    ...items.map((i) => `· ${overdueLine(i, date)}`),
    `完成后在评价群里发送“整改 <序号> 完成 <说明>”。`,
  ].join('\n');
  return { type: 'text', text };
}

function distinct(people: Actor[]): Actor[] {
  const m = new Map<string, Actor>();
  for (const p of people) if (!m.has(p.userId)) m.set(p.userId, p);
  return [...m.values()];
}

/** Every 整改 reminder scheduled within (at − LOOKBACK_MS, at] and not sent yet. */
export function dueRectReminders(state: RectReminderState, at: number): Reminder[] {
  const from = at - LOOKBACK_MS;
  const out: Reminder[] = [];
  const overdue = new Map<string, { date: DateString; scheduledAt: number; items: RectReminderItem[] }>();
  for (const i of state.items) {
    if (isClosed(i) || !i.dueDate) continue;
    for (const slot of chatSlots({ id: i.id, deadline: i.dueDate, reminders: i.reminders }, from, at)) {
      if (slot.kind === 'before') {
        const key = `rect:${i.id}:${slot.key.slice(String(i.id).length + 1)}`; // rect:<item>:before<n>:<due>
        if (state.sent.has(key)) continue;
        out.push({ key, kind: 'before', evaluationId: i.evaluationId, date: slot.date, scheduledAt: slot.scheduledAt, to: i.owner ? { userId: i.owner.userId } : { chatId: i.chatId }, message: beforeText(i, slot.date) });
      } else {
        const k = `${i.evaluationId}:${slot.date}`;
        const group = overdue.get(k) ?? { date: slot.date, scheduledAt: slot.scheduledAt, items: [] };
        group.items.push(i);
        overdue.set(k, group);
      }
    }
  }
  for (const g of overdue.values()) {
    const first = g.items[0];
    const items = [...g.items].sort((a, b) => a.seq - b.seq);
    const base = { kind: 'overdue' as const, evaluationId: first.evaluationId, date: g.date, scheduledAt: g.scheduledAt };
    const chatKey = `rect:ev${first.evaluationId}:overdue:${g.date}`;
    if (!state.sent.has(chatKey)) out.push({ ...base, key: chatKey, to: { chatId: first.chatId }, message: overdueChatText(items, g.date) });
    for (const owner of distinct(items.flatMap((i) => (i.owner ? [i.owner] : [])))) {
      const key = `${chatKey}:${owner.userId}`;
      if (state.sent.has(key)) continue;
      out.push({ ...base, key, to: { userId: owner.userId }, message: overdueOwnerText(items.filter((i) => i.owner?.userId === owner.userId), g.date) });
    }
  }
  return out.sort((a, b) => a.scheduledAt - b.scheduledAt || (a.key < b.key ? -1 : 1));
}

export type RectReminderStore = Pick<Store, 'remindableRectItems' | 'maxEvaluationId' | 'sentKeys'>;

/** Evaluations whose 整改 items are read in one query. */
const RANGE = 2000;

function toReminderItem(r: RemindableRectRow): RectReminderItem {
  return {
    ...toItem(r),
    chatId: r.chatId,
    title: `${r.year}年度${r.projectName}`,
    // paused ones (the evaluation's, or the chat's current evaluation's 暂停提醒) are left out in SQL
    reminders: { days: r.reminderDays ? (JSON.parse(r.reminderDays) as number[]) : DEFAULT_DAYS, time: r.reminderTime ?? DEFAULT_TIME, paused: false },
  };
}

/**
 * The 整改 reminders due at `at` and not sent, a range of evaluations at a time: SQL
 * picks the open items with a deadline close enough whose reminders are not paused;
 * what was sent is asked once per range. `spend` is told before each query.
 */
export async function* rectReminderChunks(
  store: RectReminderStore,
  at: number,
  spend: (queries: number) => void,
  pause: () => Promise<void>,
): AsyncGenerator<Reminder[]> {
  spend(1);
  const last = await store.maxEvaluationId();
  // the furthest reminder day is 90 days before the deadline, moved back over days off
  const dueBy = addDays(beijingDate(at), 120);
  for (let from = 0; from < last; from += RANGE) {
    await pause();
    spend(1);
    const items = (await store.remindableRectItems(dueBy, from, from + RANGE)).map(toReminderItem);
    if (!items.length) continue;
    await pause();
    const due = dueRectReminders({ items, sent: new Set() }, at);
    if (!due.length) continue;
    spend(Math.ceil(due.length / SENT_KEYS_PER_QUERY));
    const sent = await store.sentKeys(due.map((r) => r.key));
    const unsent = due.filter((r) => !sent.has(r.key));
    for (let i = 0; i < unsent.length; i += 100) yield unsent.slice(i, i + 100);
  }
}
