// Scoring rules as scoring.md states them, exact arithmetic, and grade bands as the form prints them.
import { describe, expect, it } from 'vitest';
import { decimalToScaled, divRoundHalfUp, formatWan, toHundredths } from '../../src/domain/decimal';
import { percentOf } from '../../src/domain/funds';
import { gradeOf, targetScore } from '../../src/domain/scoring';
import { answersWith, codes, indicator, run, seedAnswers, seedTemplate, templateWith } from './fixtures';

const template = seedTemplate();
const h = (x: number) => toHundredths(x);

describe('grades: 100–90（含）优, 90–80（含）良, 80–60（含）中, below 60 差', () => {
  it.each([
    [100, '优'],
    [90, '优'],
    [89.99, '良'],
    [80, '良'],
    [79.99, '中'],
    [60, '中'],
    [59.99, '差'],
    [0, '差'],
  ])('%s → %s', (total, grade) => {
    expect(gradeOf(template, h(total))).toBe(grade);
  });

  it('uses the bands of the template, not fixed ones', () => {
    const t = templateWith((j) => {
      j.grades = [
        { grade: 'A', min: 95 },
        { grade: 'B', min: 0 },
      ];
    });
    expect(gradeOf(t, 9700)).toBe('A');
    expect(gradeOf(t, 9499)).toBe('B');
  });
});

describe('target rule (正向 / 反向 / 等于)', () => {
  const w = 500; // 5 points
  it('正向: at or above target full; below, actual/target × weight', () => {
    expect(targetScore('正向', 100, 100, w)).toBe(500);
    expect(targetScore('正向', 100, 120, w)).toBe(500);
    expect(targetScore('正向', 100, 80, w)).toBe(400);
    expect(targetScore('正向', 12, 9, w)).toBe(375); // 9/12 × 5 = 3.75
    expect(targetScore('正向', 100, 0, w)).toBe(0);
  });

  it('反向: at or below target full', () => {
    expect(targetScore('反向', 10, 8, w)).toBe(500);
    expect(targetScore('反向', 10, 10, w)).toBe(500);
  });

  it('反向: between target and 2×target, (1 − (actual − target)/target) × weight', () => {
    expect(targetScore('反向', 10, 15, w)).toBe(250); // (1 − 5/10) × 5
    expect(targetScore('反向', 10, 12.5, w)).toBe(375); // (1 − 2.5/10) × 5
    expect(targetScore('反向', 10, 11, w)).toBe(450);
    // (1 − 9.99/10) × 5 = 0.005: exactly half a hundredth, rounded up
    expect(targetScore('反向', 10, 19.99, w)).toBe(1);
  });

  it('反向: at or above 2×target, 0', () => {
    expect(targetScore('反向', 10, 20, w)).toBe(0);
    expect(targetScore('反向', 10, 35, w)).toBe(0);
  });

  it('等于: met is full; a miss either way loses by its distance from the target', () => {
    expect(targetScore('等于', 100, 100, w)).toBe(500);
    expect(targetScore('等于', 100, 90, w)).toBe(450);
    // over the target is not met: (1 − 10/100) × 5 = 4.5, not full marks
    expect(targetScore('等于', 100, 110, w)).toBe(450);
    expect(targetScore('等于', 4, 5, w)).toBe(375); // (1 − 1/4) × 5
    expect(targetScore('等于', 100, 200, w)).toBe(0);
    // target 0: only 0 is met
    expect(targetScore('等于', 0, 0, w)).toBe(500);
    expect(targetScore('等于', 0, 1, w)).toBe(0);
  });

  it('反向 in reading A (target/actual × weight) when the template says so', () => {
    expect(targetScore('反向', 10, 8, w, 'ratio')).toBe(500);
    expect(targetScore('反向', 10, 12.5, w, 'ratio')).toBe(400); // 10/12.5 × 5
    expect(targetScore('反向', 10, 40, w, 'ratio')).toBe(125); // reading B would give 0
  });

  it('a met target lost by self-score is not called 未达到 in the problem list', () => {
    // the seed's 12 of 12 tasks, self-scored 8 of 10
    const r = run(answersWith({ 'ind.outputQuantity[0].score': 8, 'ind.outputQuantity[0].reason': '部分工作质量不高' }));
    const p = r.problems.find((x) => x.indicatorId === 'outputQuantity[0]');
    expect(p?.description).not.toContain('未达到');
    expect(p?.description).toBe('行政综合运转等保障工作完成数已达到目标值（目标12项，实际12项），自评扣2分：部分工作质量不高');
  });

  it('an 等于 indicator over its target is a problem, not full marks', () => {
    const r = run(
      answersWith({
        'ind.outputQuantity[0].direction': '等于',
        'ind.outputQuantity[0].actual': 15,
        'ind.outputQuantity[0].score': undefined,
        'ind.outputQuantity[0].reason': '超出计划',
      }),
    );
    expect(indicator(r, 'outputQuantity[0]').ruleScore).toBe(750); // (1 − 3/12) × 10
    expect(r.problems.find((x) => x.indicatorId === 'outputQuantity[0]')?.description).toContain('未达到目标值（目标12项，实际15项），扣2.50分');
  });

  it('scores a department-defined indicator through the whole assessment', () => {
    // 产出数量 10 points, 反向 with target 12 and actual 18: (1 − 6/12) × 10 = 5
    const r = run(
      answersWith({
        'ind.outputQuantity[0].direction': '反向',
        'ind.outputQuantity[0].actual': 18,
        'ind.outputQuantity[0].score': undefined,
        'ind.outputQuantity[0].reason': '工作量超出计划',
      }),
    );
    const i = indicator(r, 'outputQuantity[0]');
    expect(i.ruleScore).toBe(500);
    expect(i.score).toBe(500);
    expect(r.scores.levels.find((l) => l.id === 'output')!.score).toBe(2500);
    const p = r.problems.find((x) => x.indicatorId === 'outputQuantity[0]');
    expect(p?.categoryLabel).toBe('项目产出存在的问题');
    expect(p?.description).toContain('目标12项');
    expect(p?.description).toContain('实际18项');
  });

  it('keeps a self-score that differs from the target rule and warns', () => {
    const r = run(answersWith({ 'ind.outputQuantity[0].actual': 9, 'ind.outputQuantity[0].reason': '未完成' }));
    const i = indicator(r, 'outputQuantity[0]');
    expect(i.ruleScore).toBe(750); // 9/12 × 10
    expect(i.score).toBe(1000); // the self-score counts
    expect(r.warnings.find((x) => x.code === 'SELF_SCORE_DIFFERS' && x.where === 'ind.outputQuantity[0].score')?.message).toContain('7.50');
  });
});

