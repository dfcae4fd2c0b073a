// One test per warning code of src/domain/checks.ts, each made by changing the seed
// example as little as possible; then the seed with every finding fixed is clean.
import { describe, expect, it } from 'vitest';
import type { WarningCode } from '../../src/domain/checks';
import { answersWith, codes, indicator, run, seedAnswers, seedTemplate, templateWith } from './fixtures';

const seed = run(seedAnswers());
const seedCodes = new Set(codes(seed));
const only = (r: ReturnType<typeof run>, code: WarningCode) => r.warnings.filter((w) => w.code === code);

/** A code the seed does not raise, raised by the change. */
function raises(r: ReturnType<typeof run>, code: WarningCode) {
  expect(seedCodes.has(code)).toBe(false);
  const w = only(r, code);
  expect(w.length).toBeGreaterThan(0);
  return w;
}

describe('weights', () => {
  it('LEVEL_WEIGHT_MISMATCH: a stated level weight that is not the sum of its level-2 weights', () => {
    const w = only(seed, 'LEVEL_WEIGHT_MISMATCH');
    expect(w.map((x) => x.where).sort()).toEqual(['weights.decision', 'weights.output']);
    // and nothing for a stated weight that is right
    expect(only(run(answersWith({ 'weights.decision': 25, 'weights.output': 30 })), 'LEVEL_WEIGHT_MISMATCH')).toEqual([]);
    expect(only(run(answersWith({ 'weights.process': 20 })), 'LEVEL_WEIGHT_MISMATCH').map((x) => x.where)).toContain('weights.process');
  });

  it('LEVEL2_WEIGHT_MISMATCH: custom indicator weights that do not add up to the level-2 weight', () => {
    // 产出质量 10 points: 4 + 3 + 3; make the first 5 → 11
    const w = raises(run(answersWith({ 'ind.outputQuality[0].weight': 5, 'ind.outputQuality[0].score': 5 })), 'LEVEL2_WEIGHT_MISMATCH');
    expect(w).toHaveLength(1);
    expect(w[0].where).toBe('ind.outputQuality');
    expect(w[0].message).toContain('产出质量');
    expect(w[0].message).toContain('10分');
    expect(w[0].message).toContain('11分');
  });

  it('LEVEL2_WEIGHT_MISMATCH: also for fixed level-3 weights in a template', () => {
    // `check` refuses such a template file (test/domain/registry.test.ts); the scores still say it of a template object
    const t = seedTemplate();
    t.indicators[0].children[0].children![0].weight = 6; // 立项依据充分性 5 → 6 under 项目立项 10
    const w = raises(run(seedAnswers(), t), 'LEVEL2_WEIGHT_MISMATCH');
    expect(w.map((x) => x.where)).toEqual(['ind.projectSetup']);
  });

  it('TOTAL_WEIGHT_NOT_100: level weights that do not add up to 100', () => {
    const t = seedTemplate();
    const sat = t.indicators[3].children[4];
    expect(sat.id).toBe('satisfaction');
    sat.weight = 5;
    sat.children![0].weight = 5;
    const r = run(answersWith({ 'ind.publicSatisfaction.score': 4 }), t);
    const w = raises(r, 'TOTAL_WEIGHT_NOT_100');
    expect(w[0].message).toContain('95分');
    expect(codes(r)).not.toContain('LEVEL2_WEIGHT_MISMATCH');
  });

  it('OUTPUT_OUTCOME_UNDER_MIN: 产出 + 效益 under 60', () => {
    // move 5 points from 产出数量 to 立项依据充分性: total stays 100, 产出+效益 = 55
    const t = templateWith((j) => {
      j.indicators[0].children[0].weight = 15;
      j.indicators[0].children[0].children[0].weight = 10;
      j.indicators[2].children[0].weight = 5;
    });
    const r = run(answersWith({ 'ind.basisSufficiency.score': 10, 'ind.outputQuantity[0].weight': 5, 'ind.outputQuantity[0].score': 5 }), t);
    const w = raises(r, 'OUTPUT_OUTCOME_UNDER_MIN');
    expect(w[0].message).toContain('产出+效益');
    expect(w[0].message).toContain('55分');
    expect(w[0].message).toContain('60分');
    expect(codes(r)).not.toContain('TOTAL_WEIGHT_NOT_100');
    expect(codes(r)).not.toContain('LEVEL2_WEIGHT_MISMATCH');
  });

  it('OUTPUT_OUTCOME_UNDER_MIN: the minimum belongs to the template', () => {
    const t = templateWith((j) => {
      j.checks.outputPlusOutcomeMin = 70;
    });
    expect(codes(run(seedAnswers(), t))).toContain('OUTPUT_OUTCOME_UNDER_MIN');
  });
});

