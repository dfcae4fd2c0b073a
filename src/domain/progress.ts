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