describe('ratio rule', () => {
  it('proportional: rate × weight, capped at the weight when the rate is above 100%', () => {
    // arrived 300 of a 273.45 budget: 109.71%, still at most 3 points
    const r = run(
      answersWith({
        'lineItems[0].arrived': 300,
        'sources[0].arrived': 300,
        'ind.arrivalRate.score': undefined,
      }),
    );
    expect(r.funds.rates.arrivalRate.value).toBe(10_971);
    expect(indicator(r, 'arrivalRate').ruleScore).toBe(300);
    expect(indicator(r, 'arrivalRate').lost).toBe(0);
  });

  it('proportional: rate below 100% scales the weight', () => {
    // 50% arrival on 3 points = 1.5
    const r = run(answersWith({ 'lineItems[0].arrived': 136.725, 'ind.arrivalRate.score': undefined }));
    expect(r.funds.rates.arrivalRate.value).toBe(5000);
    expect(indicator(r, 'arrivalRate').score).toBe(150);
  });

  it('is unscored, not a crash, when the divisor is zero', () => {
    const r = run(answersWith({ 'lineItems[0].budget': 0, 'ind.arrivalRate.score': undefined }));
    expect(r.funds.rates.arrivalRate.value).toBeUndefined();
    expect(indicator(r, 'arrivalRate').scored).toBe(false);
    expect(codes(r)).toContain('SCORE_MISSING');
  });

  describe('banded', () => {
    const banded = (bands: { min: number; points: number }[]) =>
      templateWith((j) => {
        const l3 = j.indicators[1].children[0].children[0];
        expect(l3.id).toBe('arrivalRate');
        l3.rule = { kind: 'ratio', rate: 'arrivalRate', mode: 'banded', bands };
      });
    const bands = [
      { min: 90, points: 3 },
      { min: 60, points: 2 },
      { min: 0, points: 0.5 },
    ];
    const arrival = (t: ReturnType<typeof banded>, arrived: number) =>
      indicator(run(answersWith({ 'lineItems[0].budget': 100, 'lineItems[0].arrived': arrived, 'lineItems[0].spent': 0, 'ind.arrivalRate.score': undefined }), t), 'arrivalRate');

    it('gives the points of the highest band reached', () => {
      const t = banded(bands);
      // the seed's 63.23% reaches the 60% band
      expect(indicator(run(answersWith({ 'ind.arrivalRate.score': undefined }), t), 'arrivalRate').ruleScore).toBe(200);
      expect(arrival(t, 95).ruleScore).toBe(300);
      expect(arrival(t, 90).ruleScore).toBe(300); // a band's lower bound is included
      expect(arrival(t, 89.99).ruleScore).toBe(200);
      expect(arrival(t, 60).ruleScore).toBe(200);
      expect(arrival(t, 59.99).ruleScore).toBe(50);
    });

    it('does not depend on the order the bands are listed in', () => {
      expect(arrival(banded([...bands].reverse()), 70).ruleScore).toBe(200);
    });

    it('gives no more than the weight', () => {
      expect(arrival(banded([{ min: 0, points: 10 }]), 50).ruleScore).toBe(300);
    });
  });
});

