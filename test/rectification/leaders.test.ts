// The leaders' view over real SQLite: 整改汇总 (card, chart by unit, .xlsx read back)
// against the items; 汇总 with its charts and the open 整改 per evaluation; the charts
// drawn for Lark (accepted by the fake platform's checks, and sent through the real
// SDK to it), for the terminal and as SVG.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/channels/lark/cards';
import { drawCard } from '../../src/channels/console/cardText';
import { chartSvg } from '../../src/channels/chartSvg';
import { createBot } from '../../src/bot';
import type { Card, Chart, Output } from '../../src/conversation/types';
import { chartProblems } from '../lark/chartCheck';
import { BOT_OPEN_ID, startHarness, type Harness } from '../lark/harness';
import { admin, bj, example, leader, makeEvaluation, staff, staff2, texts, world, type World } from '../reminders/helpers';

const cardOf = (o: Output): Card => o.messages.find((m) => m.type === 'card')!.card as Card;
const chartsOf = (c: Card): Chart[] => c.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []));
const fileOf = (o: Output) => o.messages.find((m) => m.type === 'file') as { fileName: string; bytes: Uint8Array } | undefined;

async function setUp(w: World) {
  const at = { now: bj('2025-06-20', '10:00') };
  await w.say(admin, '设置领导 @赵局长', { mentions: [leader], ...at });
  // A: the seed (two problems), B: the seed under another unit with an execution rate of 100%
  const A = await makeEvaluation(w.store, { chatId: 'oc_a', projectName: '行政综合性经费', answers: example });
  const B = await makeEvaluation(w.store, { chatId: 'oc_b', projectName: '社区治理经费', answers: { ...example, 'project.unit': '红云街道社区服务中心' } });
  for (const chatId of ['oc_a', 'oc_b']) expect(texts(await w.say(staff, '生成报告', { chatId, ...at }))).toContain('已列为整改事项');
  await w.say(staff, '整改 1 时限 2025-06-10', { chatId: 'oc_a', ...at }); // overdue on the 20th
  await w.say(staff, '整改 1 责任人 @李四', { chatId: 'oc_a', mentions: [staff2], ...at });
  await w.say(staff, '整改 2 时限 2025-09-30', { chatId: 'oc_a', ...at });
  await w.say(staff, '整改 1 完成 已整改', { chatId: 'oc_b', ...at });
  await w.say(staff, '整改 2 时限 2025-06-01', { chatId: 'oc_b', ...at }); // overdue
  return { A, B };
}

