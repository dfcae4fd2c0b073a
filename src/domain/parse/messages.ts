// Refusal messages. Every refusal says what was wrong and shows a good answer:
// the question's own example when the template gives one, else a default.
import type { QuestionKind } from '../template';
import type { ParseContext } from './types';

export const DEFAULT_EXAMPLES: Record<QuestionKind, string> = {
  text: '项目已按计划完成',
  longText: '项目已按计划完成，资金按进度拨付到位。',
  money: '273.45 或 273.45万元',
  percent: '75.15%',
  date: '2025-05-31 或 2025年5月31日',
  choice: '1',
  count: '12',
  number: '95 或 95.5',
  score: '4.5',
  phone: '13812345678 或 0871-63123456',
  year: '2025',
  yuan: '2734500 或 2,734,500元',
  value: '≥95%、≤5次、12项 或 按时限完成',
};

export type Refusal = { ok: false; message: string; ambiguous?: boolean };

export function exampleFor(kind: QuestionKind, ctx: ParseContext | undefined): string {
  const own = typeof ctx?.example === 'string' ? ctx.example.trim() : '';
  return own || DEFAULT_EXAMPLES[kind];
}

/** `lead` says what was wrong (and what to do); the example is appended. */
export function refuse(kind: QuestionKind, ctx: ParseContext | undefined, lead: string): Refusal {
  return { ok: false, message: `${lead}，例如：${exampleFor(kind, ctx)}` };
}

export function refuseEmpty(kind: QuestionKind, ctx: ParseContext | undefined): Refusal {
  const which = ctx?.label ? `“${ctx.label}”` : '这一题';
  return refuse(kind, ctx, `${which}还没有回答，请直接回复答案`);
}

/** Words that make a figure an estimate; the form needs the exact figure. */
export const ESTIMATE = /约|大概|大致|左右|差不多|将近|接近|上下|估计|多|余|几|若干|以上|以下|不到|超过/u;

export function refuseEstimate(kind: QuestionKind, ctx: ParseContext | undefined): Refusal {
  return refuse(kind, ctx, '请填写准确的数字，不要写“约”“左右”“多”这类估计的说法');
}

/** Numeric answers are short; anything longer is not a number (and keeps work bounded). */
export const MAX_NUMERIC_LENGTH = 60;