describe('funds', () => {
  it('SOURCES_NOT_MATCHING_TOTAL: sources that do not add up to the line items', () => {
    const w = raises(run(answersWith({ 'sources[0].budget': 270 })), 'SOURCES_NOT_MATCHING_TOTAL');
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain('270.00');
    expect(w[0].message).toContain('273.45');
  });

  it('SOURCES_NOT_MATCHING_TOTAL: two sources that together match are fine', () => {
    const r = run(
      answersWith({
        'sources[0].budget': 200,
        'sources[0].arrived': 100,
        'sources[0].spent': 100,
        'sources[1].source': '市级财政',
        'sources[1].budget': 73.45,
        'sources[1].arrived': 72.91,
        'sources[1].spent': 29.94,
      }),
    );
    expect(codes(r)).not.toContain('SOURCES_NOT_MATCHING_TOTAL');
  });

  it('BREAKDOWN_NOT_MATCHING_BUDGET: a breakdown that does not add up to the budget', () => {
    const w = raises(run(answersWith({ 'breakdown[0].amount': 60 })), 'BREAKDOWN_NOT_MATCHING_BUDGET');
    expect(w[0].message).toContain('268.45');
    expect(w[0].message).toContain('273.45');
  });

  it('SPENT_OVER_ARRIVED: spent more than arrived', () => {
    const w = raises(run(answersWith({ 'lineItems[0].spent': 180, 'sources[0].spent': 180 })), 'SPENT_OVER_ARRIVED');
    expect(w.map((x) => x.where)).toContain('lineItems[0]');
    expect(w[0].message).toContain('180.00');
    expect(w[0].message).toContain('172.91');
  });

  it('ARRIVED_OVER_BUDGET: arrived more than the budget', () => {
    const w = raises(run(answersWith({ 'lineItems[0].arrived': 300, 'sources[0].arrived': 300 })), 'ARRIVED_OVER_BUDGET');
    expect(w.map((x) => x.where)).toContain('lineItems[0]');
    expect(w[0].message).toContain('300.00');
  });

  it('EXECUTION_UNEXPLAINED: execution under 90% without funds.executionNote', () => {
    const w = raises(run(answersWith({ 'funds.executionNote': undefined })), 'EXECUTION_UNEXPLAINED');
    expect(w[0].where).toBe('funds.executionNote');
    expect(w[0].message).toContain('75.15%');
    // not raised at 90% or above
    const r = run(answersWith({ 'funds.executionNote': undefined, 'lineItems[0].spent': 155.619, 'sources[0].spent': 155.619 }));
    expect(r.funds.rates.executionRate.value).toBe(9000);
    expect(codes(r)).not.toContain('EXECUTION_UNEXPLAINED');
  });
});

describe('indicators', () => {
  it('LOST_POINTS_NO_REASON: lost points without a reason', () => {
    const w = raises(run(answersWith({ 'ind.executionRate.reason': undefined })), 'LOST_POINTS_NO_REASON');
    expect(w.map((x) => x.where)).toEqual(['ind.executionRate.reason']);
    expect(w[0].message).toContain('1分');
  });

  it('SELF_SCORE_DIFFERS: a self-score other than the rule gives', () => {
    const w = only(seed, 'SELF_SCORE_DIFFERS');
    expect(w.map((x) => x.where).sort()).toEqual(['ind.arrivalRate.score', 'ind.executionRate.score']);
    expect(codes(run(answersWith({ 'ind.arrivalRate.score': 1.9, 'ind.executionRate.score': 1.5 })))).not.toContain('SELF_SCORE_DIFFERS');
  });

  it('SCORE_OUT_OF_BAND: a qualitative score outside its band', () => {
    const w = raises(run(answersWith({ 'ind.systemSoundness.score': 2, 'ind.systemSoundness.reason': '制度不全' })), 'SCORE_OUT_OF_BAND');
    expect(w.map((x) => x.where)).toEqual(['ind.systemSoundness.score']);
  });

  it('SCORE_OVER_WEIGHT: a self-score above the weight', () => {
    const w = raises(run(answersWith({ 'ind.publicSatisfaction.score': 12 })), 'SCORE_OVER_WEIGHT');
    expect(w.map((x) => x.where)).toEqual(['ind.publicSatisfaction.score']);
    expect(w[0].message).toContain('12分');
    expect(w[0].message).toContain('10分');
  });

  it('SCORE_MISSING: an indicator with neither a self-score nor a rule score', () => {
    const w = raises(run(answersWith({ 'ind.publicSatisfaction.score': undefined })), 'SCORE_MISSING');
    expect(w.map((x) => x.where)).toEqual(['ind.publicSatisfaction']);
  });

  it('TARGET_FAR_EXCEEDED: actual ≥ 130% of a 正向 target', () => {
    const w = raises(run(answersWith({ 'ind.outputQuantity[0].actual': 16 })), 'TARGET_FAR_EXCEEDED');
    expect(w.map((x) => x.where)).toEqual(['ind.outputQuantity[0]']);
    expect(w[0].message).toContain('16');
    expect(w[0].message).toContain('12');
  });

  it('TARGET_FAR_EXCEEDED: exactly 130% counts, just under does not (no float drift: 12 × 1.3 = 15.6)', () => {
    expect(codes(run(answersWith({ 'ind.outputQuantity[0].actual': 15.6 })))).toContain('TARGET_FAR_EXCEEDED');
    expect(codes(run(answersWith({ 'ind.outputQuantity[0].actual': 15.59 })))).not.toContain('TARGET_FAR_EXCEEDED');
    expect(codes(run(answersWith({ 'ind.outputQuantity[0].target': 3, 'ind.outputQuantity[0].actual': 3.9 })))).toContain(
      'TARGET_FAR_EXCEEDED',
    );
  });

  it('TARGET_FAR_EXCEEDED: not for 反向 indicators', () => {
    const r = run(answersWith({ 'ind.outputQuantity[0].direction': '反向', 'ind.outputQuantity[0].actual': 6 }));
    expect(codes(r)).not.toContain('TARGET_FAR_EXCEEDED');
  });
});

