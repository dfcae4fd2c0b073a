// What a finance reviewer would send back. Warnings never block the report; each has
// a stable code (for tests, filters and the bot's cards) and a Chinese message that
// says what is wrong and where.
import { type Answers, str } from './answers';
import { decimalToScaled, formatWan, formatScore } from './decimal';
import { type Funds, type Rate, formatRate } from './funds';
import { type Level2Score, type Scores, type ScoredIndicator } from './scoring';
import type { Template } from './template';
import { textAnswers, findRateStatements, findFigureConflicts } from './statements';

export interface Warning {
  code: WarningCode;
  message: string;
  where?: string; // an answer path or indicator id
}

export type WarningCode =
  | 'LEVEL_WEIGHT_MISMATCH'
  | 'LEVEL2_WEIGHT_MISMATCH'
  | 'TOTAL_WEIGHT_NOT_100'
  | 'OUTPUT_OUTCOME_UNDER_MIN'
  | 'SOURCES_NOT_MATCHING_TOTAL'
  | 'BREAKDOWN_NOT_MATCHING_BUDGET'
  | 'SPENT_OVER_ARRIVED'
  | 'ARRIVED_OVER_BUDGET'
  | 'EXECUTION_UNEXPLAINED'
  | 'LOST_POINTS_NO_REASON'
  | 'SELF_SCORE_DIFFERS'
  | 'SCORE_OUT_OF_BAND'
  | 'SCORE_OVER_WEIGHT'
  | 'SCORE_MISSING'
  | 'TARGET_FAR_EXCEEDED'
  | 'RATE_CONFLICT'
  | 'FIGURE_CONFLICT';

const pts = (h: number) => `${formatScore(h)}分`;
const amountNames = { budget: '年初预算数', arrived: '实际到位数', spent: '实际支出数' } as const;

function weightChecks(template: Template, scores: Scores): Warning[] {
  const out: Warning[] = [];
  for (const l of scores.levels) {
    if (l.statedWeight !== undefined && l.statedWeight !== l.weight)
      out.push({
        code: 'LEVEL_WEIGHT_MISMATCH',
        where: `weights.${l.id}`,
        message: `一级指标“${l.name}”写的分值是${pts(l.statedWeight)}，但其下二级指标合计${pts(l.weight)}。${describeLevels(scores)}`,
      });
  }
  for (const l2 of scores.level2) {
    if (l2.indicators.length && l2.itemsWeight !== l2.weight)
      out.push({
        code: 'LEVEL2_WEIGHT_MISMATCH',
        where: `ind.${l2.id}`,
        message: `二级指标“${l2.name}”分值${pts(l2.weight)}，其下三级指标分值合计${pts(l2.itemsWeight)}，两者应相等。`,
      });
  }
  if (scores.totalWeight !== 10_000)
    out.push({ code: 'TOTAL_WEIGHT_NOT_100', message: `指标分值合计${pts(scores.totalWeight)}，应为100分。` });
  const outputIds = template.checks.outputLevels;
  const outputs = scores.levels.filter((l) => outputIds.includes(l.id));
  const sum = outputs.reduce((s, l) => s + l.weight, 0);
  const min = Math.round(template.checks.outputPlusOutcomeMin * 100);
  if (outputs.length && sum < min)
    out.push({
      code: 'OUTPUT_OUTCOME_UNDER_MIN',
      message: `${outputs.map((l) => l.name).join('+')}分值合计${pts(sum)}，不足${pts(min)}。`,
    });
  return out;
}

function describeLevels(scores: Scores): string {
  return `各一级指标实际分值：${scores.levels.map((l) => `${l.name}${pts(l.weight)}`).join('、')}。`;
}

function fundsChecks(template: Template, answers: Answers, funds: Funds): Warning[] {
  const out: Warning[] = [];
  const anySource = funds.sources.some((s) => s.present);
  if (anySource)
    for (const k of ['budget', 'arrived', 'spent'] as const)
      if (funds.sourceTotal[k] !== funds.total[k])
        out.push({
          code: 'SOURCES_NOT_MATCHING_TOTAL',
          where: 'sources',
          message: `各资金来源的${amountNames[k]}合计${formatWan(funds.sourceTotal[k])}万元，与支出明细合计${formatWan(funds.total[k])}万元不符。`,
        });
  if (funds.breakdown.length && funds.breakdownTotal !== funds.total.budget)
    out.push({
      code: 'BREAKDOWN_NOT_MATCHING_BUDGET',
      where: 'breakdown',
      message: `预算构成合计${formatWan(funds.breakdownTotal)}万元，与年初预算数${formatWan(funds.total.budget)}万元不符。`,
    });
  const rows = [
    ...funds.lines.map((l, i) => ({ label: `支出明细“${l.name || i + 1}”`, a: l, where: `lineItems[${i}]` })),
    ...funds.sources.filter((s) => s.present).map((s) => ({ label: s.label, a: s, where: 'sources' })),
  ];
  if (funds.lines.length > 1) rows.push({ label: '合计', a: { ...funds.total, name: '合计', complete: true }, where: 'lineItems' });
  for (const r of rows) {
    if (r.a.spent > r.a.arrived)
      out.push({
        code: 'SPENT_OVER_ARRIVED',
        where: r.where,
        message: `${r.label}的实际支出数${formatWan(r.a.spent)}万元大于实际到位数${formatWan(r.a.arrived)}万元。`,
      });
    if (r.a.arrived > r.a.budget)
      out.push({
        code: 'ARRIVED_OVER_BUDGET',
        where: r.where,
        message: `${r.label}的实际到位数${formatWan(r.a.arrived)}万元大于年初预算数${formatWan(r.a.budget)}万元。`,
      });
  }
  const exec = funds.rates.executionRate;
  const limit = Math.round(template.checks.explainExecutionBelow * 100);
  if (exec.value !== undefined && exec.value < limit && !str(answers['funds.executionNote']))
    out.push({
      code: 'EXECUTION_UNEXPLAINED',
      where: 'funds.executionNote',
      message: `预算执行率${formatRate(exec)}（${exec.definition}）低于${limit / 100}%，但没有说明原因。`,
    });
  return out;
}

