// The leaders' summary against the evaluations behind it: several evaluations built
// through the store with known answers (the seed example and variations), asked for
// through the real bot, the card's figures and the .xlsx read back cell by cell.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formContext, sectionState } from '../../src/domain/progress';
import type { Output } from '../../src/conversation/types';
import { answerFacts } from '../../src/domain/evaluationFacts';
import { assess } from '../../src/domain/evaluate';
import { percentOf } from '../../src/domain/funds';
import { formSections } from '../../src/domain/questions';
import { defaultTemplate } from '../../src/domain/registry';
import { buildSummary, type EvaluationFacts } from '../../src/domain/summary';
import { renderCard } from '../../src/channels/lark/cards';
import { CARD_ROWS, summaryCard } from '../../src/summary/card';
import { summaryColumns } from '../../src/summary/xlsx';
import { cardOf, table } from './cards';
import { admin, bj, example, exampleWithout, leader, makeEvaluation, staff, texts, world, type World } from '../reminders/helpers';

const A = { ...example }; // the seed case: 273.45 / 172.91 / 129.94, 75.15%, 97 优
const B = {
  ...example,
  'project.unit': '五华区黑林铺街道办事处',
  'lineItems[0].budget': 100,
  'lineItems[0].arrived': 80,
  'lineItems[0].spent': 76, // 95.00%
  'ind.basisSufficiency.score': 0,
  'ind.procedureCompliance.score': 0,
  'ind.basisSufficiency.reason': '依据不充分',
  'ind.procedureCompliance.reason': '程序不规范',
}; // 87 良
const C = { ...exampleWithout('goals.', 'conclusion.'), 'lineItems[0].budget': 50, 'lineItems[0].arrived': 50, 'lineItems[0].spent': 20 }; // 40.00%, 18/21 (nobody passed 评价人员)

let w: World;
const ids: Record<string, number> = {};
const today = '2025-06-05';
const at = bj(today, '10:00');

beforeAll(async () => {
  w = world(() => at);
  ids.A = await makeEvaluation(w.store, { chatId: 'oc_a', projectName: '行政综合性经费', answers: A, status: 'generated', deadline: '2025-05-31' });
  ids.B = await makeEvaluation(w.store, { chatId: 'oc_b', projectName: '社区治理经费', answers: B, status: 'generated', deadline: '2025-05-31' });
  ids.C = await makeEvaluation(w.store, { chatId: 'oc_c', projectName: '城市管理经费', answers: C, deadline: '2025-05-20' });
  ids.D = await makeEvaluation(w.store, { chatId: 'oc_d', projectName: '上年度项目', year: 2023, answers: A, status: 'generated' });
  ids.E = await makeEvaluation(w.store, { chatId: 'oc_e', projectName: '已归档项目', answers: A });
  await w.store.updateEvaluation(ids.E, { status: 'archived' }, at);
  await w.store.assign(ids.C, 'goals', staff, admin.userId, at);
  await w.say(admin, '设置领导 @赵局长', { mentions: [leader] });
});
afterAll(() => w.cleanup());


describe('per-evaluation figures', () => {
  it('equal the full domain path (assess, formContext, sectionState) for each evaluation', () => {
    const t = defaultTemplate();
    const sections = formSections(t);
    for (const answers of [A, B, C]) {
      const full = assess(t, answers);
      const facts = answerFacts(t, answers, { scored: true });
      expect(facts.total).toEqual(full.funds.total);
      expect(facts.executionRate).toBe(full.funds.rates.executionRate.value);
      expect([facts.score, facts.grade]).toEqual([full.scores.total, full.scores.grade]);
      const ctx = formContext(t, sections, answers);
      expect(facts.sectionsDone).toBe(sections.filter((s) => sectionState(ctx, s) === 'done').length);
    }
    expect(answerFacts(t, A, { scored: true })).toMatchObject({ score: 9700, grade: '优', executionRate: 7515, sectionsDone: 20, sectionsTotal: 21 });
    expect(answerFacts(t, B, { scored: true })).toMatchObject({ score: 8700, grade: '良', executionRate: 9500 });
    expect(answerFacts(t, C, { scored: false })).toMatchObject({ executionRate: 4000, sectionsDone: 18, score: undefined });
  });
});