describe('statements', () => {
  it('RATE_CONFLICT: a stated rate that its label does not compute to', () => {
    // only the prose note, with the indicator made consistent
    const r = run(answersWith({ 'ind.outputCost[0].actual': 75.15, 'ind.outputCost[0].target': 75 }));
    const w = only(r, 'RATE_CONFLICT');
    expect(w).toHaveLength(1);
    expect(w[0].where).toBe('funds.executionNote');
    expect(w[0].message).toContain('预算使用率47.52%');
    expect(w[0].message).toContain('预算支出率47.52%');
    expect(w[0].message).not.toContain('95.92');
  });

  it('RATE_CONFLICT: a rate written into any prose answer is read', () => {
    const r = run(
      answersWith({
        'funds.executionNote': '主要为项目整合所致。',
        'ind.outputCost[0].actual': 75.15,
        'ind.outputCost[0].target': 75,
        'conclusion.other': '本年资金到位率为70%。',
      }),
    );
    const w = only(r, 'RATE_CONFLICT');
    expect(w.map((x) => x.where)).toEqual(['conclusion.other']);
    expect(w[0].message).toContain('70');
  });

  it('FIGURE_CONFLICT: the same figure stated twice with different values', () => {
    const w = only(seed, 'FIGURE_CONFLICT');
    expect(w.map((x) => x.where)).toEqual(['implementation.completion']);
    expect(codes(run(answersWith({ 'ind.outputQuality[1].actual': 100 })))).not.toContain('FIGURE_CONFLICT');
  });
});

describe('the seed with every finding fixed', () => {
  const fixed = () =>
    answersWith({
      // 1. stated weights removed (the indicators say 25/15/30/30)
      'weights.decision': undefined,
      'weights.output': undefined,
      // 2. one execution rate, labelled with what it divides; the 产出成本 indicator states the computed rate
      'funds.executionNote': '截止2024年12月31日支出129.94万元，预算支出率为47.52%，预算执行率为75.15%，主要为本年度项目整合所致。',
      'ind.outputCost[0].target': 75,
      'ind.outputCost[0].actual': 75.15,
      // 3. and 4. self-scores as the rules give them
      'ind.arrivalRate.score': 1.9,
      'ind.arrivalRate.reason': '资金到位率63.23%，按比例得分。',
      'ind.executionRate.score': 1.5,
      // 5. one 结案率
      'ind.outputQuality[1].actual': 100,
    });

  it('raises no warning at all', () => {
    expect(run(fixed()).warnings).toEqual([]);
  });

  it('still scores consistently: 25 + 13.40 + 30 + 28 = 96.40, 优', () => {
    const r = run(fixed());
    expect(r.scores.levels.map((l) => l.score)).toEqual([2500, 1340, 3000, 2800]);
    expect(r.scores.total).toBe(9640);
    expect(r.scores.grade).toBe('优');
  });

  it('setting the stated weights right instead of removing them is clean too', () => {
    const a = fixed();
    Object.assign(a, { 'weights.decision': 25, 'weights.process': 15, 'weights.output': 30, 'weights.outcome': 30 });
    expect(run(a).warnings).toEqual([]);
  });
});
