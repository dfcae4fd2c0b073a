// Scores every indicator by its template rule, keeps the self-score beside the
// rule's score, and adds levels up to the total and the grade. All in hundredths.
import { type Answers, items, num, str } from './answers';
import { decimalToScaled, divRoundHalfUp, toHundredths } from './decimal';
import type { Funds } from './funds';
import { type Measure, directionOf, readMeasure } from './measure';
import type { IndicatorRules, Level1, Level2, Level3, Template } from './template';

export const achievements = ['达成', '部分达成', '未达成'] as const;
export const directions = ['正向', '反向', '等于', '定性'] as const;
export type Direction = (typeof directions)[number];

export interface ScoredIndicator {
  /** fixed: the level-3 id; department-defined: `<level2 id>[<i>]` */
  id: string;
  answerPrefix: string; // `ind.<id>`
  level1: { id: string; name: string };
  level2: { id: string; name: string; category: string };
  name: string;
  custom: boolean;
  rule: 'ratio' | 'qualitative' | 'direct' | 'target';
  weight: number; // hundredths
  ruleScore?: number; // what the rule gives, when it can say
  selfScore?: number; // what the evaluator entered
  score: number; // what counts: the self-score, else the rule's score, else 0
  scored: boolean; // false when neither exists
  lost: number;
  reason?: string;
  basis?: string; // how the rule's score was reached, in words
  achievement?: string;
  band?: [number, number]; // qualitative: allowed score range
  direction?: Direction;
  target?: number;
  actual?: number;
  unit?: string;
  /** as written on a form that writes values ("≥95%", "按时限完成") */
  targetText?: string;
  actualText?: string;
  /** actual / target in hundredths of a percent, for 正向 with numbers */
  attainment?: number;
  /** actual at or above the template's over-achievement threshold of the target */
  overAchieved?: boolean;
}

export interface LevelScore {
  id: string;
  name: string;
  weight: number; // as the template sets it (hundredths); level 1: the sum of its level-2 weights
  statedWeight?: number; // what the form states, when answered (weights.<id>)
  /** a 一级 whose weight the template fixes: what its rows add up to; should equal weight */
  itemsWeight?: number;
  score: number;
}

export interface Level2Score extends LevelScore {
  level1Id: string;
  itemsWeight: number; // sum of the weights of the indicators under it; should equal weight
  category: string;
  indicators: ScoredIndicator[];
}

export interface Scores {
  indicators: ScoredIndicator[];
  level2: Level2Score[];
  levels: LevelScore[];
  total: number;
  totalWeight: number;
  grade: string;
}

const pct = (weight: number, percent: number): number => Number(divRoundHalfUp(BigInt(weight) * BigInt(Math.round(percent * 100)), 10_000n));

function qualitative(weight: number, achievement: string | undefined, rules: IndicatorRules) {
  const band = rules.qualitative.find((b) => b.achievement === achievement);
  if (!band) return {};
  return {
    band: [pct(weight, band.min), pct(weight, band.max)] as [number, number],
    ruleScore: pct(weight, band.default),
    basis: `${band.achievement}（${band.min}%–${band.max}%档）`,
  };
}

/** How a 反向 (lower is better) indicator is scored; the template says which reading its form uses. */
export type ReverseReading = 'linear' | 'ratio';

/**
 * Score of a target indicator by direction, as scoring.md and national-form.md state it.
 * 正向: met → full, else actual/target × weight. 反向 'linear' (reading B, the default):
 * met → full, (1 − (actual − target)/target) × weight, 0 from twice the target; 'ratio'
 * (reading A): target/actual × weight. 等于: met → full, else the deviation either way
 * counts, (1 − |actual − target|/target) × weight; target 0: only 0 is met.
 * Exact with scaled integers.
 */
export function targetScore(direction: Direction, target: number, actual: number, weight: number, reverse: ReverseReading = 'linear'): number {
  const t = decimalToScaled(target, 6);
  const a = decimalToScaled(actual, 6);
  const w = BigInt(weight);
  if (direction === '反向') {
    if (a <= t) return weight;
    if (reverse === 'ratio') return t <= 0n ? 0 : Number(divRoundHalfUp(t * w, a));
    if (t <= 0n || a >= 2n * t) return 0;
    return Number(divRoundHalfUp((2n * t - a) * w, t));
  }
  if (direction === '等于') {
    if (a === t) return weight;
    if (t <= 0n) return 0;
    const off = a > t ? a - t : t - a;
    return off >= t ? 0 : Number(divRoundHalfUp((t - off) * w, t));
  }
  if (a >= t) return weight;
  if (t <= 0n) return weight;
  if (a <= 0n) return 0;
  return Number(divRoundHalfUp(a * w, t));
}

