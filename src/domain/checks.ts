// What a finance reviewer would send back. Warnings never block the report; each has
// a stable code (for tests, filters and the bot's cards) and a Chinese message that
// says what is wrong and where.
import { type Answers, num, str } from './answers';
import { formatScore, toHundredths } from './decimal';
import { type Amounts, type Funds, type FundsColumn, type Rate, columnLabel, formatAmount, formatRate } from './funds';
import { readMeasure, repeatsTarget } from './measure';
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
  | 'FIGURE_CONFLICT'
  | 'LEVEL1_ROWS_WEIGHT_MISMATCH'
  | 'STATED_TOTAL_MISMATCH'
  | 'STATED_GRADE_MISMATCH'
  | 'GRADE_NOT_STATED'
  | 'DEVIATION_UNEXPLAINED'
  | 'ACTUAL_REPEATS_TARGET'
  | 'FUNDS_BLANK'
  | 'AMOUNT_UNIT_SUSPECT';

const pts = (h: number) => `${formatScore(h)}分`;

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
  for (const l of scores.levels) {
    if (l.itemsWeight !== undefined && l.itemsWeight !== l.weight)
      out.push({
        code: 'LEVEL1_ROWS_WEIGHT_MISMATCH',
        where: `ind`,
        message: `一级指标“${l.name}”分值${pts(l.weight)}，其下各三级指标分值合计${pts(l.itemsWeight)}，两者应相等。`,
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
  const { block } = funds;
  const money = (fen: bigint) => `${formatAmount(fen, block.unit)}${block.unit}`;
  const has = (c: FundsColumn) => block.columns.some((x) => x.id === c);
  const label = (c: FundsColumn) => columnLabel(block, c);
  const anySource = funds.sources.some((s) => s.present);
  if (anySource && block.itemsSection)
    for (const c of block.columns.map((x) => x.id))
      if (funds.sourceTotal[c] !== funds.total[c])
        out.push({
          code: 'SOURCES_NOT_MATCHING_TOTAL',
          where: block.sourcesSection,
          message: `各资金来源的${label(c)}合计${money(funds.sourceTotal[c] ?? 0n)}，与支出明细合计${money(funds.total[c] ?? 0n)}不符。`,
        });
  if (funds.breakdown.length && funds.breakdownTotal !== funds.total.budget)
    out.push({
      code: 'BREAKDOWN_NOT_MATCHING_BUDGET',
      where: 'breakdown',
      message: `预算构成合计${money(funds.breakdownTotal)}，与${label('budget')}${money(funds.total.budget)}不符。`,
    });
  const rows: { label: string; a: Amounts; where?: string }[] = [
    ...funds.lines.map((l, i) => ({ label: `支出明细“${l.name || i + 1}”`, a: l, where: `${block.itemsSection}[${i}]` })),
    ...funds.sources.filter((s) => s.present).map((s) => ({ label: s.label, a: s, where: block.sourcesSection })),
  ];
  if (funds.lines.length > 1) rows.push({ label: '合计', a: funds.total, where: block.itemsSection });
  for (const r of rows) {
    if (has('arrived') && r.a.spent > r.a.arrived)
      out.push({
        code: 'SPENT_OVER_ARRIVED',
        where: r.where,
        message: `${r.label}的${label('spent')}${money(r.a.spent)}大于${label('arrived')}${money(r.a.arrived)}。`,
      });
    if (has('arrived') && has('budget') && r.a.arrived > r.a.budget)
      out.push({
        code: 'ARRIVED_OVER_BUDGET',
        where: r.where,
        message: `${r.label}的${label('arrived')}${money(r.a.arrived)}大于${label('budget')}${money(r.a.budget)}。`,
      });
    const blank = block.columns.filter((c) => !c.optional && r.a.blank?.includes(c.id));
    if (r.label !== '合计' && blank.length)
      out.push({
        code: 'FUNDS_BLANK',
        where: r.where,
        message: `${r.label}的${blank.map((c) => c.label).join('、')}没有填：空着不等于0，请填写（确实为0请填0）。`,
      });
    for (const c of block.columns) {
      const v = r.a[c.id] ?? 0n;
      // 1 亿元 and up on a 万元 form, or under 1,000 元 on a 元 form, is usually the other unit
      const odd = block.unit === '万元' ? v >= 1_000_000_000_000n : v > 0n && v < 100_000n;
      if (odd && r.label !== '合计')
        out.push({
          code: 'AMOUNT_UNIT_SUSPECT',
          where: r.where,
          message: `${r.label}的${c.label}是${money(v)}，像是按${block.unit === '万元' ? '元' : '万元'}填的；这张表的金额单位是${block.unit}。`,
        });
    }
  }
  const exec = funds.rates.executionRate;
  const limit = Math.round(template.checks.explainExecutionBelow * 100);
  const notePath = template.checks.executionNote;
  if (exec?.value !== undefined && exec.value < limit && !str(answers[notePath]))
    out.push({
      code: 'EXECUTION_UNEXPLAINED',
      where: notePath,
      message: `${exec.name}${formatRate(exec)}（${exec.definition}）低于${limit / 100}%，但没有说明原因。`,
    });
  return out;
}

/** The 总分 and 等次 the form states, where the template prints them, against the computed ones. */
function statedChecks(template: Template, answers: Answers, scores: Scores): Warning[] {
  const out: Warning[] = [];
  const { statedTotal, statedGrade } = template.checks;
  const total = statedTotal ? num(answers[statedTotal]) : undefined;
  if (statedTotal && total !== undefined && toHundredths(total) !== scores.total)
    out.push({
      code: 'STATED_TOTAL_MISMATCH',
      where: statedTotal,
      message: `表上写的总分是${pts(toHundredths(total))}，各项得分合计却是${pts(scores.total)}。`,
    });
  if (statedGrade) {
    const grade = str(answers[statedGrade]);
    if (!grade) out.push({ code: 'GRADE_NOT_STATED', where: statedGrade, message: `表上没有写评价等次；按总分${pts(scores.total)}应为“${scores.grade}”。` });
    else if (grade !== scores.grade)
      out.push({
        code: 'STATED_GRADE_MISMATCH',
        where: statedGrade,
        message: `表上写的等次是“${grade}”，按总分${pts(scores.total)}应为“${scores.grade}”（${template.gradeLegend}）。`,
      });
  }
  return out;
}

function indicatorChecks(scores: Scores, overThreshold: number): Warning[] {
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
        message: `“${place(i)}”${selfScoreFault(i)}自评${pts(i.selfScore)}，按评分规则应得${pts(i.ruleScore)}（${i.basis}）。`,
      });
    const note = i.reason ? '' : '没有写偏差原因';
    if (i.overAchieved && !i.reason)
      out.push({
        code: 'TARGET_FAR_EXCEEDED',
        where: i.answerPrefix,
        message: `“${place(i)}”实际值${i.actualText ?? i.actual}远超目标值${i.targetText ?? i.target}（达${overThreshold}%以上），需作偏差说明：目标可能定得偏低。`,
      });
    // not fully met by its rule, yet no points lost (so LOST_POINTS_NO_REASON is silent) and no note
    if (i.custom && note && i.ruleScore !== undefined && i.ruleScore < i.weight && i.lost === 0)
      out.push({
        code: 'DEVIATION_UNEXPLAINED',
        where: `${i.answerPrefix}.reason`,
        message: `“${place(i)}”没有完全达到目标（目标${i.targetText ?? i.target}，实际${i.actualText ?? i.actual}），需要写偏差原因分析及改进措施。`,
      });
    if (i.targetText !== undefined && repeatsTarget(readMeasure(i.targetText), readMeasure(i.actualText)))
      out.push({
        code: 'ACTUAL_REPEATS_TARGET',
        where: `${i.answerPrefix}.actual`,
        message: `“${place(i)}”的实际完成值“${i.actualText}”只是照抄了目标“${i.targetText}”，请填写实际达到的数。`,
      });
  }
  return out;
}

