// Which reminders are due at time T: the one pure function the Node runtime (every
// minute) and a Workers Cron Trigger both call, with the database's state loaded
// by ./run. No clock, no I/O: `at` is passed in.
//
// The schedule, all in Beijing time:
// - before the deadline: the evaluation's days (default 7, 3, 1 and 0 days before)
//   at its time (default 09:00). A day off moves to the working day before it; two
//   that land on the same day go out once (the one nearer the deadline).
// - after the deadline: one reminder in the chat each working day at its time.
// - leaders: one private message each working day at 09:00 listing every overdue evaluation.
// A reminder is due when its time is within the last LOOKBACK_MS and it was not
// sent: a scheduler that runs late still sends it once, and a bot that was down
// for a week does not send a week of reminders when it comes back.
import { addDays, beijingDate, beijingInstant, isWorkingDay, workingDayOnOrBefore, type DateString } from '../domain/calendar';
import type { Person } from '../domain/evaluationFacts';
import { type EvaluationFacts, isComplete, isOverdue } from '../domain/summary';
import type { Outgoing } from '../conversation/types';
import { chatReminderText, leaderDigestText } from './messages';

export const DEFAULT_DAYS: readonly number[] = [7, 3, 1, 0];
export const DEFAULT_TIME = '09:00';
export const LEADER_TIME = '09:00';
export const LOOKBACK_MS = 24 * 3600_000;

export interface ReminderSettings {
  days: readonly number[];
  time: string; // 'HH:MM' Beijing time
  paused: boolean;
}

export interface ReminderEvaluation extends EvaluationFacts {
  reminders: ReminderSettings;
}

export interface ReminderState {
  evaluations: readonly ReminderEvaluation[];
  leaders: readonly Person[];
  sent: ReadonlySet<string>; // keys already sent
}

/** A chat (group) or a person (private message, by open_id). */
export type ReminderTarget = { chatId: string } | { userId: string };

export interface Reminder {
  key: string; // '<id>:before<n>:<deadline>' | '<id>:overdue:<date>' | 'leader:<open_id>:<date>'
  kind: 'before' | 'overdue' | 'leader';
  evaluationId: number; // for a leader's message: the first overdue evaluation (the sent-record needs one)
  date: DateString; // the Beijing day it goes out
  scheduledAt: number; // epoch ms
  to: ReminderTarget;
  message: Outgoing;
}

export interface Slot {
  key: string;
  kind: 'before' | 'overdue';
  date: DateString;
  scheduledAt: number;
}

type Schedulable = Pick<EvaluationFacts, 'id' | 'deadline'> & { reminders: ReminderSettings };

/** The evaluation's chat reminder times within (from, to]. Needs no answers: the loader uses it to skip the rest. */
export function chatSlots(ev: Schedulable, from: number, to: number): Slot[] {
  const deadline = ev.deadline;
  if (!deadline || ev.reminders.paused) return [];
  const time = ev.reminders.time;
  const inWindow = (t: number) => t > from && t <= to;
  const out: Slot[] = [];
  // before: nearest to the deadline first, so a shared day keeps that one
  const byDate = new Map<DateString, Slot>();
  for (const n of [...new Set(ev.reminders.days)].sort((a, b) => a - b)) {
    const date = workingDayOnOrBefore(addDays(deadline, -n));
    if (byDate.has(date)) continue;
    byDate.set(date, { key: `${ev.id}:before${n}:${deadline}`, kind: 'before', date, scheduledAt: beijingInstant(date, time) });
  }
  for (const s of byDate.values()) if (inWindow(s.scheduledAt)) out.push(s);
  // after: each working day from the day after the deadline
  const first = addDays(deadline, 1);
  for (let date = maxDate(first, beijingDate(from)); date <= beijingDate(to); date = addDays(date, 1)) {
    const at = beijingInstant(date, time);
    if (isWorkingDay(date) && inWindow(at)) out.push({ key: `${ev.id}:overdue:${date}`, kind: 'overdue', date, scheduledAt: at });
  }
  return out.sort((a, b) => a.scheduledAt - b.scheduledAt);
}

/** The leaders' digest times within (from, to]: working days at LEADER_TIME. */
export function leaderSlots(from: number, to: number): { date: DateString; scheduledAt: number }[] {
  const out: { date: DateString; scheduledAt: number }[] = [];
  for (let date = beijingDate(from); date <= beijingDate(to); date = addDays(date, 1)) {
    const at = beijingInstant(date, LEADER_TIME);
    if (at > from && at <= to && isWorkingDay(date)) out.push({ date, scheduledAt: at });
  }
  return out;
}

const maxDate = (a: DateString, b: DateString) => (a > b ? a : b);

/** Might this evaluation have a reminder or a place in a leader's digest at `at`? (Before loading its answers.) */
export function mayBeDue(ev: Schedulable, at: number): boolean {
  if (!ev.deadline) return false;
  if (chatSlots(ev, at - LOOKBACK_MS, at).length) return true;
  return leaderSlots(at - LOOKBACK_MS, at).some((s) => ev.deadline! < s.date);
}

/** Every reminder scheduled within (at − LOOKBACK_MS, at] that was not sent yet, in time order. */
export function dueReminders(state: ReminderState, at: number): Reminder[] {
  return [...dueChatReminders(state.evaluations, state.sent, at), ...dueLeaderDigests(state, at)].sort(byTime);
}

export const byTime = (a: Reminder, b: Reminder) => a.scheduledAt - b.scheduledAt || (a.key < b.key ? -1 : 1);

/** The chat reminders of these evaluations due within (at − LOOKBACK_MS, at] and not sent yet. */
export function dueChatReminders(evaluations: readonly ReminderEvaluation[], sent: ReadonlySet<string>, at: number): Reminder[] {
  const from = at - LOOKBACK_MS;
  const out: Reminder[] = [];
  for (const ev of evaluations) {
    if (ev.status !== 'filling' || isComplete(ev)) continue;
    for (const slot of chatSlots(ev, from, at)) {
      if (sent.has(slot.key)) continue;
      out.push({ ...slot, evaluationId: ev.id, to: { chatId: ev.chatId }, message: chatReminderText(ev, slot) });
    }
  }
  return out;
}

/** Each leader's digest of the overdue evaluations due within (at − LOOKBACK_MS, at] and not sent yet. */
export function dueLeaderDigests(state: ReminderState, at: number): Reminder[] {
  const out: Reminder[] = [];
  for (const slot of leaderSlots(at - LOOKBACK_MS, at)) {
    // paused reminders quiet the chat, not the leaders: an overdue evaluation is still overdue
    const overdue = state.evaluations.filter((ev) => isOverdue(ev, slot.date)).sort((a, b) => (a.deadline! < b.deadline! ? -1 : a.deadline! > b.deadline! ? 1 : a.id - b.id));
    if (!overdue.length) continue;
    for (const leader of state.leaders) {
      const key = leaderDigestKey(leader.userId, slot.date);
      if (state.sent.has(key)) continue;
      out.push({
        key,
        kind: 'leader',
        evaluationId: overdue[0].id,
        date: slot.date,
        scheduledAt: slot.scheduledAt,
        to: { userId: leader.userId },
        message: leaderDigestText(overdue, slot.date),
      });
    }
  }
  return out;
}

export const leaderDigestKey = (userId: string, date: DateString) => `leader:${userId}:${date}`;
