// The national 项目支出绩效自评表 (templates/national-2024) and provincial variants of it,
// written as template data. Expected scores are worked out by hand here, from the
// example's figures, not taken from the code under test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/domain/answers';
import { assess } from '../../src/domain/evaluate';
import { parseAnswer } from '../../src/domain/parse';
import { formSections, isAsked, questionAt } from '../../src/domain/questions';
import { findTemplate } from '../../src/domain/registry';
import { parsed, repoRoot } from './fixtures';

const raw = (): any => JSON.parse(readFileSync(`${repoRoot}templates/national-2024/template.json`, 'utf8'));
const example = (): Answers => JSON.parse(readFileSync(`${repoRoot}templates/national-2024/example.json`, 'utf8')).answers;
const national = () => parsed(raw());
const h = (points: number) => Math.round(points * 100);

describe('the national example, scored by hand', () => {
  const a = assess(national(), example());
  const ind = (id: string) => a.scores.indicators.find((i) => i.id === id)!;

  it('执行率 = 全年执行数/全年预算数 = (420+30)/(480+60) = 83.33%, 得分 = 83.33% × 10 = 8.33', () => {
    expect(a.funds.rates.executionRate.value).toBe(8333);
    expect(a.funds.rates.executionRate.definition).toBe('全年执行数/全年预算数');
    expect(a.funds.total).toMatchObject({ budget: 560_000_000n, adjusted: 540_000_000n, spent: 450_000_000n });
    // per fund kind: 420/480 = 87.50%, 30/60 = 50.00%
    expect(a.funds.sourceRates.current.executionRate.value).toBe(8750);
    expect(a.funds.sourceRates.carryOver.executionRate.value).toBe(5000);
    expect(ind('executionRate').score).toBe(833);
    // the reason is the 执行率 note, so no "扣分无原因"
    expect(ind('executionRate').reason).toContain('汛期');
  });

  it('each row by its rule', () => {
    expect(ind('quantity[0]').score).toBe(h(15)); // ≥120公里, 126: met
    expect(ind('quantity[1]').score).toBe(h(7.5)); // ≥8座, 6: 6/8 × 10
    expect(ind('quality[0]').score).toBe(h(10)); // =100%, 100%: met
    expect(ind('timeliness[0]').score).toBe(h(3.5)); // 按时限完成, 部分达成: 70% of 5
    expect(ind('cost[0]').score).toBe(h(9)); // ≤3.5, 3.85: (1 − 0.35/3.5) × 10
    expect(ind('social[0]').score).toBe(h(15)); // ≥3万人, 4.2万人: 140%, full, with its note
    expect(ind('social[0]').overAchieved).toBe(true);
    expect(ind('sustainable[0]').score).toBe(h(5)); // 定性 达成: full
    expect(ind('serviceSatisfaction[0]').score).toBe(978); // ≥90%, 88%: 88/90 × 10 = 9.777…
    expect(ind('cost[0]').direction).toBe('反向');
    expect(ind('quality[0]').direction).toBe('等于');
    expect(ind('timeliness[0]').direction).toBe('定性');
    expect(ind('quantity[1]').targetText).toBe('≥8座');
  });

  it('levels 8.33 / 45 / 30 / 9.78, total 93.11, 优; the stated 93.5 is caught', () => {
    expect(a.scores.levels.map((l) => [l.name, l.weight, l.score])).toEqual([
      ['预算执行', h(10), 833],
      ['产出指标', h(50), h(45)], // 15 + 7.5 + 10 + 3.5 + 9
      ['效益指标', h(30), h(30)],
      ['满意度指标', h(10), 978],
    ]);
    expect(a.scores.total).toBe(9311);
    expect(a.scores.grade).toBe('优');
    expect(a.warnings.map((w) => w.code)).toEqual(['STATED_TOTAL_MISMATCH']);
    expect(a.warnings[0].message).toBe('表上写的总分是93.50分，各项得分合计却是93.11分。');
  });

  it('the problem list quotes targets as written', () => {
    expect(a.problems.map((p) => p.description)).toContain('新建蓄水池数量未达到目标值（目标≥8座，实际6座），扣2.50分');
    expect(a.problems[0].description).toBe('执行率未达到100%（全年执行数/全年预算数=83.33%），扣1.67分');
  });

  it('is served by the registry with its example', () => {
    expect(findTemplate('national-2024', 1)?.title).toBe('项目支出绩效自评表');
  });
});

