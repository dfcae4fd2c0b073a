// 汇总 (and 逾期, which reads the same kept facts) kept between requests must never be stale: after each kind of change behind it
// (an answer edited here or by another process on the same SQLite file, an evaluation
// added, archived, renamed, a deadline set, the default deadline, a 整改 item, the day
// moving on, a role taken away), the bot that answered before answers exactly what a
// brand-new bot on a fresh connection answers — card and .xlsx read back cell by cell —
// and shows the change itself. The same on the store's D1 code.
import Database from 'better-sqlite3';
import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/conversation/types';
import * as schema from '../../db/schema';
import { createBot } from '../../src/bot';
import { createStore } from '../../src/store';
import { newSummaryKeeper } from '../../src/summary/kept';
import { openSqlite } from '../../src/store/sqlite';
import { D1Shim } from '../store/d1-shim';
import { cardOf, table } from './cards';
import { admin, bj, example, exampleWithout, leader, makeEvaluation, staff, texts, world, type World } from '../reminders/helpers';

let w: World;
const ids: Record<string, number> = {};
let now = bj('2025-05-25', '10:00');
const who = { userId: 'ou_cli', name: '命令行' };

beforeAll(async () => {
  w = world(() => now);
  ids.A = await makeEvaluation(w.store, { chatId: 'oc_a', projectName: '行政综合性经费', answers: example, status: 'generated', deadline: '2025-05-31' });
  ids.B = await makeEvaluation(w.store, { chatId: 'oc_b', projectName: '社区治理经费', answers: exampleWithout('goals.'), deadline: '2025-05-31' });
  ids.C = await makeEvaluation(w.store, { chatId: 'oc_c', projectName: '城市管理经费', answers: exampleWithout('conclusion.') });
  ids.D = await makeEvaluation(w.store, { chatId: 'oc_d', projectName: '上年度项目', year: 2023, answers: example, status: 'generated' });
  await w.say(admin, '设置领导 @赵局长', { mentions: [leader] });
});
afterAll(() => w.cleanup());

const rowsOf = (o: Output) => table(cardOf(o)).rows;

/** Every sheet's cell values, row by row. */
async function cells(o: Output): Promise<unknown[][][]> {
  const f = o.messages.find((m) => m.type === 'file');
  if (f?.type !== 'file') return [];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(f.bytes) as never);
  return wb.worksheets.map((s) => Array.from(s.getSheetValues().slice(1), (r) => (Array.isArray(r) ? r.slice(1) : [])));
}

/** What a brand-new bot on its own connection answers: the truth to compare with. */
async function fresh(text: string): Promise<Output> {
  const o = openSqlite(w.file);
  try {
    const bot = createBot({ store: o.store, admins: [admin.userId] });
    return await bot.handle({ actor: leader, place: { chatId: `p2p_${leader.userId}`, chatType: 'p2p' }, message: { type: 'text', text }, now });
  } finally {
    o.close();
  }
}

/** Asks the long-lived bot and checks its answer equals a fresh bot's; returns the card's rows. */
async function ask(text = '汇总 2024'): Promise<string[][]> {
  const kept = await w.say(leader, text, { p2p: true });
  const truth = await fresh(text);
  expect(JSON.stringify(cardOf(kept))).toBe(JSON.stringify(cardOf(truth)));
  expect(await cells(kept)).toEqual(await cells(truth));
  // 逾期 reads which are overdue from the same kept facts: never stale either
  const overdue = text.replace('汇总', '逾期');
  expect(JSON.stringify(cardOf(await w.say(leader, overdue, { p2p: true })))).toBe(JSON.stringify(cardOf(await fresh(overdue))));
  return rowsOf(kept);
}

/** Another process writing the same file (as `npm run cli` does), on its own connection. */
async function elsewhere(write: (store: ReturnType<typeof openSqlite>['store']) => Promise<unknown>): Promise<void> {
  const o = openSqlite(w.file);
  try {
    await write(o.store);
  } finally {
    o.close();
  }
}

const row = (rows: string[][], name: string) => rows.find((r) => r[0] === name);