describe('qualitative rule: the score must fall inside the chosen band', () => {
  // 立项依据充分性, 5 points: 达成 4–5, 部分达成 3–4, 未达成 0–3
  const q = (achievement: string, score: number) =>
    run(answersWith({ 'ind.basisSufficiency.achievement': achievement, 'ind.basisSufficiency.score': score, 'ind.basisSufficiency.reason': '有欠缺' }));
  const outOfBand = (r: ReturnType<typeof run>) => r.warnings.filter((w) => w.code === 'SCORE_OUT_OF_BAND');

  it('达成 with 3.5 of 5 is out of band (needs 4–5)', () => {
    const w = outOfBand(q('达成', 3.5));
    expect(w).toHaveLength(1);
    expect(w[0].where).toBe('ind.basisSufficiency.score');
    expect(w[0].message).toContain('4分到5分');
  });

  it.each([
    ['达成', 4],
    ['达成', 5],
    ['部分达成', 3],
    ['部分达成', 3.5],
    ['部分达成', 4],
    ['未达成', 0],
    ['未达成', 3],
  ])('%s with %s of 5 is inside its band', (a, s) => {
    expect(outOfBand(q(a, s))).toEqual([]);
  });

  it.each([
    ['部分达成', 4.5],
    ['部分达成', 2.99],
    ['未达成', 3.01],
  ])('%s with %s of 5 is outside its band', (a, s) => {
    expect(outOfBand(q(a, s))).toHaveLength(1);
  });

  it('applies to department-defined 定性 indicators too', () => {
    const r = run(answersWith({ 'ind.economicBenefit[0].score': 3, 'ind.economicBenefit[0].reason': '部分完成' }));
    expect(outOfBand(r).map((w) => w.where)).toEqual(['ind.economicBenefit[0].score']);
  });
});

