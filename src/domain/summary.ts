// The leaders' summary across evaluations: one row each, totals, the count by
// grade, those under 90% execution, the overdue ones. Pure and cheap: the per-
// evaluation work (funds, score, progress) is already in EvaluationFacts.
import type { Amounts } from './funds';
import { percentOf } from './funds';
import type { AnswerFacts, Person, SectionGap } from './evaluationFacts';
import type { DateString } from './calendar';

export interface EvaluationFacts extends AnswerFacts {
  id: number;
  projectName: string;
  year: number;
  templateId: string;
  chatId: string;
  status: 'filling' | 'generated' | 'archived';
  deadline?: DateString; // its own, else the default for its year/template
  assignments: (Person & { sectionId: string })[];
  /** reviewer warnings someone accepted with 确认 before the final documents */
  warningsConfirmed?: WarningsConfirmed;
}

/**
 * What the summary reads of an evaluation's facts: not which parts are missing, only
 * how many (a summary of 10,000 keeps and reads far less than their full facts).
 */
export type SummaryFacts = Omit<EvaluationFacts, 'gaps' | 'answeredBy' | 'assignments' | 'chatId' | 'templateId'> & { gaps: { readonly length: number } };

export interface WarningsConfirmed {
  name: string;
  at: number; // epoch ms
  count: number;
}

export interface SummaryRow {
  id: number;
  projectName: string;
  unit: string;
  year: number;
  amounts: Amounts; // 分
  executionRate?: number; // hundredths of a percent
  scored: boolean;
  score?: number; // hundredths
  grade?: string;
  sectionsDone: number;
  sectionsTotal: number;
  deadline?: DateString;
  overdue: boolean;
  warningsConfirmed?: WarningsConfirmed;
}

export interface Summary {
  year?: number;
  unit?: string;
  today: DateString;
  rows: SummaryRow[];
  totals: Amounts;
  /** Σ of what each evaluation's own 执行率 divides: 支出/到位 on the seed's form, 执行数/全年预算数 on the national one */
  executionRate?: number;
  /** that 执行率's definition when every evaluation shares it ("实际支出数/实际到位数"); undefined when forms differ */
  executionDefinition?: string;
  /** grade → count, in the order first met; filling ones are counted under 填写中 */
  byGrade: { grade: string; count: number }[];
  filling: number;
  underNinety: SummaryRow[];
  overdue: SummaryRow[];
}

export const UNDER_RATE = 9000; // 90.00%, in hundredths

/** Finished: scored, or every section done. A finished evaluation is never overdue and gets no reminder. */
export function isComplete(f: Pick<SummaryFacts, 'status' | 'gaps'>): boolean {
  return f.status === 'generated' || f.gaps.length === 0;
}

/** Past its deadline (the deadline day itself still counts as in time) and not finished. */
export function isOverdue(f: Pick<SummaryFacts, 'status' | 'gaps' | 'deadline'>, today: DateString): boolean {
  return f.status !== 'archived' && !!f.deadline && f.deadline < today && !isComplete(f);
}

export interface SummaryFilter {
  year?: number;
  unit?: string; // part of the implementing unit's name
}

const gradeOrder = ['优', '良', '中', '差'];

/** One evaluation's row of the summary, as of `today` (which decides 逾期). */
export function summaryRow(f: SummaryFacts, today: DateString): SummaryRow {
  const scored = f.status === 'generated' && f.score !== undefined;
  return {
    id: f.id,
    projectName: f.projectName,
    unit: f.unit,
    year: f.year,
    amounts: f.total,
    executionRate: f.executionRate,
    scored,
    score: scored ? f.score : undefined,
    grade: scored ? f.grade : undefined,
    sectionsDone: f.sectionsDone,
    sectionsTotal: f.sectionsTotal,
    deadline: f.deadline,
    overdue: isOverdue(f, today),
    warningsConfirmed: f.warningsConfirmed,
  };
}

/** `rowOf` may hand back a row made earlier from the same facts and day (a caller keeping rows between summaries). */
export function buildSummary(facts: readonly SummaryFacts[], filter: SummaryFilter, today: DateString, rowOf: typeof summaryRow = summaryRow): Summary {
  const rows: SummaryRow[] = [];
  const totals: Amounts = { budget: 0n, arrived: 0n, spent: 0n };
  const grades = new Map<string, number>();
  let filling = 0;
  let part = 0n;
  let whole = 0n;
  const definitions = new Set<string>();
  for (const f of facts) {
    if (f.status === 'archived') continue;
    if (filter.year !== undefined && f.year !== filter.year) continue;
    if (filter.unit && !f.unit.includes(filter.unit)) continue;
    const row = rowOf(f, today);
    rows.push(row);
    totals.budget += f.total.budget;
    totals.arrived += f.total.arrived;
    totals.spent += f.total.spent;
    if (f.execution) {
      part += f.execution.part;
      whole += f.execution.whole;
      definitions.add(f.execution.definition);
    }
    if (row.scored && f.grade) grades.set(f.grade, (grades.get(f.grade) ?? 0) + 1);
    else filling++;
  }
  const rank = (g: string) => (gradeOrder.includes(g) ? gradeOrder.indexOf(g) : gradeOrder.length);
  return {
    ...filter,
    today,
    rows,
    totals,
    executionRate: percentOf(part, whole),
    executionDefinition: definitions.size === 1 ? [...definitions][0] : undefined,
    byGrade: [...grades].map(([grade, count]) => ({ grade, count })).sort((a, b) => rank(a.grade) - rank(b.grade)),
    filling,
    underNinety: rows.filter((r) => r.executionRate !== undefined && r.executionRate < UNDER_RATE),
    overdue: rows.filter((r) => r.overdue),
  };
}

export interface OverdueItem {
  id: number;
  projectName: string;
  year: number;
  unit: string;
  chatId: string;
  deadline: DateString;
  sectionsDone: number;
  sectionsTotal: number;
  gaps: (SectionGap & { assignee?: Person })[];
}

/** The overdue evaluations, earliest deadline first, each with its missing sections and their assignees. */
export function overdueList(facts: readonly EvaluationFacts[], today: DateString, filter: SummaryFilter = {}): OverdueItem[] {
  return facts
    .filter((f) => isOverdue(f, today) && (filter.year === undefined || f.year === filter.year) && (!filter.unit || f.unit.includes(filter.unit)))
    .map((f) => ({
      id: f.id,
      projectName: f.projectName,
      year: f.year,
      unit: f.unit,
      chatId: f.chatId,
      deadline: f.deadline!,
      sectionsDone: f.sectionsDone,
      sectionsTotal: f.sectionsTotal,
      gaps: withAssignees(f),
    }))
    .sort(byDeadline);
}

/** Earliest deadline first, then by id: the order of the 逾期 list. */
export function byDeadline(a: { id: number; deadline?: string }, b: { id: number; deadline?: string }): number {
  const x = a.deadline ?? '';
  const y = b.deadline ?? '';
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
}

export function withAssignees(f: Pick<EvaluationFacts, 'gaps' | 'assignments'>): (SectionGap & { assignee?: Person })[] {
  const by = new Map(f.assignments.map((a) => [a.sectionId, { userId: a.userId, name: a.name }]));
  return f.gaps.map((g) => ({ ...g, assignee: by.get(g.sectionId) }));
}
