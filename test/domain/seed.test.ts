// The reference case (shared/seed/CASE.md) through the real template and example:
// the product must reproduce the form's own numbers and flag what a reviewer flags.
import { describe, expect, it } from 'vitest';
import { withoutSelfScores } from '../../src/cli/score';
import { gradeOf } from '../../src/domain/scoring';
import { exampleFile, indicator, level, run, seedTemplate } from './fixtures';

const template = seedTemplate();
const seed = run(exampleFile().answers);

describe('seed case with the self-scores as entered', () => {
  it('totals 97 and grades 优 (the form: 97/100, 评价等次 优)', () => {
    expect(seed.scores.total).toBe(9700);
    expect(seed.scores.grade).toBe('优');
    expect(seed.scores.totalWeight).toBe(10_000);
  });

  it('gives the level totals 决策25/25 过程14/15 产出30/30 效益28/30', () => {
    const byName = Object.fromEntries(seed.scores.levels.map((l) => [l.name, [l.score, l.weight]]));
    expect(byName).toEqual({
      决策: [2500, 2500],
      过程: [1400, 1500],
      产出: [3000, 3000],
      效益: [2800, 3000],
    });
  });

  it('computes the three rates from the funds table, in hundredths of a percent', () => {
    // 172.91/273.45 = 0.63232…, 129.94/172.91 = 0.75149…, 129.94/273.45 = 0.47518…
    expect(seed.funds.rates.arrivalRate.value).toBe(6323);
    expect(seed.funds.rates.executionRate.value).toBe(7515);
    expect(seed.funds.rates.spendRate.value).toBe(4752);
    expect(seed.funds.total).toEqual({ budget: 273_450_000n, arrived: 172_910_000n, spent: 129_940_000n });
    // the report's breakdown adds up to the budget exactly
    expect(seed.funds.breakdownTotal).toBe(273_450_000n);
  });

  it('keeps the self-score and the rule score side by side', () => {
    const arrival = indicator(seed, 'arrivalRate');
    expect(arrival.selfScore).toBe(300);
    expect(arrival.score).toBe(300);
    expect(arrival.ruleScore).toBe(190); // 63.23% × 3 = 1.8969 → 1.90
    const exec = indicator(seed, 'executionRate');
    expect(exec.score).toBe(100);
    expect(exec.ruleScore).toBe(150); // 75.15% × 2 = 1.503 → 1.50
  });

  it('flags 决策 40 and 产出 60 as stated weights that do not match 25 and 30', () => {
    const w = seed.warnings.filter((x) => x.code === 'LEVEL_WEIGHT_MISMATCH');
    expect(w).toHaveLength(2);
    const decision = w.find((x) => x.where === 'weights.decision');
    const output = w.find((x) => x.where === 'weights.output');
    expect(decision?.message).toMatch(/决策.*40分.*25分/);
    expect(output?.message).toMatch(/产出.*60分.*30分/);
  });

  it('flags the conflicting execution rates, naming 95.92 and 47.52', () => {
    const w = seed.warnings.filter((x) => x.code === 'RATE_CONFLICT');
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain('95.92');
    expect(w[0].message).toContain('47.52');
    // and says what the form's rate divides
    expect(w[0].message).toContain('75.15%');
    expect(w[0].message).toContain('实际支出数/实际到位数');
  });

  it('flags the self-scores of 资金到位率 (rule 1.90) and 预算执行率 (rule 1.50)', () => {
    const w = seed.warnings.filter((x) => x.code === 'SELF_SCORE_DIFFERS');
    expect(w.map((x) => x.where).sort()).toEqual(['ind.arrivalRate.score', 'ind.executionRate.score']);
    const arrival = w.find((x) => x.where === 'ind.arrivalRate.score')!;
    const exec = w.find((x) => x.where === 'ind.executionRate.score')!;
    expect(arrival.message).toContain('资金到位率');
    expect(arrival.message).toContain('1.90');
    expect(exec.message).toContain('预算执行率');
    expect(exec.message).toContain('1.50');
  });

  it('flags 结案率 95 in the indicator against 结案率100% in the report', () => {
    const w = seed.warnings.filter((x) => x.code === 'FIGURE_CONFLICT');
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain('结案率');
    expect(w[0].message).toContain('95');
    expect(w[0].message).toContain('100');
  });

  it('flags exactly the reviewer findings of CASE.md and nothing else', () => {
    expect(seed.warnings.map((w) => w.code).sort()).toEqual(
      [
        'FIGURE_CONFLICT',
        'LEVEL_WEIGHT_MISMATCH',
        'LEVEL_WEIGHT_MISMATCH',
        'RATE_CONFLICT',
        'SELF_SCORE_DIFFERS',
        'SELF_SCORE_DIFFERS',
      ].sort(),
    );
  });

  it('lists 预算执行率未达到100% under 资金管理存在的问题, for the implementing unit', () => {
    const p = seed.problems.find((x) => x.categoryLabel === '资金管理存在的问题');
    expect(p).toBeDefined();
    expect(p!.description).toContain('预算执行率未达到100%');
    expect(p!.unit).toBe('五华区红云街道办事处');
    expect(p!.source).toBe('scores');
    // every derived problem is an indicator that lost points, and every such indicator is listed
    const lost = seed.scores.indicators.filter((i) => i.lost > 0).map((i) => i.id).sort();
    expect(seed.problems.filter((x) => x.source === 'scores').map((x) => x.indicatorId).sort()).toEqual(lost);
    // 资金到位率 was self-scored 3/3: no lost points, so not a problem, even though its rule gives less
    expect(lost).not.toContain('arrivalRate');
  });
});

