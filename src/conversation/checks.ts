// What can be checked the moment an answer arrives, beyond its format: a negative
// figure, money far out of line with the other amounts (a unit slip: 元 for 万元),
// a self-score outside its achievement band, custom indicator weights over their
// level-2 weight. `refuse` turns the answer down; `ask` asks back before storing.
import { type AnswerValue, num, str } from '../domain/answers';
import { formatMoney } from '../domain/parse';
import { type FormContext, level2Weight, weightSum } from '../domain/progress';
import type { FormQuestion, FormSection } from '../domain/questions';
import { formatScore } from '../domain/decimal';

export type Check = { refuse: string } | { ask: string } | undefined;

const numericKinds = new Set(['money', 'percent', 'count', 'number', 'score', 'year']);

export function checkValue(ctx: FormContext, section: FormSection, q: FormQuestion, index: number | undefined, value: AnswerValue, raw: string): Check {
  if (typeof value !== 'number' || !numericKinds.has(q.kind)) return undefined;
  if (value < 0) return { refuse: `「${q.label}」不能是负数。` };
  if (q.kind === 'money') return checkMoney(ctx, section, q, index, value, raw);
  if (section.level1 && section.repeat && q.field === 'weight') return checkWeight(ctx, section, index ?? 0, value);
  if (q.kind === 'score') return checkScore(ctx, section, q, index, value);
  return undefined;
}

function checkMoney(ctx: FormContext, section: FormSection, q: FormQuestion, index: number | undefined, value: number, raw: string): Check {
  const unitless = !/[元万亿]/.test(raw);
  const yen = /[¥￥]/.test(raw);
  const self = section.repeat ? `${section.group}[${index ?? 0}].${q.field}` : `${section.group}.${q.field}`;
  const others = Object.entries(ctx.answers)
    .filter(([p, v]) => p !== self && typeof v === 'number' && isMoney(ctx, p))
    .map(([, v]) => v as number);
  const largest = others.length ? Math.max(...others) : undefined;
  const keep = `确实是这个数，回复“是”记下；否则请重新回答。`;
  if (yen && unitless)
    return { ask: `“${raw.trim()}”带了 ¥ 符号，按万元理解是 ${formatMoney(value)} 万元。如果是按元写的，请写成“${raw.replace(/[¥￥\s]/g, '')}元”。${keep}` };
  if (unitless && value >= 100000)
    return { ask: `${formatMoney(value)} 万元（${formatMoney(value / 10000)} 亿元）太大了，金额按万元填写。如果是按元写的，请写成“${raw.trim()}元”。${keep}` };
  if (largest !== undefined && largest > 0 && value > largest * 10)
    return { ask: `${formatMoney(value)} 万元是其他金额（最大 ${formatMoney(largest)} 万元）的十倍以上，请检查单位。${keep}` };
  if (/元/.test(raw) && !/万/.test(raw) && largest !== undefined && value > 0 && value * 1000 < largest)
    return { ask: `“${raw.trim()}”只有 ${formatMoney(value)} 万元，比其他金额（最大 ${formatMoney(largest)} 万元）小得多。金额按万元填写，是不是想写“${raw.replace(/元/g, '').trim()}”？${keep}` };
  // the first amount has nothing to compare with: in 元 and under 1 万元 it is most likely 万元 with the wrong unit
  if (/元/.test(raw) && !/万/.test(raw) && largest === undefined && value > 0 && value < 1)
    return { ask: `“${raw.trim()}”只有 ${formatMoney(value)} 万元。金额按万元填写，是不是想写“${raw.replace(/元/g, '').trim()}”？${keep}` };
  return undefined;
}

function isMoney(ctx: FormContext, path: string): boolean {
  const m = path.match(/^(.*?)(?:\[\d+\])?\.([^.[\]]+)$/);
  if (!m) return false;
  const s = ctx.sections.find((x) => x.group === m[1]);
  return !!s?.questions.find((q) => q.field === m[2] && q.kind === 'money');
}

/** A department's own indicators share their level-2 weight: 4+3+4 under a 10-point 二级 is refused. */
function checkWeight(ctx: FormContext, section: FormSection, index: number, value: number): Check {
  const total = level2Weight(ctx, section);
  if (total === undefined) return undefined;
  const others = weightSum(ctx, section, index);
  if (others + value > total)
    return { refuse: `「${section.title}」各指标分值合计应为${formatScore(total * 100)}分，其他指标已有${formatScore(others * 100)}分，这一项最多${formatScore((total - others) * 100)}分。` };
  return undefined;
}

function checkScore(ctx: FormContext, section: FormSection, q: FormQuestion, index: number | undefined, value: number): Check {
  // the item's own weight (custom indicators) or the question's max (fixed indicators)
  const prefix = section.repeat ? `${section.group}[${index ?? 0}].` : `${section.group}.${q.field.replace(/\.score$/, '')}.`;
  const weight = section.repeat ? num(ctx.answers[`${prefix}weight`]) : q.max;
  if (weight === undefined) return undefined;
  if (value > weight) return { refuse: `自评得分不能超过分值${formatScore(Math.round(weight * 100))}分。` };
  const achievement = str(ctx.answers[`${prefix}achievement`]);
  const band = ctx.template.indicatorRules.qualitative.find((b) => b.achievement === achievement);
  if (!band) return undefined;
  const lo = (weight * band.min) / 100;
  const hi = (weight * band.max) / 100;
  if (value < lo - 1e-9 || value > hi + 1e-9)
    return {
      refuse: `达成情况是“${achievement}”，得分应在${band.min}%–${band.max}%之间，即${formatScore(Math.round(lo * 100))}–${formatScore(Math.round(hi * 100))}分。请按档位给分，或先修改达成情况。`,
    };
  return undefined;
}