describe('reviewer checks on the national form', () => {
  const codes = (answers: Answers, t = national()) => assess(t, answers).warnings.map((w) => w.code);
  const withAnswers = (changes: Record<string, string | number | undefined>) => {
    const x = example();
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete x[k];
    else x[k] = v;
    return x;
  };

  it('三级 weights that do not add up to their 一级', () => {
    const a = assess(national(), withAnswers({ 'ind.quantity[0].weight': 20 }));
    expect(a.warnings.find((w) => w.code === 'LEVEL1_ROWS_WEIGHT_MISMATCH')?.message).toBe(
      '一级指标“产出指标”分值50分，其下各三级指标分值合计55分，两者应相等。',
    );
  });

  it('a grade that does not match the total, or none', () => {
    expect(codes(withAnswers({ 'result.grade': '良', 'result.total': 93.11 }))).toEqual(['STATED_GRADE_MISMATCH']);
    expect(codes(withAnswers({ 'result.grade': undefined, 'result.total': 93.11 }))).toEqual(['GRADE_NOT_STATED']);
  });

  it('a missed target scored full, a met one scored below full', () => {
    const a = assess(national(), withAnswers({ 'result.total': undefined, 'ind.quantity[1].score': 10, 'ind.quantity[0].score': 14 }));
    const msgs = a.warnings.filter((w) => w.code === 'SELF_SCORE_DIFFERS').map((w) => w.message);
    expect(msgs.some((m) => m.includes('新建蓄水池数量”未达到目标，却给了满分'))).toBe(true);
    expect(msgs.some((m) => m.includes('改造供水管网长度”已达到目标，却自评14分'))).toBe(true);
  });

  it('an actual that only repeats the target', () => {
    const a = assess(national(), withAnswers({ 'result.total': undefined, 'ind.ecological[0].actual': '≥95%' }));
    // and the goals text, which says 96.5%, no longer agrees with it
    expect(a.warnings.map((w) => w.code)).toEqual(['ACTUAL_REPEATS_TARGET', 'FIGURE_CONFLICT']);
    expect(a.warnings[0].where).toBe('ind.ecological[0].actual');
  });

  it('over the threshold needs a note; not fully met needs one even when scored full', () => {
    expect(codes(withAnswers({ 'result.total': undefined, 'ind.social[0].reason': undefined }))).toEqual(['TARGET_FAR_EXCEEDED']);
    // 88% of ≥90%, self-scored full and no note
    expect(codes(withAnswers({ 'result.total': undefined, 'ind.serviceSatisfaction[0].reason': undefined, 'ind.serviceSatisfaction[0].score': 10 }))).toEqual([
      'SELF_SCORE_DIFFERS',
      'DEVIATION_UNEXPLAINED',
    ]);
  });

  it('a blank among the funds columns is missing, never 0', () => {
    const a = assess(national(), withAnswers({ 'result.total': undefined, 'sources[1].adjusted': undefined }));
    expect(a.warnings.map((w) => w.code)).toContain('FUNDS_BLANK');
    expect(a.warnings.find((w) => w.code === 'FUNDS_BLANK')?.message).toBe('上年结转资金的全年预算数没有填：空着不等于0，请填写（确实为0请填0）。');
    // the total's 全年预算数 is then unknown, so no 执行率 is made up from a partial sum
    expect(a.funds.rates.executionRate.value).toBeUndefined();
  });

  it('amounts that look like 元 on a 万元 form', () => {
    const a = assess(national(), withAnswers({ 'result.total': undefined, 'sources[0].budget': 5_000_000 }));
    expect(a.warnings.find((w) => w.code === 'AMOUNT_UNIT_SUSPECT')?.message).toBe(
      '本年财政拨款的年初预算数是5000000.00万元，像是按元填的；这张表的金额单位是万元。',
    );
  });

  it('执行率 under 90% without its reason', () => {
    expect(codes(withAnswers({ 'result.total': undefined, 'funds.executionNote': undefined }))).toEqual(['EXECUTION_UNEXPLAINED', 'LOST_POINTS_NO_REASON']);
  });
});