describe('exact arithmetic', () => {
  it('ten line items of 0.1 万元 make a budget of exactly 1.00', () => {
    const a = seedAnswers();
    for (const k of Object.keys(a)) if (k.startsWith('lineItems[') || k.startsWith('sources[')) delete a[k];
    for (let i = 0; i < 10; i++) {
      a[`lineItems[${i}].name`] = `明细${i + 1}`;
      a[`lineItems[${i}].budget`] = 0.1;
      a[`lineItems[${i}].arrived`] = 0.1;
      a[`lineItems[${i}].spent`] = 0.1;
    }
    const r = run(a);
    expect(r.funds.total.budget).toBe(1_000_000n);
    expect(formatWan(r.funds.total.budget)).toBe('1.00');
    expect(r.funds.rates.arrivalRate.value).toBe(10_000);
    expect(r.funds.rates.executionRate.value).toBe(10_000);
  });

  it('0.1 + 0.2 + 33.33 × 3 is exactly 100.29 (as floats: 100.28999…), so the breakdown matches the budget', () => {
    const a = answersWith({ 'lineItems[0].budget': 100.29, 'sources[0].budget': 100.29 });
    for (const k of Object.keys(a)) if (k.startsWith('breakdown[')) delete a[k];
    [0.1, 0.2, 33.33, 33.33, 33.33].forEach((amount, i) => {
      a[`breakdown[${i}].name`] = `用途${i + 1}`;
      a[`breakdown[${i}].amount`] = amount;
    });
    const r = run(a);
    expect(r.funds.breakdownTotal).toBe(100_290_000n);
    expect(formatWan(r.funds.breakdownTotal)).toBe('100.29');
    expect(codes(r)).not.toContain('BREAKDOWN_NOT_MATCHING_BUDGET');
    expect(codes(r)).not.toContain('SOURCES_NOT_MATCHING_TOTAL');
  });

  it('indicator weights 3.2 + 4.9 + 1.9 add up to exactly the 10 points of 产出质量 (as floats: 10.000000000000002)', () => {
    const a = seedAnswers();
    for (const k of Object.keys(a)) if (k.startsWith('ind.outputQuality[')) delete a[k];
    [3.2, 4.9, 1.9].forEach((weight, i) => {
      a[`ind.outputQuality[${i}].name`] = `质量指标${i + 1}`;
      a[`ind.outputQuality[${i}].weight`] = weight;
      a[`ind.outputQuality[${i}].direction`] = '正向';
      a[`ind.outputQuality[${i}].target`] = 100;
      a[`ind.outputQuality[${i}].actual`] = 100;
    });
    const r = run(a);
    const l2 = r.scores.level2.find((x) => x.id === 'outputQuality')!;
    expect(l2.itemsWeight).toBe(1000);
    expect(l2.score).toBe(1000);
    expect(codes(r)).not.toContain('LEVEL2_WEIGHT_MISMATCH');
    expect(r.scores.total).toBe(9700);
  });

  it('self-scores with two decimals add up exactly', () => {
    // three scores of 4.11 lose 0.89 each: 25 − 2.67 = 22.33
    const r = run(
      answersWith({
        'ind.basisSufficiency.score': 4.11, // loses 0.89
        'ind.procedureCompliance.score': 4.11,
        'ind.goalReasonableness.score': 4.11,
        'ind.basisSufficiency.reason': 'x',
        'ind.procedureCompliance.reason': 'x',
        'ind.goalReasonableness.reason': 'x',
      }),
    );
    expect(r.scores.levels.find((l) => l.id === 'decision')!.score).toBe(2500 - 3 * 89);
    expect(r.scores.total).toBe(9700 - 267);
  });

  it('rates are rounded half up when the third decimal is exactly 5', () => {
    // 2.01 / 200 = 1.005% exactly: half up gives 1.01 (a float gives 1.0049999… → 1.00)
    expect(percentOf(decimalToScaled(2.01, 6), decimalToScaled(200, 6))).toBe(101);
    // 1 / 32 = 3.125% → 3.13; 1 / 8 = 12.5% stays
    expect(percentOf(1_000_000n, 32_000_000n)).toBe(313);
    expect(percentOf(1_000_000n, 8_000_000n)).toBe(1250);
    // and just below the half stays down: 2.0099 / 200 = 1.00495% → 1.00
    expect(percentOf(decimalToScaled(2.0099, 6), decimalToScaled(200, 6))).toBe(100);

    // through the funds table: budget 200, arrived 2.01 → 资金到位率 1.01%
    const r = run(answersWith({ 'lineItems[0].budget': 200, 'lineItems[0].arrived': 2.01, 'lineItems[0].spent': 1 }));
    expect(r.funds.rates.arrivalRate.value).toBe(101);
    expect(r.funds.rates.spendRate.value).toBe(50);
    // 1 / 2.01 = 49.7512…%
    expect(r.funds.rates.executionRate.value).toBe(4975);
  });

  it('rounds half up in the decimal helpers', () => {
    expect(toHundredths(1.005)).toBe(101); // a float 1.005 × 100 is 100.4999…
    expect(toHundredths(0.125)).toBe(13);
    expect(toHundredths(0.1 + 0.2)).toBe(30);
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(7n, 4n)).toBe(2n);
    expect(divRoundHalfUp(5n, 4n)).toBe(1n);
  });
});
