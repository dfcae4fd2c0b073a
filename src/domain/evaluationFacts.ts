// What summaries and reminders need to know about one evaluation, derived from its
// answers once: the three amounts, the execution rate, the score (when scored),
// and which sections are still missing what. Pure; cached by the loader per answers
// version, so a leader's summary over thousands of evaluations reads, not recomputes.
import type { Answers } from './answers';
import { type Amounts, computeFunds, fundsBlockOf, rateDefinition } from './funds';
import { type FormSection, formSections } from './questions';
import { score } from './scoring';
import type { Template } from './template';
import { missingIn, sectionState } from './progress';

export interface Person {
  userId: string;
  name: string;
}

/** A section with required answers still missing. */
export interface SectionGap {
  sectionId: string;
  title: string;
  missing: string[]; // question labels, exactly as the progress card shows them
}

/** Derived from the answers alone; cacheable by (evaluation, answersVersion, status). */
export interface AnswerFacts {
  unit: string; // project.unit, the implementing unit
  total: Amounts; // 分
  executionRate?: number; // hundredths of a percent; undefined when nothing arrived
  /** the two amounts the template's 执行率 divides (支出/到位 on the seed's form, 执行数/全年预算数 on the national), for totals across forms */
  execution?: { part: bigint; whole: bigint; definition: string };
  score?: number; // hundredths; only for a scored evaluation
  grade?: string;
  sectionsDone: number;
  sectionsTotal: number;
  gaps: SectionGap[];
  answeredBy: Person[]; // everyone who has answered something, first answer first
}

const sectionsByTemplate = new WeakMap<Template, FormSection[]>();
function sectionsOf(template: Template): FormSection[] {
  let s = sectionsByTemplate.get(template);
  if (!s) sectionsByTemplate.set(template, (s = formSections(template)));
  return s;
}

export function answerFacts(
  template: Template,
  answers: Answers,
  opts: { scored: boolean; answeredBy?: Person[]; passed?: string[] },
): AnswerFacts {
  const funds = computeFunds(template, answers);
  const total = funds.total;
  const sections = sectionsOf(template);
  const ctx = { template, sections, answers, funds, passed: new Set(opts.passed ?? []) };
  const gaps: SectionGap[] = [];
  let done = 0;
  for (const s of sections) {
    const missing = missingIn(ctx, s);
    // an optional part nobody has answered or passed is not done, but nothing in it is missing either
    if (missing.length === 0 && sectionState(ctx, s) === 'done') done++;
    if (missing.length) gaps.push({ sectionId: s.id, title: s.title, missing: missing.map((m) => m.label) });
  }
  const scores = opts.scored ? score(template, answers, funds) : undefined;
  const unit = answers['project.unit'];
  const def = fundsBlockOf(template).rates.find((r) => r.id === 'executionRate');
  const execution =
    def && funds.rates.executionRate?.value !== undefined
      ? { part: total[def.numerator] ?? 0n, whole: total[def.denominator] ?? 0n, definition: rateDefinition(fundsBlockOf(template), def) }
      : undefined;
  return {
    unit: typeof unit === 'string' ? unit : unit === undefined ? '' : String(unit),
    total,
    executionRate: funds.rates.executionRate?.value,
    execution,
    score: scores?.total,
    grade: scores?.grade,
    sectionsDone: done,
    sectionsTotal: sections.length,
    gaps,
    answeredBy: opts.answeredBy ?? [],
  };
}

/** Distinct people in the order they first appear (answer rows → who answered). */
export function distinctPeople(people: Iterable<Person>): Person[] {
  const seen = new Map<string, Person>();
  for (const p of people) if (!seen.has(p.userId)) seen.set(p.userId, { userId: p.userId, name: p.name });
  return [...seen.values()];
}