describe('seed case with the self-scores removed (rules only)', () => {
  const file = withoutSelfScores(exampleFile());
  const r = run(file.answers);

  it('drops only indicator scores', () => {
    const dropped = Object.keys(exampleFile().answers).filter((k) => !(k in file.answers));
    expect(dropped.length).toBeGreaterThan(0);
    for (const k of dropped) expect(k).toMatch(/^ind\..*\.score$/);
  });

  it('scores 资金到位率 1.90 and 预算执行率 1.50 by the proportional rule', () => {
    expect(indicator(r, 'arrivalRate').score).toBe(190);
    expect(indicator(r, 'executionRate').score).toBe(150);
    expect(indicator(r, 'arrivalRate').selfScore).toBeUndefined();
  });

  it('gives 过程 13.40: 1.90 + 1.50 + 5 + 3 + 2', () => {
    expect(level(r, '过程').score).toBe(1340);
  });

  it('leaves the direct-rule 满意度 unscored and says so', () => {
    const s = indicator(r, 'publicSatisfaction');
    expect(s.rule).toBe('direct');
    expect(s.scored).toBe(false);
    expect(s.score).toBe(0);
    expect(r.warnings.filter((w) => w.code === 'SCORE_MISSING').map((w) => w.where)).toEqual(['ind.publicSatisfaction']);
    // an unscored indicator is missing, not a lost point
    expect(r.problems.some((p) => p.indicatorId === 'publicSatisfaction')).toBe(false);
  });

  it('keeps the total and grade consistent with the level sums', () => {
    const sum = r.scores.levels.reduce((s, l) => s + l.score, 0);
    expect(r.scores.total).toBe(sum);
    expect(r.scores.grade).toBe(gradeOf(template, sum));
    // 决策 25 (all 达成) + 过程 13.40 + 产出 30 (all targets met) + 效益 20 (4×5 达成, 满意度 unscored)
    expect(level(r, '决策').score).toBe(2500);
    expect(level(r, '产出').score).toBe(3000);
    expect(level(r, '效益').score).toBe(2000);
    expect(sum).toBe(8840);
    expect(r.scores.grade).toBe('良');
  });

  it('no longer reports SELF_SCORE_DIFFERS, since there is no self-score', () => {
    expect(r.warnings.some((w) => w.code === 'SELF_SCORE_DIFFERS')).toBe(false);
  });
});