describe('汇总 asked again after a change shows the change, equal to a fresh process', () => {
  it('the first answers, per year and for all years', async () => {
    expect((await ask()).map((r) => r[0])).toEqual(['行政综合性经费', '社区治理经费', '城市管理经费', '合计']);
    expect((await ask('汇总')).map((r) => r[0])).toContain('上年度项目');
    await ask(); // nothing changed: the same answer again
  });

  it('after a restart the figures come from the stored facts, no answer read, and equal those derived from the answers', async () => {
    const derived = await w.say(leader, '汇总', { p2p: true });
    const o = openSqlite(w.file);
    try {
      let answersRead = 0;
      const store = { ...o.store, answersOf: async (ids: readonly number[]) => ((answersRead += ids.length), o.store.answersOf(ids)) };
      const bot = createBot({ store, admins: [admin.userId] });
      const restarted = await bot.handle({ actor: leader, place: { chatId: `p2p_${leader.userId}`, chatType: 'p2p' }, message: { type: 'text', text: '汇总' }, now });
      expect(answersRead).toBe(0);
      expect(JSON.stringify(cardOf(restarted))).toBe(JSON.stringify(cardOf(derived)));
      expect(await cells(restarted)).toEqual(await cells(derived));
      expect(rowsOf(restarted).map((r) => r[6])).toEqual(['97分 优', '已完成 19/21 部分', '已完成 19/21 部分', '97分 优', '']);
    } finally {
      o.close();
    }
  });

  it('an answer edited by another process on the same file', async () => {
    await elsewhere((s) => s.applyAnswers(ids.B, [{ path: 'lineItems[0].budget', value: 300 }], who, { now, via: 'cli' }));
    expect(row(await ask(), '社区治理经费')?.[2]).toBe('300.00');
  });

  it('an answer edited through this process, and the unit filter sees the new unit', async () => {
    await w.store.applyAnswers(ids.C, [{ path: 'project.unit', value: '五华区普吉街道办事处' }], staff, { now, via: 'text' });
    expect(row(await ask(), '城市管理经费')?.[1]).toBe('五华区普吉街道办事处');
    expect((await ask('汇总 2024 普吉')).map((r) => r[0])).toEqual(['城市管理经费', '合计']);
  });

  it('an evaluation added by another process, renamed, then archived without a report', async () => {
    let id = 0;
    await elsewhere(async (s) => (id = await makeEvaluation(s, { chatId: 'oc_e', projectName: '新增项目', answers: example })));
    expect(row(await ask(), '新增项目')).toBeDefined();
    await elsewhere((s) => s.updateEvaluation(id, { projectName: '改名项目' }, now));
    const renamed = await ask();
    expect(row(renamed, '新增项目')).toBeUndefined();
    expect(row(renamed, '改名项目')).toBeDefined();
    await elsewhere((s) => s.updateEvaluation(id, { status: 'archived' }, now));
    expect(row(await ask(), '改名项目')).toBeUndefined();
  });

  it('a scored evaluation archived after its report stays, scored', async () => {
    await elsewhere((s) => s.updateEvaluation(ids.A, { documentsVersion: 1, status: 'archived' }, now));
    expect(row(await ask(), '行政综合性经费')?.[6]).toBe('97分 优');
  });

  it('a deadline set on one evaluation, the administrators’ default for the year, and the day moving past them', async () => {
    await w.say(staff, '截止 2025-05-20', { chatId: 'oc_c' });
    expect(texts(await w.say(staff, '是', { chatId: 'oc_c' }))).toContain('2025-05-20'); // a day already past is confirmed first
    expect(row(await ask(), '城市管理经费')?.slice(7)).toEqual(['2025-05-20', '⚠️ 逾期']);
    await w.say(admin, '默认截止 2024 2025-05-28');
    expect(row(await ask(), '城市管理经费')?.[7]).toBe('2025-05-20'); // its own wins
    await elsewhere((s) => s.updateEvaluation(ids.B, { deadline: null }, now));
    expect(row(await ask(), '社区治理经费')?.slice(7)).toEqual(['2025-05-28', '否']);
    now = bj('2025-05-29', '10:00');
    expect(row(await ask(), '社区治理经费')?.slice(7)).toEqual(['2025-05-28', '⚠️ 逾期']);
  });

  it('a 整改 item added, then closed', async () => {
    let itemId = 0;
    await elsewhere(async (s) => {
      const [item] = await s.addRectItems(ids.B, [{ category: 'budget', categoryLabel: '预算执行', description: '预算执行率偏低', unit: '五华区红云街道办事处', sourceKey: '' }], who, { now, via: 'cli' });
      itemId = item.id;
    });
    expect(row(await ask(), '社区治理经费')?.[9]).toBe('1');
    await elsewhere(async (s) => {
      const item = (await s.listRectItems(ids.B)).find((i) => i.id === itemId)!;
      await s.changeRectItem(itemId, { field: 'status', value: 'done' }, { ...item, status: 'done' }, who, { now, via: 'cli' });
    });
    expect(row(await ask(), '社区治理经费')?.[9]).toBe('已完成');
  });

  it('on D1 (the store’s D1 code over the shim), with a bot per request sharing one keeper as a Worker isolate does, the same answers', async () => {
    const raw = new Database(w.file);
    raw.pragma('foreign_keys = ON');
    try {
      const d1 = createStore(drizzleD1(new D1Shim(raw) as never, { schema }), 'd1');
      const storedRead: number[] = [];
      const store = { ...d1, storedSummaryFactsOf: async (ids: readonly number[]) => (storedRead.push(...ids), d1.storedSummaryFactsOf(ids)) };
      const summaries = newSummaryKeeper();
      const onD1 = () =>
        createBot({ store, admins: [admin.userId], summaries }).handle({ actor: leader, place: { chatId: `p2p_${leader.userId}`, chatType: 'p2p' }, message: { type: 'text', text: '汇总 2024' }, now });
      const first = await onD1();
      expect(storedRead.length).toBeGreaterThan(0);
      storedRead.length = 0;
      await w.store.applyAnswers(ids.B, [{ path: 'lineItems[0].budget', value: 280 }], staff, { now, via: 'text' });
      const again = await onD1();
      expect(storedRead).toEqual([ids.B]); // the rest was kept by the isolate's keeper
      const truth = await fresh('汇总 2024');
      expect(rowsOf(first)).not.toEqual(rowsOf(again));
      expect(row(rowsOf(again), '社区治理经费')?.[2]).toBe('280.00');
      expect(JSON.stringify(cardOf(again))).toBe(JSON.stringify(cardOf(truth)));
      expect(await cells(again)).toEqual(await cells(truth));
    } finally {
      raw.close();
    }
  });

  it('a leader whose role was taken away gets the refusal, not the kept answer', async () => {
    await ask();
    await w.say(admin, '取消领导 @赵局长', { mentions: [leader] });
    const o = await w.say(leader, '汇总 2024', { p2p: true });
    expect(o.messages).toHaveLength(1);
    expect(texts(o)).toContain('是给领导查看的');
  });
});
