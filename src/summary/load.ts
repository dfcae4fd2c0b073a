// Store → EvaluationFacts, for the summary, the overdue list and the reminders.
// Answer-derived facts are cached by (evaluation, answersVersion, status): answers
// only change through applyAnswers, which bumps answersVersion, so a cached entry
// is never stale. Assignments and deadlines are read fresh every time (cheap).
import { type AnswerFacts, answerFacts, distinctPeople } from '../domain/evaluationFacts';
import type { EvaluationFacts } from '../domain/summary';
import type { Template } from '../domain/template';
import type { Evaluation, Store } from '../store';
import { slicer } from './pause';

export type FactsCache = Map<number, { key: string; facts: AnswerFacts }>;
export const newFactsCache = (): FactsCache => new Map();

export interface LoadOptions {
  templates: readonly Template[];
  year?: number;
  cache?: FactsCache;
  /** Load facts only for the rows this accepts (given the effective deadline). */
  want?: (row: Evaluation, deadline: string | undefined) => boolean;
  /** Read assignments only for the facts this accepts (one query each; the summary needs none). Default: all. */
  assignmentsFor?: (facts: EvaluationFacts) => boolean;
}

type LoaderStore = Pick<Store, 'listEvaluations' | 'getAnswerRows' | 'getAssignments' | 'getDefaultDeadline'>;

/** Each evaluation's deadline: its own, else the administrator's default for its year (and template). */
export async function effectiveDeadlines(store: Pick<Store, 'getDefaultDeadline'>, rows: readonly Evaluation[]): Promise<Map<number, string | undefined>> {
  const defaults = new Map<string, string | undefined>();
  const out = new Map<number, string | undefined>();
  for (const row of rows) {
    if (row.deadline) {
      out.set(row.id, row.deadline);
      continue;
    }
    const k = `${row.year}|${row.templateId}`;
    if (!defaults.has(k)) defaults.set(k, await store.getDefaultDeadline(row.year, row.templateId));
    out.set(row.id, defaults.get(k));
  }
  return out;
}

export async function loadFacts(store: LoaderStore, opts: LoadOptions): Promise<EvaluationFacts[]> {
  return (await loadFactsWithRows(store, opts)).map((x) => x.facts);
}

/** The facts with the rows behind them (reminders also need each row's settings). */
export async function loadFactsWithRows(store: LoaderStore, opts: LoadOptions): Promise<{ row: Evaluation; facts: EvaluationFacts }[]> {
  // An evaluation archived after its report was generated is finished, not gone: it stays in the
  // summaries as generated. One archived without a report was abandoned and is left out.
  const rows = (await store.listEvaluations(opts.year === undefined ? {} : { year: opts.year }))
    .filter((r) => r.status !== 'archived' || r.documentsVersion !== null)
    .map((r) => (r.status === 'archived' ? { ...r, status: 'generated' as const } : r));
  const deadlines = await effectiveDeadlines(store, rows);
  const cache = opts.cache ?? newFactsCache();
  const out: { row: Evaluation; facts: EvaluationFacts }[] = [];
  const pause = slicer();
  for (const row of rows) {
    await pause(); // 10,000 evaluations must not hold the event loop (see pause.ts)
    const deadline = deadlines.get(row.id);
    if (opts.want && !opts.want(row, deadline)) continue;
    const template = opts.templates.find((t) => t.id === row.templateId && t.version === Number(row.templateVersion));
    const key = `${row.answersVersion}|${row.status}|${template ? 'T' : '-'}|${(row.passedSections ?? []).join(',')}`;
    let facts = cache.get(row.id)?.key === key ? cache.get(row.id)!.facts : undefined;
    if (!facts) {
      const answerRows = await store.getAnswerRows(row.id);
      const answers = Object.fromEntries(answerRows.map((r) => [r.path, r.value]));
      // oldest answer first, so the people are listed in the order they joined in
      const answeredBy = distinctPeople(
        [...answerRows].sort((a, b) => a.updatedAt - b.updatedAt).map((r) => ({ userId: r.updatedBy, name: r.updatedByName })),
      );
      facts = template
        ? answerFacts(template, answers, { scored: row.status === 'generated', answeredBy, passed: row.passedSections ?? [] })
        : unknownTemplateFacts(answers, answeredBy);
      cache.set(row.id, { key, facts });
    }
    const full: EvaluationFacts = {
      ...facts,
      id: row.id,
      projectName: row.projectName,
      year: row.year,
      templateId: row.templateId,
      chatId: row.chatId,
      status: row.status,
      deadline,
      assignments: [],
      warningsConfirmed: row.warningsConfirmed
        ? { name: row.warningsConfirmed.name, at: row.warningsConfirmed.at, count: row.warningsConfirmed.warnings.length }
        : undefined,
    };
    if (!opts.assignmentsFor || opts.assignmentsFor(full))
      full.assignments = (await store.getAssignments(row.id)).map((a) => ({ sectionId: a.sectionId, userId: a.userId, name: a.userName }));
    out.push({ row, facts: full });
  }
  return out;
}

/** A template this build no longer ships: show the row, without progress, and never remind. */
function unknownTemplateFacts(answers: Record<string, unknown>, answeredBy: AnswerFacts['answeredBy']): AnswerFacts {
  const unit = answers['project.unit'];
  return {
    unit: typeof unit === 'string' ? unit : '',
    total: { budget: 0n, arrived: 0n, spent: 0n },
    sectionsDone: 0,
    sectionsTotal: 0,
    gaps: [],
    answeredBy,
  };
}
