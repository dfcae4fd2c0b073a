// What is filled and what is missing, section by section: the progress card, the
// leaders' summary and the reminders all read it. Pure.
import { type Answers, itemCount } from './answers';
import { type Funds, computeFunds } from './funds';
import { type FormQuestion, type FormSection, isAsked, pathOf } from './questions';
import type { Template } from './template';

export interface FormContext {
  template: Template;
  sections: FormSection[];
  answers: Answers;
  funds: Funds;
  /** optional sections someone said have nothing to add */
  passed?: ReadonlySet<string>;
}

export function formContext(template: Template, sections: FormSection[], answers: Answers, passed?: Iterable<string>): FormContext {
  return { template, sections, answers, funds: computeFunds(template, answers), passed: passed ? new Set(passed) : undefined };
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
    const fault = weightSumFault(ctx, s);
    if (fault && n > 0 && !out.length) out.push({ path: `${s.group}[].weight`, label: fault });
  }
  return out;
}

/** The level-2 weight a department's own indicators share, for a custom indicator section. */
export function level2Weight(ctx: Pick<FormContext, 'template'>, s: FormSection): number | undefined {
  if (!s.level1 || !s.repeat) return undefined;
  const id = s.group.replace(/^ind\./, '');
  for (const l1 of ctx.template.indicators) for (const l2 of l1.children) if (l2.id === id && l2.custom) return l2.weight;
  return undefined;
}

/** Sum of the weights given to a custom indicator section's items, leaving out item `except`. */
export function weightSum(ctx: Pick<FormContext, 'answers'>, s: FormSection, except = -1): number {
  let sum = 0;
  for (const [p, v] of Object.entries(ctx.answers)) {
    const m = p.match(/^(.*)\[(\d+)\]\.weight$/);
    if (m && m[1] === s.group && Number(m[2]) !== except && typeof v === 'number') sum += v;
  }
  return sum;
}

/** "分值合计11分，应为10分" when a custom indicator section's weights do not add up. */
export function weightSumFault(ctx: FormContext, s: FormSection): string | undefined {
  const total = level2Weight(ctx, s);
  if (total === undefined || itemCount(ctx.answers, s.group) === 0) return undefined;
  const sum = weightSum(ctx, s);
  if (Math.abs(sum - total) < 1e-9) return undefined;
  return `各指标分值合计${+sum.toFixed(2)}分，应为${total}分`;
}

/** Whether everything a section's conditions depend on is known (so nothing asked means nothing applies). */
function conditionsSettled(ctx: FormContext, s: FormSection): boolean {
  return s.questions.every((q) => {
    const c = q.when;
    if (!c) return true;
    if ('rate' in c) return ctx.funds.rates[c.rate].value !== undefined;
    return c.answer.startsWith('.') || ctx.answers[c.answer] !== undefined;
  });
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
  // done only when something is answered, someone passed it, or nothing in it applies
  if (any || ctx.passed?.has(s.id)) return 'done';
  if (!s.repeat && askedQuestions(ctx, s).length === 0 && conditionsSettled(ctx, s)) return 'done';
  return 'empty';
}