function ratioScore(l3: Level3, funds: Funds, weight: number) {
  if (l3.rule.kind !== 'ratio') return {};
  const rate = funds.rates[l3.rule.rate];
  if (!rate) return {};
  if (rate.value === undefined) return { basis: `${rate.name}无法计算（${rate.definition}的分母为0或未填）` };
  if (l3.rule.mode === 'banded' && l3.rule.bands?.length) {
    const band = [...l3.rule.bands].sort((x, y) => y.min - x.min).find((b) => rate.value! >= toHundredths(b.min));
    const points = Math.min(weight, band ? toHundredths(band.points) : 0);
    return { ruleScore: points, basis: `${rate.name}${rate.value / 100}%，按档位得${points / 100}分` };
  }
  const capped = Math.min(rate.value, 10_000);
  const ruleScore = Number(divRoundHalfUp(BigInt(capped) * BigInt(weight), 10_000n));
  return {
    ruleScore,
    basis: `${rate.name}${(rate.value / 100).toFixed(2)}%×${weight / 100}分=${(ruleScore / 100).toFixed(2)}分`,
  };
}

function fixedIndicator(l1: Level1, l2: Level2, l3: Level3, answers: Answers, funds: Funds, rules: IndicatorRules): ScoredIndicator {
  const prefix = `ind.${l3.id}`;
  const weight = toHundredths(l3.weight);
  const self = num(answers[`${prefix}.score`]);
  const achievement = str(answers[`${prefix}.achievement`]);
  let extra: Partial<ScoredIndicator> = {};
  if (l3.rule.kind === 'ratio') extra = ratioScore(l3, funds, weight);
  if (l3.rule.kind === 'qualitative') extra = { achievement, ...qualitative(weight, achievement, rules) };
  return finish({
    id: l3.id,
    answerPrefix: prefix,
    level1: { id: l1.id, name: l1.name },
    level2: { id: l2.id, name: l2.name, category: l2.category },
    name: l3.name,
    custom: false,
    rule: l3.rule.kind,
    weight,
    selfScore: self === undefined ? undefined : toHundredths(self),
    reason: str(answers[`${prefix}.reason`]) ?? (l3.reasonFrom ? str(answers[l3.reasonFrom]) : undefined),
    ...extra,
  });
}

/** Target, actual and direction of a department-defined row, from numbers or from written values. */
function valuesOf(it: Record<string, unknown>, rules: IndicatorRules) {
  if (rules.values === 'written') {
    const t: Measure | undefined = readMeasure(it.target as string);
    const a: Measure | undefined = readMeasure(it.actual as string);
    return {
      direction: directionOf(t) ?? '正向',
      target: t?.value,
      actual: a?.value,
      unit: t?.unit ?? a?.unit,
      targetText: t?.text,
      actualText: a?.text,
    };
  }
  const direction = (directions as readonly string[]).includes(String(it.direction)) ? (it.direction as Direction) : '正向';
  return { direction, target: num(it.target as never), actual: num(it.actual as never), unit: str(it.unit as never) };
}

function customIndicators(l1: Level1, l2: Level2, answers: Answers, rules: IndicatorRules, shares?: number[]): ScoredIndicator[] {
  return items(answers, `ind.${l2.id}`).map((it, i) => {
    const weight = shares?.[i] ?? toHundredths(num(it.weight) ?? 0);
    const v = valuesOf(it, rules);
    const { direction, target, actual } = v;
    const self = num(it.score);
    const achievement = str(it.achievement);
    let extra: Partial<ScoredIndicator> = {};
    if (direction === '定性') extra = { achievement, ...qualitative(weight, achievement, rules) };
    else if (target !== undefined && actual !== undefined) {
      const ruleScore = targetScore(direction, target, actual, weight, rules.reverse);
      const t = decimalToScaled(target, 6);
      const a = decimalToScaled(actual, 6);
      extra = {
        ruleScore,
        basis: `${direction}指标，目标${v.targetText ?? target}，实际${v.actualText ?? actual}，得${ruleScore / 100}分`,
        attainment: t > 0n ? Number(divRoundHalfUp(a * 10_000n, t)) : undefined,
        // only where more is better: far over a 正向 target means the target was set too low
        overAchieved: direction === '正向' && t > 0n && a * 100n >= t * BigInt(Math.round(rules.overThreshold)),
      };
    }
    return finish({
      id: `${l2.id}[${i}]`,
      answerPrefix: `ind.${l2.id}[${i}]`,
      level1: { id: l1.id, name: l1.name },
      level2: { id: l2.id, name: l2.name, category: l2.category },
      name: str(it.name) ?? `（未命名指标${i + 1}）`,
      custom: true,
      rule: direction === '定性' ? 'qualitative' : 'target',
      weight,
      selfScore: self === undefined ? undefined : toHundredths(self),
      reason: str(it.reason),
      ...v,
      ...extra,
    });
  });
}

