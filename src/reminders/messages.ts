// The reminders' wording. A chat reminder @-mentions only the people who are
// behind: the assignees of the incomplete sections, or, when nothing is assigned,
// everyone who has answered something. It lists exactly what is missing.
import { daysBetween, dayOffName, weekdayName, type DateString } from '../domain/calendar';
import type { Person } from '../domain/evaluationFacts';
import { type EvaluationFacts, withAssignees } from '../domain/summary';
import type { Outgoing } from '../conversation/types';

/** A digest lists this many overdue evaluations; the rest are counted (the 逾期 command shows them all). */
export const DIGEST_MAX = 100;

/** Who a chat reminder mentions. */
export function whoIsBehind(ev: Pick<EvaluationFacts, 'gaps' | 'assignments' | 'answeredBy'>): Person[] {
  if (ev.assignments.length === 0) return ev.answeredBy;
  const out = new Map<string, Person>();
  for (const g of withAssignees(ev)) if (g.assignee && !out.has(g.assignee.userId)) out.set(g.assignee.userId, g.assignee);
  return [...out.values()];
}

/** One line per incomplete section: title, who, and every missing item. */
export function missingLines(ev: Pick<EvaluationFacts, 'gaps' | 'assignments'>): string[] {
  return withAssignees(ev).map(
    (g, i) =>
      `${i + 1}. 【${g.title}】${g.assignee ? `@${g.assignee.name}` : '（未分配）'}：${g.missing.length ? `还缺 ${g.missing.join('、')}` : '尚未填写'}`,
  );
}

const title = (ev: Pick<EvaluationFacts, 'year' | 'projectName'>) => `${ev.year}年度${ev.projectName}`;

function deadlineText(deadline: DateString): string {
  const off = dayOffName(deadline);
  return `${deadline}（${weekdayName(deadline)}${off && !off.startsWith('周') ? `，${off}` : ''}）`;
}

export function chatReminderText(ev: EvaluationFacts, slot: { kind: 'before' | 'overdue'; date: DateString }): Outgoing {
  const deadline = ev.deadline!;
  const left = daysBetween(slot.date, deadline);
  const head =
    slot.kind === 'overdue'
      ? `⚠️ 已逾期：${title(ev)}绩效自评的截止日期是 ${deadlineText(deadline)}，已逾期 ${-left} 天，还有 ${ev.gaps.length} 个部分没填完。`
      : left === 0
        ? `⏰ 今天截止：${title(ev)}绩效自评今天（${deadlineText(deadline)}）截止，还有 ${ev.gaps.length} 个部分没填完。`
        : `⏰ 提醒：${title(ev)}绩效自评的截止日期是 ${deadlineText(deadline)}，还有 ${left} 天，还有 ${ev.gaps.length} 个部分没填完。`;
  const people = whoIsBehind(ev);
  const unassignedCall = ev.assignments.length === 0 && people.length ? `\n${people.map((p) => `@${p.name}`).join(' ')} 请协助补齐。` : '';
  const text = [head, '还缺：', ...missingLines(ev), `请发送“填写”接着填，发送“进度”查看详情。${unassignedCall}`].join('\n');
  return { type: 'text', text, ...(people.length ? { mentions: people } : {}) };
}

export function leaderDigestText(overdue: readonly EvaluationFacts[], date: DateString): Outgoing {
  const lines = overdue.slice(0, DIGEST_MAX).map((ev, i) => {
    const gaps = withAssignees(ev)
      .map((g) => `${g.title}（${g.assignee?.name ?? '未分配'}）`)
      .join('、');
    return `${i + 1}. ${title(ev)}${ev.unit ? `（${ev.unit}）` : ''}：截止 ${ev.deadline}，逾期 ${daysBetween(ev.deadline!, date)} 天，已完成 ${ev.sectionsDone}/${ev.sectionsTotal} 部分；未完成：${gaps}`;
  });
  const more = overdue.length > DIGEST_MAX ? [`……另有 ${overdue.length - DIGEST_MAX} 项，发送“逾期”查看全部。`] : [];
  return {
    type: 'text',
    text: [`逾期未完成的绩效自评（${date}，共 ${overdue.length} 项）：`, ...lines, ...more, '发送“汇总”查看全部评价的汇总表。'].join('\n'),
  };
}