function indicatorChecks(scores: Scores): Warning[] {
  const out: Warning[] = [];
  const place = (i: ScoredIndicator) => `${i.level1.name}/${i.level2.name}/${i.name}`;
  for (const i of scores.indicators) {
    if (!i.scored)
      out.push({ code: 'SCORE_MISSING', where: i.answerPrefix, message: `“${place(i)}”还没有得分，按0分计。` });
    if (i.selfScore !== undefined && i.selfScore > i.weight)
      out.push({
        code: 'SCORE_OVER_WEIGHT',
        where: `${i.answerPrefix}.score`,
        message: `“${place(i)}”自评${pts(i.selfScore)}，超过了分值${pts(i.weight)}。`,
      });
    if (i.scored && i.lost > 0 && !i.reason)
      out.push({
        code: 'LOST_POINTS_NO_REASON',
        where: `${i.answerPrefix}.reason`,
        message: `“${place(i)}”扣了${pts(i.lost)}，但没有写扣分原因。`,
      });
    if (i.rule === 'qualitative' && i.selfScore !== undefined && i.band) {
      const [lo, hi] = i.band;
      if (i.selfScore < lo || i.selfScore > hi)
        out.push({
          code: 'SCORE_OUT_OF_BAND',
          where: `${i.answerPrefix}.score`,
          message: `“${place(i)}”评为${i.achievement}，得分应在${pts(lo)}到${pts(hi)}之间，自评却是${pts(i.selfScore)}。`,
        });
    } else if (i.selfScore !== undefined && i.ruleScore !== undefined && i.selfScore !== i.ruleScore)
      out.push({
        code: 'SELF_SCORE_DIFFERS',
        where: `${i.answerPrefix}.score`,
        message: `“${place(i)}”自评${pts(i.selfScore)}，按评分规则应得${pts(i.ruleScore)}（${i.basis}）。`,
      });
    if (
      i.rule === 'target' &&
      i.direction === '正向' &&
      i.target &&
      i.actual !== undefined &&
      // actual ≥ 130% of target, exactly (as floats, 12 × 1.3 is 15.600000000000001)
      decimalToScaled(i.actual, 6) * 10n >= decimalToScaled(i.target, 6) * 13n
    )
      out.push({
        code: 'TARGET_FAR_EXCEEDED',
        where: i.answerPrefix,
        message: `“${place(i)}”实际值${i.actual}远超目标值${i.target}（达130%以上），需作偏差说明：目标可能定得偏低。`,
      });
  }
  return out;
}

function statementChecks(template: Template, answers: Answers, funds: Funds, scores: Scores): Warning[] {
  const texts = textAnswers(template, answers);
  const out: Warning[] = [];
  const rateFindings = findRateStatements(texts, scores.indicators, funds.rates);
  if (rateFindings.length) {
    const exec: Rate = funds.rates.executionRate;
    const listed = rateFindings.map((f) => `${f.where}写的“${f.label}${f.value}%”${f.explanation}`).join('；');
    out.push({
      code: 'RATE_CONFLICT',
      where: rateFindings[0].path,
      message: `执行率出现了不同的数：评价表按${exec.definition}算得${exec.name}${formatRate(exec)}；${listed}。请统一口径，并写明每个比率的分子和分母。`,
    });
  }
  for (const f of findFigureConflicts(texts, scores.indicators))
    out.push({
      code: 'FIGURE_CONFLICT',
      where: f.path,
      message: `同一个数前后不一致：指标“${f.indicator}”填的是${f.indicatorValue}%，而“${f.where}”写的是“${f.term}${f.textValue}%”。`,
    });
  return out;
}

export function check(template: Template, answers: Answers, funds: Funds, scores: Scores): Warning[] {
  return [
    ...weightChecks(template, scores),
    ...fundsChecks(template, answers, funds),
    ...indicatorChecks(scores),
    ...statementChecks(template, answers, funds, scores),
  ];
}

export type { Level2Score };