/** What is wrong with a self-score, in words, where the rule says met or missed. */
function selfScoreFault(i: ScoredIndicator): string {
  if (i.rule !== 'target' || i.ruleScore === undefined || i.selfScore === undefined) return '';
  if (i.ruleScore === i.weight && i.selfScore < i.weight) return '已达到目标，却';
  if (i.ruleScore < i.weight && i.selfScore >= i.weight) return '未达到目标，却给了满分：';
  return '';
}

function statementChecks(template: Template, answers: Answers, funds: Funds, scores: Scores): Warning[] {
  const texts = textAnswers(template, answers);
  const out: Warning[] = [];
  const rateFindings = findRateStatements(texts, scores.indicators, funds.rates);
  if (rateFindings.length) {
    const exec: Rate | undefined = funds.rates.executionRate ?? Object.values(funds.rates)[0];
    const listed = rateFindings.map((f) => `${f.where}写的“${f.label}${f.value}%”${f.explanation}`).join('；');
    out.push({
      code: 'RATE_CONFLICT',
      where: rateFindings[0].path,
      message: `执行率出现了不同的数：${exec ? `评价表按${exec.definition}算得${exec.name}${formatRate(exec)}；` : ''}${listed}。请统一口径，并写明每个比率的分子和分母。`,
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
    ...indicatorChecks(scores, template.indicatorRules.overThreshold),
    ...statedChecks(template, answers, scores),
    ...statementChecks(template, answers, funds, scores),
  ];
}

export type { Level2Score };
