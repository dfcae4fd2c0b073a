// The calendar and the pure schedule: which reminders are due at T, on a fake clock.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  beijingDate,
  beijingInstant,
  calendarCoverage,
  isWorkingDay,
  workingDayOnOrBefore,
} from '../../src/domain/calendar';
import type { Person } from '../../src/domain/evaluationFacts';
import { type Reminder, type ReminderEvaluation, type ReminderState, dueReminders, LOOKBACK_MS } from '../../src/reminders/schedule';
import { bj } from './helpers';

describe('calendar (Beijing time, China working days)', () => {
  it('covers the official schedule 2004–2026 and falls back to weekends outside it', () => {
    expect(calendarCoverage()).toEqual({ from: 2004, to: 2026 });
    expect(isWorkingDay('2025-10-01')).toBe(false); // National Day
    expect(isWorkingDay('2025-09-28')).toBe(true); // a Sunday worked for it
    expect(isWorkingDay('2025-10-11')).toBe(true); // a Saturday worked for it
    expect(isWorkingDay('2026-02-16')).toBe(false); // Spring Festival 2026
    expect(isWorkingDay('2026-02-14')).toBe(true); // a Saturday worked for it
    expect(isWorkingDay('2027-01-01')).toBe(true); // not covered: a Friday is a working day
    expect(isWorkingDay('2027-01-02')).toBe(false); // … and a Saturday is not
    expect(workingDayOnOrBefore('2025-10-01')).toBe('2025-09-30');
    expect(workingDayOnOrBefore('2025-10-08')).toBe('2025-09-30');
    expect(workingDayOnOrBefore('2025-09-28')).toBe('2025-09-28');
    expect(workingDayOnOrBefore('2025-06-01')).toBe('2025-05-30'); // weekend + Dragon Boat
  });

  it('does date math in Beijing time whatever the machine’s zone', () => {
    expect(beijingDate(Date.UTC(2025, 4, 31, 15, 59))).toBe('2025-05-31');
    expect(beijingDate(Date.UTC(2025, 4, 31, 16, 0))).toBe('2025-06-01');
    expect(beijingInstant('2025-05-31', '09:00')).toBe(Date.UTC(2025, 4, 31, 1, 0));
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});

const zhang: Person = { userId: 'ou_zhang', name: '张三' };
const li: Person = { userId: 'ou_li', name: '李四' };
const boss: Person = { userId: 'ou_boss', name: '赵局长' };

function evaluation(over: Partial<ReminderEvaluation> = {}): ReminderEvaluation {
  return {
    id: 1,
    projectName: '行政综合性经费',
    year: 2024,
    templateId: 'wuhua-2024',
    chatId: 'oc_1',
    status: 'filling',
    deadline: '2025-06-03',
    assignments: [{ sectionId: 'goals', ...zhang }],
    unit: '红云街道',
    total: { budget: 0n, arrived: 0n, spent: 0n },
    sectionsDone: 19,
    sectionsTotal: 21,
    gaps: [
      { sectionId: 'goals', title: '年度总体目标', missing: ['预期目标', '实际完成情况'] },
      { sectionId: 'conclusion', title: '经验、问题与建议', missing: ['项目主要经验及做法'] },
    ],
    answeredBy: [li],
    reminders: { days: [7, 3, 1, 0], time: '09:00', paused: false },
    ...over,
  };
}

const state = (evaluations: ReminderEvaluation[], sent: string[] = [], leaders: Person[] = [boss]): ReminderState => ({
  evaluations,
  leaders,
  sent: new Set(sent),
});

/** Every reminder over [from, to), as a scheduler running every `step` minutes that records what it sent. */
function simulate(s: ReminderState, from: number, to: number, stepMinutes = 60): (Reminder & { at: number })[] {
  const sent = new Set(s.sent);
  const out: (Reminder & { at: number })[] = [];
  for (let at = from; at < to; at += stepMinutes * 60_000)
    for (const r of dueReminders({ ...s, sent }, at)) {
      sent.add(r.key);
      out.push({ ...r, at });
    }
  return out;
}

describe('dueReminders', () => {
  it('default schedule: 7, 3, 1 days before and on the day at 09:00, days off moved to the working day before', () => {
    // deadline Tue 2025-06-03; 05-31..06-02 is the Dragon Boat holiday, so "3 days" and "1 day" both land on Fri 05-30
    const sent = simulate(state([evaluation()], [], []), bj('2025-05-20', '00:00'), bj('2025-06-03', '23:59'), 1);
    expect(sent.map((r) => [r.key, r.date, r.at === r.scheduledAt])).toEqual([
      ['1:before7:2025-06-03', '2025-05-27', true],
      ['1:before1:2025-06-03', '2025-05-30', true],
      ['1:before0:2025-06-03', '2025-06-03', true],
    ]);
    expect(sent.map((r) => r.scheduledAt)).toEqual([bj('2025-05-27'), bj('2025-05-30'), bj('2025-06-03')]);
  });

  it('is due from its minute on, not a minute before, and only within the last 24 hours', () => {
    const s = state([evaluation()], [], []);
    expect(dueReminders(s, bj('2025-05-27', '08:59'))).toEqual([]);
    expect(dueReminders(s, bj('2025-05-27', '09:00')).map((r) => r.key)).toEqual(['1:before7:2025-06-03']);
    expect(dueReminders(s, bj('2025-05-27', '09:00') + LOOKBACK_MS - 1).map((r) => r.key)).toEqual(['1:before7:2025-06-03']);
    expect(dueReminders(s, bj('2025-05-28', '09:00'))).toEqual([]);
    expect(dueReminders(state([evaluation()], ['1:before7:2025-06-03'], []), bj('2025-05-27', '12:00'))).toEqual([]);
  });

  it('moves a reminder falling on National Day to the last working day before it', () => {
    const ev = evaluation({ deadline: '2025-10-08', reminders: { days: [7], time: '09:00', paused: false } });
    const sent = simulate(state([ev], [], []), bj('2025-09-25', '00:00'), bj('2025-10-08', '00:00'));
    expect(sent.map((r) => [r.key, r.date])).toEqual([['1:before7:2025-10-08', '2025-09-30']]);
  });

  it('counts a Sunday worked in place of a holiday as a working day', () => {
    const ev = evaluation({ deadline: '2025-09-29', reminders: { days: [1], time: '08:30', paused: false } });
    const sent = simulate(state([ev], [], []), bj('2025-09-20', '00:00'), bj('2025-09-29', '00:00'));
    expect(sent.map((r) => [r.key, r.date, r.scheduledAt])).toEqual([['1:before1:2025-09-29', '2025-09-28', bj('2025-09-28', '08:30')]]);
  });

  it('after the deadline: one chat reminder and one message per leader each working day', () => {
    const sent = simulate(state([evaluation()], ['1:before0:2025-06-03']), bj('2025-06-03', '12:00'), bj('2025-06-10', '00:00'));
    expect(sent.map((r) => r.key)).toEqual([
      '1:overdue:2025-06-04',
      'leader:ou_boss:2025-06-04',
      '1:overdue:2025-06-05',
      'leader:ou_boss:2025-06-05',
      '1:overdue:2025-06-06',
      'leader:ou_boss:2025-06-06',
      '1:overdue:2025-06-09', // not the weekend
      'leader:ou_boss:2025-06-09',
    ]);
    const digest = sent.find((r) => r.kind === 'leader')!;
    expect(digest.to).toEqual({ userId: 'ou_boss' });
    expect(digest.message).toMatchObject({ type: 'text' });
    expect(digest.message.type === 'text' && digest.message.text).toContain('1. 2024年度行政综合性经费（红云街道）：截止 2025-06-03，逾期 1 天，已完成 19/21 部分；未完成：年度总体目标（张三）、经验、问题与建议（未分配）');
  });

  it('mentions only the assignees of incomplete sections, and lists exactly what is missing', () => {
    const ev = evaluation({ assignments: [{ sectionId: 'goals', ...zhang }, { sectionId: 'project', userId: 'ou_sun', name: '孙五' }] });
    const [r] = dueReminders(state([ev], [], []), bj('2025-05-27', '09:00'));
    expect(r.message).toEqual({
      type: 'text',
      mentions: [zhang],
      text: [
        '⏰ 提醒：2024年度行政综合性经费绩效自评的截止日期是 2025-06-03（星期二），还有 7 天，还有 2 个部分没填完。',
        '还缺：',
        '1. 【年度总体目标】@张三：还缺 预期目标、实际完成情况',
        '2. 【经验、问题与建议】（未分配）：还缺 项目主要经验及做法',
        '请发送“填写”接着填，发送“进度”查看详情。',
      ].join('\n'),
    });
  });

  it('mentions everyone who has answered when nothing is assigned', () => {
    const [r] = dueReminders(state([evaluation({ assignments: [], answeredBy: [li, zhang] })], [], []), bj('2025-06-03', '09:00'));
    expect(r.message.type === 'text' && r.message.mentions).toEqual([li, zhang]);
    expect(r.message.type === 'text' && r.message.text).toContain('今天截止');
    expect(r.message.type === 'text' && r.message.text).toContain('@李四 @张三 请协助补齐');
  });

  it('sends nothing for a complete evaluation, a scored one, or one without a deadline', () => {
    const quiet = [
      evaluation({ id: 2, gaps: [], sectionsDone: 21 }),
      evaluation({ id: 3, status: 'generated' }),
      evaluation({ id: 4, deadline: undefined }),
      evaluation({ id: 5, status: 'archived' }),
    ];
    expect(simulate(state(quiet), bj('2025-05-20', '00:00'), bj('2025-06-10', '00:00'))).toEqual([]);
  });

  it('paused: the chat hears nothing, the leaders still see it overdue', () => {
    const ev = evaluation({ reminders: { days: [7, 3, 1, 0], time: '09:00', paused: true } });
    const sent = simulate(state([ev]), bj('2025-05-20', '00:00'), bj('2025-06-05', '00:00'));
    expect(sent.map((r) => r.key)).toEqual(['leader:ou_boss:2025-06-04']);
  });
});