describe('整改汇总 and 汇总 for leaders', () => {
  let w: World;
  let ids: { A: number; B: number };
  beforeAll(async () => {
    w = world(() => bj('2025-06-20', '10:00'));
    ids = await setUp(w);
  }, 60_000);
  afterAll(() => w.cleanup());

  it('整改汇总 is for leaders', async () => {
    expect(texts(await w.say(staff, '整改汇总'))).toContain('是给领导查看的');
  });

  it('lists every open item with owner and deadline, the chart by unit and the .xlsx agree with the items', async () => {
    const out = await w.say(leader, '整改汇总', { p2p: true });
    const card = cardOf(out);
    const open = [...(await w.store.listRectItems(ids.A)), ...(await w.store.listRectItems(ids.B))].filter((i) => i.status !== 'done');
    expect(open).toHaveLength(3);
    expect(card.blocks[0].type === 'text' && card.blocks[0].text).toBe('截至 2025-06-20，2 个评价共有 **3** 项整改未完成，其中逾期 **2** 项。');
    const table = card.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.map((r) => [r[0], r[1], r[4], r[5], r[6]])).toEqual([
      ['2024年度社区治理经费', '2', '未指定', '2025-06-01', '未开始（已逾期）'],
      ['2024年度行政综合性经费', '1', '李四', '2025-06-10', '未开始（已逾期）'],
      ['2024年度行政综合性经费', '2', '未指定', '2025-09-30', '未开始'],
    ]);
    const [chart] = chartsOf(card);
    const unitA = example['project.unit'] as string;
    expect(chart).toEqual({
      kind: 'bar',
      title: '各单位未完成的整改事项',
      categories: [unitA, '红云街道社区服务中心'],
      series: [
        { name: '未完成', values: [2, 1] },
        { name: '已逾期', values: [1, 1] },
      ],
      unit: '项',
    });
    const file = fileOf(out)!;
    expect(file.fileName).toBe('整改汇总_2025-06-20.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.bytes) as never);
    const rows = wb.getWorksheet('未完成的整改')!.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => [r[2], r[7], r[8], r[10]])).toEqual([
      ['2024年度社区治理经费', '', '2025-06-01', '是'],
      ['2024年度行政综合性经费', '李四', '2025-06-10', '是'],
      ['2024年度行政综合性经费', '', '2025-09-30', '否'],
    ]);
    const byUnit = wb.getWorksheet('按单位')!.getSheetValues().slice(2) as unknown[][];
    expect(byUnit.map((r) => r.slice(1))).toEqual([
      [unitA, 2, 1],
      ['红云街道社区服务中心', 1, 1],
    ]);
  });

  it('汇总 shows grades, execution rates against 90% and the open 整改 of each evaluation', async () => {
    const card = cardOf(await w.say(leader, '汇总', { p2p: true }));
    const [grades, rates] = chartsOf(card);
    expect(grades).toEqual({ kind: 'pie', title: '评价等次', categories: ['优'], series: [{ name: '评价数', values: [2] }], unit: '项' });
    expect(rates).toMatchObject({ kind: 'bar', categories: ['行政综合性经费', '社区治理经费'], series: [{ values: [75.15, 75.15] }], threshold: { value: 90, label: '90%' } });
    const table = card.blocks.find((b) => b.type === 'table');
    if (table?.type !== 'table') throw new Error('no table');
    expect(table.columns.at(-1)).toBe('未完成整改');
    expect(table.rows.map((r) => [r[0], r.at(-1)])).toEqual([
      ['行政综合性经费', '2（逾期1）'],
      ['社区治理经费', '1（逾期1）'],
      ['合计', '3（逾期2）'],
    ]);
  });

  it('draws the charts as Lark chart elements the platform accepts, as terminal bars and as SVG', async () => {
    const card = cardOf(await w.say(leader, '汇总', { p2p: true }));
    const lark = renderCard(card);
    expect(chartProblems(lark)).toEqual([]);
    const elements = (lark.body as { elements: Record<string, unknown>[] }).elements.filter((e) => e.tag === 'chart');
    expect(elements).toHaveLength(2);
    const spec = elements[1].chart_spec as Record<string, unknown>;
    expect(spec.type).toBe('bar');
    expect((spec.data as { values: unknown[] }).values).toEqual([
      { x: '行政综合性经费', y: 75.15, series: '预算执行率' },
      { x: '社区治理经费', y: 75.15, series: '预算执行率' },
    ]);
    expect(spec.markLine).toEqual([expect.objectContaining({ y: 90 })]);
    // the checks catch what Lark refuses
    const bad = structuredClone(lark) as { body: { elements: Record<string, unknown>[] } };
    (bad.body.elements[1].chart_spec as Record<string, unknown>).bar = { style: { texture: 'circle' } };
    bad.body.elements.push(...Array(4).fill(bad.body.elements[1]));
    expect(chartProblems(bad).join('\n')).toMatch(/6 charts in one card[\s\S]*texture fails on mobile/);
    // terminal and SVG
    const text = drawCard(card).text;
    expect(text).toContain('📊 预算执行率');
    expect(text).toContain('（┆ 为 90% 参考线）');
    const svg = chartSvg(chartsOf(card)[1]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray');
  });
});

describe('the charts through the real SDK to the fake platform', () => {
  let h: Harness | undefined;
  afterAll(async () => h?.close());
  it('sends the 汇总 and 整改汇总 cards, and the platform accepts their charts', async () => {
    const now = () => bj('2025-06-20', '10:00');
    let bot: ReturnType<typeof createBot> | undefined;
    h = await startHarness((store) => (bot = createBot({ store, admins: [admin.userId] })), { now });
    // the same setup as above, through the bot the Lark core uses
    const say: World['say'] = (actor, text, o = {}) =>
      bot!.handle({
        actor,
        place: { chatId: o.p2p ? `p2p_${actor.userId}` : (o.chatId ?? 'oc_group'), chatType: o.p2p ? 'p2p' : 'group' },
        message: { type: 'text', text, ...(o.mentions ? { mentions: o.mentions } : {}) },
        now: o.now ?? now(),
      });
    await setUp({ store: h.opened.store, say } as World);
    for (const text of ['汇总', '整改汇总'])
      await h.side.post(h.side.messageEvent({ chatId: 'oc_lead', senderId: leader.userId, text, mentionBot: { openId: BOT_OPEN_ID } }));
    await h.app.idle();
    await h.sender.drain();
    const cards = h.fake.messages.filter((m) => m.msgType === 'interactive');
    expect(cards.map((m) => (m.content.match(/\\?"tag\\?":\\?"chart\\?"/g) ?? []).length).sort()).toEqual([1, 2]);
    expect(await h.opened.store.pendingCount()).toBe(0);
  });
});
