// What summaries and reminders need to know about one evaluation, derived from its
// answers once: the three amounts, the execution rate, the score (when scored),
// and which sections are still missing what. Pure.
//
// Speed matters here (a leader's summary may cover thousands of evaluations), so the
// funds are reduced to what is read downstream: totals and rates. computeFunds also
// builds every source and breakdown line, which costs ~1 ms per evaluation; scoring
// and the "is this question asked" conditions read only `funds.rates`. A test checks
// these figures against the full assess()/formContext() path.
import type { Answers } from './answers';
import { type Amounts, type Funds, percentOf, ratesOf } from './funds';
import { wanToFen } from './decimal';
import { type FormSection, formSections } from './questions';
import { score } from './scoring';
import type { Template } from './template';
import { missingIn, sectionState } from '../conversation/flow';

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
  score?: number; // hundredths; only for a scored evaluation
  grade?: string;
  sectionsDone: number;
  sectionsTotal: number;
  gaps: SectionGap[];
  answeredBy: Person[]; // everyone who has answered something, first answer first
}

const lineAmount = /^lineItems\[(\d+)\]\.(budget|arrived|spent)$/;

/** The funds table's totals, exactly as computeFunds adds them (numbers only, in 分). */
export function fundsTotal(answers: Answers): Amounts {
  const total: Amounts = { budget: 0n, arrived: 0n, spent: 0n };
  for (const key in answers) {
    if (!key.startsWith('lineItems[')) continue;
    const m = lineAmount.exec(key);
    const v = answers[key];
    if (m && typeof v === 'number') total[m[2] as keyof Amounts] += wanToFen(v);
  }
  return total;
}

/** A Funds carrying only the totals and rates; see the note at the top. */
function fundsForRules(total: Amounts): Funds {
  const zero = { budget: 0n, arrived: 0n, spent: 0n };
  return { lines: [], total, sources: [], sourceTotal: zero, rates: ratesOf(total), sourceRates: {}, breakdown: [], breakdownTotal: 0n };
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
  opts: { scored: boolean; answeredBy?: Person[] },
): AnswerFacts {
  const total = fundsTotal(answers);
  const funds = fundsForRules(total);
  const sections = sectionsOf(template);
  const ctx = { template, sections, answers, funds };
  const gaps: SectionGap[] = [];
  let done = 0;
  for (const s of sections) {
    const missing = missingIn(ctx, s);
    if (missing.length === 0 && sectionState(ctx, s) === 'done') done++;
    else gaps.push({ sectionId: s.id, title: s.title, missing: missing.map((m) => m.label) });
  }
  const scores = opts.scored ? score(template, answers, funds) : undefined;
  const unit = answers['project.unit'];
  return {
    unit: typeof unit === 'string' ? unit : unit === undefined ? '' : String(unit),
    total,
    executionRate: percentOf(total.spent, total.arrived),
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