describe('provincial variants as template data', () => {
  /** Sichuan-like: amounts in 元, only 一级 weights printed, 反向 as target/actual, 80/50 定性 bands. */
  function variant() {
    const t = raw();
    t.id = 'variant-yuan';
    t.funds.unit = '元';
    t.indicators[1].rowWeights = false;
    t.indicators[2].rowWeights = false;
    t.indicators[3].rowWeights = false;
    t.indicatorRules.reverse = 'ratio';
    t.indicatorRules.qualitative = [
      { achievement: '达成', min: 80, max: 100, default: 100 },
      { achievement: '部分达成', min: 50, max: 80, default: 60 },
      { achievement: '未达成', min: 0, max: 50, default: 20 },
    ];
    return parsed(t);
  }
  const yuanAnswers = () => {
    const x = example();
    for (const k of Object.keys(x)) {
      if (/^sources\[\d\]\.(budget|adjusted|spent)$/.test(k)) x[k] = (x[k] as number) * 10_000;
      if (/\.weight$/.test(k)) delete x[k];
    }
    delete x['result.total'];
    return x;
  };

  it('元: stored and computed exactly, same 执行率', () => {
    const a = assess(variant(), yuanAnswers());
    expect(a.funds.total.adjusted).toBe(540_000_000n); // 5,400,000.00 元 in 分
    expect(a.funds.rates.executionRate.value).toBe(8333);
  });

  it('only 一级 weights: rows share them equally; 反向 by target/actual; the template’s bands', () => {
    const a = assess(variant(), yuanAnswers());
    const ind = (id: string) => a.scores.indicators.find((i) => i.id === id)!;
    // 产出 50 over 5 rows: 10 each
    expect(ind('quantity[0]').weight).toBe(h(10));
    expect(ind('quantity[1]').score).toBe(h(7.5)); // 6/8 × 10
    expect(ind('cost[0]').score).toBe(909); // 3.5/3.85 × 10 = 9.0909…
    expect(ind('timeliness[0]').score).toBe(h(6)); // 部分达成 at 60% of 10
    // 效益 30 over 3 rows: 10 each, all met
    expect(a.scores.levels.map((l) => l.score)).toEqual([833, h(10 + 7.5 + 10 + 6 + 9.09), h(30), 978]);
    expect(a.warnings.map((w) => w.code)).toEqual([]);
  });

  it('the conversation asks no per-row weight, and asks 达成情况 only for a target in words', () => {
    const sections = formSections(variant());
    const q = sections.find((s) => s.id === 'ind_quantity')!;
    expect(q.questions.map((x) => x.field)).toEqual(['name', 'target', 'actual', 'achievement', 'score', 'reason']);
    const achievement = q.questions.find((x) => x.field === 'achievement')!;
    const ans = yuanAnswers();
    expect(isAsked(achievement, ans, undefined, 'ind.quantity[0]')).toBe(false); // ≥120公里
    expect(isAsked(achievement, ans, undefined, 'ind.timeliness[0]')).toBe(true); // 按时限完成
    expect(questionAt(sections, 'sources[0].budget')?.question.kind).toBe('yuan');
  });

  it('money on a 元 form: a unit converts, a figure that looks like 万元 is asked back', () => {
    expect(parseAnswer('yuan', '4,800,000')).toEqual({ ok: true, value: 4_800_000 });
    expect(parseAnswer('yuan', '480万元')).toEqual({ ok: true, value: 4_800_000 });
    expect(parseAnswer('yuan', '1234.56元')).toEqual({ ok: true, value: 1234.56 });
    const r = parseAnswer('yuan', '480');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('是不是按万元填的');
    expect(parseAnswer('yuan', '480元')).toEqual({ ok: true, value: 480 });
  });

  it('money on a 万元 form: a figure that looks like 元 is asked back', () => {
    const r = parseAnswer('money', '4800000');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('是不是按元填的');
    expect(parseAnswer('money', '4800000元')).toEqual({ ok: true, value: 480 });
    expect(parseAnswer('money', '480')).toEqual({ ok: true, value: 480 });
  });
});
