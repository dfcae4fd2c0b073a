// Where a person is in the form and what comes next. Pure: answers and the
// template in, positions out. What is filled and missing is the domain's (progress.ts).
import { itemCount } from '../domain/answers';
import { type FormContext, askedQuestions } from '../domain/progress';
import { type FormSection, pathOf } from '../domain/questions';

/** A place in the form: a question, or the "add another item?" step of a repeated section. */
export interface Position {
  sectionId: string;
  index?: number;
  field: string; // a question's field, or MORE
}
export const MORE = '__more';

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
