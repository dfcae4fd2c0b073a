// Where a person is in the form and what comes next. Pure: answers and the
// template in, positions and missing items out.
import { type Answers, itemCount } from '../domain/answers';
import { type Funds, computeFunds } from '../domain/funds';
import { type FormQuestion, type FormSection, isAsked, pathOf } from '../domain/questions';
import type { Template } from '../domain/template';

/** A place in the form: a question, or the "add another item?" step of a repeated section. */
export interface Position {
  sectionId: string;
  index?: number;
  field: string; // a question's field, or MORE
}
export const MORE = '__more';

export interface FormContext {
  template: Template;
  sections: FormSection[];
  answers: Answers;
  funds: Funds;
}

export function formContext(template: Template, sections: FormSection[], answers: Answers): FormContext {
  return { template, sections, answers, funds: computeFunds(template, answers) };
}

const itemPrefix = (s: FormSection, index?: number) => (s.repeat ? `${s.group}[${index ?? 0}]` : undefined);

export function askedQuestions(ctx: FormContext, s: FormSection, index?: number): FormQuestion[] {
  return s.questions.filter((q) => isAsked(q, ctx.answers, ctx.funds, itemPrefix(s, index)));
}

/** Required questions not yet answered, as paths. */
export function missingIn(ctx: FormContext, s: FormSection): { path: string; label: string }[] {
  const out: { path: string; label: string }[] = [];
  const check = (index?: number) => {
    for (const q of askedQuestions(ctx, s, index)) {
      const path = pathOf(s, q, index);
      if (q.required && (ctx.answers[path] === undefined || ctx.answers[path] === ''))
        out.push({ path, label: s.repeat ? `第${(index ?? 0) + 1}项${s.repeat.itemLabel}·${q.label}` : q.label });
    }
  };
  if (!s.repeat) check();
  else {
    const n = Math.max(itemCount(ctx.answers, s.group), s.repeat.min);
    for (let i = 0; i < n; i++) check(i);
  }
  return out;
}

export type SectionState = 'done' | 'partial' | 'empty';

export function sectionState(ctx: FormContext, s: FormSection): SectionState {
  const prefix = `${s.group}${s.repeat ? '[' : '.'}`;
  const fields = new Set(s.questions.map((q) => q.field));
  const any = Object.keys(ctx.answers).some((k) => {
    if (!k.startsWith(prefix)) return false;
    const field = s.repeat ? k.slice(k.indexOf('].') + 2) : k.slice(prefix.length);
    return fields.has(field);
  });
  if (missingIn(ctx, s).length > 0) return any ? 'partial' : 'empty';
  // nothing required is missing: done when something is answered, or nothing is asked of this section now
  const askedRequired = s.repeat ? s.repeat.min > 0 : askedQuestions(ctx, s).some((q) => q.required);
  if (any || !askedRequired) return 'done';
  return any ? 'partial' : 'empty';
}

/**
 * The next position to ask in a section at or after `from`, skipping answered
 * questions and those the person skipped; undefined when the section is done.
 */
export function nextInSection(ctx: FormContext, s: FormSection, skipped: Set<string>, from?: Position): Position | undefined {
  if (!s.repeat) return firstOpen(ctx, s, undefined, skipped, from?.field);
  const startIndex = Math.max(0, from?.index ?? 0);
  const n = Math.max(itemCount(ctx.answers, s.group), s.repeat.min);
  // an optional group with nothing in it: ask whether there is anything to add at all
  if (n === 0) return skipped.has(`${s.group}[0]`) ? undefined : { sectionId: s.id, index: -1, field: MORE };
  for (let i = startIndex; i < n; i++) {
    if (i === startIndex && from?.field === MORE) continue;
    const p = firstOpen(ctx, s, i, skipped, i === startIndex ? from?.field : undefined);
    if (p) return p;
  }
  // every item complete: offer another, unless declined or full
  if (n < s.repeat.max && !skipped.has(`${s.group}[${n}]`)) return { sectionId: s.id, index: n - 1, field: MORE };
  return undefined;
}

function firstOpen(ctx: FormContext, s: FormSection, index: number | undefined, skipped: Set<string>, after?: string): Position | undefined {
  const qs = askedQuestions(ctx, s, index);
  let start = 0;
  if (after && after !== MORE) {
    const at = s.questions.findIndex((q) => q.field === after);
    start = qs.findIndex((q) => s.questions.indexOf(q) > at);
    if (start < 0) return undefined;
  }
  for (const q of qs.slice(start)) {
    const path = pathOf(s, q, index);
    if (ctx.answers[path] === undefined && !skipped.has(path)) return { sectionId: s.id, index, field: q.field };
  }
  return undefined;
}

export function findSection(sections: FormSection[], id: string): FormSection | undefined {
  return sections.find((s) => s.id === id);
}

/** Match what a person typed ("资金", "3", "评价人员") to sections. */
export function matchSections(sections: FormSection[], query: string): FormSection[] {
  const q = query.replace(/\s+/g, '');
  if (!q) return [];
  const n = Number(q);
  if (Number.isInteger(n) && n >= 1 && n <= sections.length) return [sections[n - 1]];
  const exact = sections.filter((s) => s.title === q || s.id === q);
  if (exact.length) return exact;
  const byTitle = sections.filter((s) => s.title.replace(/（.*?）/g, '').includes(q) || s.title.includes(q));
  if (byTitle.length) return byTitle;
  // "决策" assigns every indicator section under 决策
  return sections.filter((s) => s.level1 && s.title.includes(q));
}