/** Rows of a 一级 that the form weighs only as a whole share its weight equally; the last takes the rounding. */
function equalShares(weight: number, count: number): number[] {
  if (!count) return [];
  const each = Math.floor(weight / count);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? weight - each * (count - 1) : each));
}

function finish(i: Omit<ScoredIndicator, 'score' | 'scored' | 'lost'>): ScoredIndicator {
  const used = i.selfScore ?? i.ruleScore;
  const score = used ?? 0;
  return { ...i, score, scored: used !== undefined, lost: Math.max(0, i.weight - score) };
}

export function gradeOf(template: Template, total: number): string {
  const band = template.grades.find((g) => total >= toHundredths(g.min));
  return band ? band.grade : template.grades[template.grades.length - 1].grade;
}

export function score(template: Template, answers: Answers, funds: Funds): Scores {
  const indicators: ScoredIndicator[] = [];
  const level2: Level2Score[] = [];
  const levels: LevelScore[] = [];
  const rules = template.indicatorRules;
  for (const l1 of template.indicators) {
    let l1Weight = 0;
    let l1Score = 0;
    // a 一级 weighed only as a whole: its department-defined rows share its weight
    const shares =
      l1.rowWeights || l1.weight === undefined
        ? undefined
        : equalShares(toHundredths(l1.weight), l1.children.reduce((n, l2) => n + (l2.custom ? items(answers, `ind.${l2.id}`).length : 0), 0));
    let shareAt = 0;
    for (const l2 of l1.children) {
      const count = l2.custom && shares ? items(answers, `ind.${l2.id}`).length : 0;
      const list = l2.custom
        ? customIndicators(l1, l2, answers, rules, shares?.slice(shareAt, shareAt + count))
        : (l2.children ?? []).map((l3) => fixedIndicator(l1, l2, l3, answers, funds, rules));
      shareAt += count;
      indicators.push(...list);
      const weight = list.reduce((s, x) => s + x.weight, 0);
      const sc = list.reduce((s, x) => s + x.score, 0);
      // a 二级 the department splits (no fixed weight) weighs what its rows weigh
      const l2Weight = l2.weight === undefined ? weight : toHundredths(l2.weight);
      level2.push({
        id: l2.id,
        name: l2.name,
        level1Id: l1.id,
        category: l2.category,
        weight: l2Weight,
        itemsWeight: weight,
        score: sc,
        indicators: list,
      });
      l1Weight += l2Weight;
      l1Score += sc;
    }
    if (l1.weight !== undefined) l1Weight = toHundredths(l1.weight);
    const stated = num(answers[`weights.${l1.id}`]);
    const rows = level2.filter((x) => x.level1Id === l1.id);
    levels.push({
      id: l1.id,
      name: l1.name,
      weight: l1Weight,
      // a 一级 the department splits (weights fixed only here), once its rows are there
      ...(l1.weight !== undefined && l1.children.some((c) => c.weight === undefined) && rows.some((r) => r.indicators.length)
        ? { itemsWeight: rows.reduce((n, r) => n + r.itemsWeight, 0) }
        : {}),
      statedWeight: stated === undefined ? undefined : toHundredths(stated),
      score: l1Score,
    });
  }
  const total = levels.reduce((s, l) => s + l.score, 0);
  return {
    indicators,
    level2,
    levels,
    total,
    totalWeight: levels.reduce((s, l) => s + l.weight, 0),
    grade: gradeOf(template, total),
  };
}