describe('汇总', () => {
  let out: Output;
  beforeAll(async () => {
    out = await w.say(leader, '汇总 2024', { p2p: true });
  });

  it('a leader gets a card with one row per evaluation of the year, and the totals', () => {
    const card = cardOf(out);
    const t = table(card);
    expect(t.columns).toEqual(['项目', '实施单位', '预算(万元)', '到位(万元)', '支出(万元)', '预算执行率', '得分/进度', '截止日期', '逾期']);
    expect(t.rows).toEqual([
      ['行政综合性经费', '五华区红云街道办事处', '273.45', '172.91', '129.94', '75.15%', '97分 优', '2025-05-31', '否'],
      ['社区治理经费', '五华区黑林铺街道办事处', '100.00', '80.00', '76.00', '95.00%', '87分 良', '2025-05-31', '否'],
      ['城市管理经费', '五华区红云街道办事处', '50.00', '50.00', '20.00', '40.00%', '已完成 18/21 部分', '2025-05-20', '⚠️ 逾期'],
      ['合计', '3 项', '423.45', '302.91', '225.94', '74.59%', '', '', '1 项'],
    ]);
    // 225.94 / 302.91, in hundredths of a percent, half up
    expect(percentOf(22_594n, 30_291n)).toBe(7459);
    const text = JSON.stringify(card);
    expect(text).toContain('优 1 项、良 1 项；填写中 1 项');
    expect(text).toContain('逾期 **1** 项');
    expect(text).toContain('预算执行率低于 90% 的评价（2 项）');
    expect(text).toMatch(/行政综合性经费（五华区红云街道办事处） 75\.15%\\n城市管理经费（五华区红云街道办事处） 40\.00%/);
    expect(text).not.toContain('社区治理经费（');
  });

  it('and the same as an .xlsx, read back cell by cell', async () => {
    const file = out.messages.find((m) => m.type === 'file');
    expect(file?.type).toBe('file');
    if (file?.type !== 'file') return;
    expect(file.fileName).toBe('绩效自评汇总_2024年度_2025-06-05.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.bytes) as never);
    const sheet = wb.getWorksheet('汇总')!;
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(1)).toEqual(summaryColumns.map((c) => c.header));
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getColumn(2).width).toBe(28);
    expect(values(2)).toEqual([1, '行政综合性经费', '五华区红云街道办事处', 2024, 273.45, 172.91, 129.94, 0.7515, 97, '优', '已评分', '2025-05-31', '否']);
    expect(values(3)).toEqual([2, '社区治理经费', '五华区黑林铺街道办事处', 2024, 100, 80, 76, 0.95, 87, '良', '已评分', '2025-05-31', '否']);
    // an unscored evaluation leaves 得分 and 等次 empty (exceljs reads an empty cell as a hole)
    const c = values(4);
    expect([c[0], c[1], c[4], c[5], c[6], c[7], c[10], c[11], c[12]]).toEqual([3, '城市管理经费', 50, 50, 20, 0.4, '已完成 18/21 部分', '2025-05-20', '是']);
    expect([c[8] ?? null, c[9] ?? null]).toEqual([null, null]);
    expect(values(5)).toEqual(['合计', '3 项', undefined, undefined, 423.45, 302.91, 225.94, 0.7459, undefined, undefined, undefined, undefined, '1 项逾期']);
    expect(sheet.getRow(5).font?.bold).toBe(true);
    for (const col of [5, 6, 7]) for (const r of [2, 3, 4, 5]) expect(sheet.getRow(r).getCell(col).numFmt).toBe('0.00');
    expect(sheet.getRow(2).getCell(8).numFmt).toBe('0.00%');
    expect(sheet.rowCount).toBe(5);
    const stats = wb.getWorksheet('统计')!;
    const statRows = Array.from(stats.getSheetValues().slice(1), (r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(statRows).toEqual([
      ['项目', '数量 / 执行率'],
      ['范围', '2024年度'],
      ['截至日期', '2025-06-05'],
      ['等次：优', 1],
      ['等次：良', 1],
      ['填写中', 1],
      ['逾期', 1],
      [],
      ['预算执行率低于90%的评价', '预算执行率'],
      ['行政综合性经费（五华区红云街道办事处）', 0.7515],
      ['城市管理经费（五华区红云街道办事处）', 0.4],
    ]);
  });

  it('filters by unit, and an administrator may ask too', async () => {
    const o = await w.say(admin, '/汇总 2024 红云', { chatId: 'oc_any' });
    expect(table(cardOf(o)).rows.map((r) => r[0])).toEqual(['行政综合性经费', '城市管理经费', '合计']);
    const all = await w.say(leader, '汇总', { chatId: 'oc_any' });
    expect(table(cardOf(all)).rows.map((r) => r[0])).toEqual(['行政综合性经费', '社区治理经费', '城市管理经费', '上年度项目', '合计']);
  });

  it('a staff member is told politely it is for leaders, and shown nothing', async () => {
    for (const text of ['汇总', '汇总 2024', '逾期', '／汇总　2024']) {
      const o = await w.say(staff, text, { chatId: 'oc_c' });
      expect(o.messages).toHaveLength(1);
      expect(texts(o)).toContain('是给领导查看的');
      expect(texts(o)).not.toMatch(/行政综合性经费|273\.45/);
    }
  });
});

describe('逾期', () => {
  it('lists the overdue evaluations with their missing sections and assignees', async () => {
    const o = await w.say(leader, '逾期', { p2p: true });
    const t = table(cardOf(o));
    expect(t.rows).toEqual([
      ['2024年度城市管理经费', '五华区红云街道办事处', '2025-05-20', '18/21', '年度总体目标（张三）、经验、问题与建议（报告第五至八部分）（未分配）'],
    ]);
  });
});

describe('card size', () => {
  it('stays under 30 KB for 2,000 evaluations, showing the first rows and pointing to the spreadsheet', () => {
    const facts: EvaluationFacts[] = Array.from({ length: 2000 }, (_, i) => ({
      id: i + 1,
      projectName: `某某街道某某专项经费第${i + 1}号项目`,
      year: 2024,
      templateId: 'wuhua-2024',
      chatId: `oc_${i}`,
      status: i % 3 ? 'generated' : 'filling',
      deadline: '2025-05-31',
      assignments: [],
      unit: `五华区某某街道办事处${i % 10}`,
      total: { budget: 2_734_500_000n, arrived: 1_729_100_000n, spent: 1_299_400_000n },
      executionRate: 7515,
      score: 9700,
      grade: '优',
      sectionsDone: 12,
      sectionsTotal: 21,
      gaps: [],
      answeredBy: [],
    }));
    const s = buildSummary(facts, {}, today);
    const card = summaryCard(s);
    expect(table(card).rows).toHaveLength(CARD_ROWS + 1);
    expect(JSON.stringify(card)).toContain(`全部 2000 项见下方汇总表`);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(30_000);
    expect(Buffer.byteLength(JSON.stringify(renderCard(card)))).toBeLessThan(30_000);
    expect(JSON.stringify(renderCard(card))).not.toContain('已截断');
  });
});
