// 沿用: a 2025 evaluation started from the 2024 one, through the bot over real SQLite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import type { Actor, Card, Output } from '../../src/conversation/types';
import { defaultTemplate, examples } from '../../src/domain/registry';
import { formSections, questionAt } from '../../src/domain/questions';
import type { Store } from '../../src/store';
import { openSqlite } from '../../src/store/sqlite';

const zhang: Actor = { userId: 'ou_zhang', name: '张三' };
let store: Store;
let close: () => void;
let bot: ReturnType<typeof createBot>;
let t = Date.UTC(2025, 4, 1);
const seed = examples['wuhua-2024'].answers;
const sections = formSections(defaultTemplate());

beforeEach(() => {
  ({ store, close } = openSqlite(':memory:'));
  bot = createBot({ store });
});
afterEach(() => close());

const say = (text: string, chatId = 'oc_1') => bot.handle({ actor: zhang, place: { chatId, chatType: 'group' }, message: { type: 'text', text }, now: (t += 1000) });
const press = (command: string, chatId = 'oc_1') =>
  bot.handle({ actor: zhang, place: { chatId, chatType: 'group' }, message: { type: 'action', action: { kind: 'command', command } }, now: (t += 1000) });
const text = (o: Output) => o.messages.map((m) => (m.type === 'text' ? m.text : m.type === 'card' ? JSON.stringify(m.card) : '')).join('\n');

/** The 2024 evaluation of the seed, filled and archived in chat oc_1. */
async function last(chatId = 'oc_1') {
  await say('新建评价 行政综合性经费 2024', chatId);
  const ev = (await store.findEvaluationByChat(chatId))!;
  await store.applyAnswers(ev.id, Object.entries(seed).map(([path, value]) => ({ path, value })), zhang, { now: (t += 1000), via: 'text' });
  await say('归档 确认', chatId);
  return ev;
}

describe('沿用', () => {
  it('copies only what the template carries over, shows each as 沿用去年, asks only the rest, and records the source', async () => {
    const old = await last();
    const reply = text(await say('新建评价 行政综合性经费 2025 沿用 2024'));
    expect(reply).toContain('已新建评价：2025年度行政综合性经费');
    expect(reply).toContain('项目基本信息·主管部门 — 沿用去年：昆明市五华区人民政府');
    expect(reply).toContain('项目基本情况（报告第一部分）·单位基本情况 — 沿用去年：');
    const ev = (await store.findEvaluationByChat('oc_1'))!;
    expect(ev.year).toBe(2025);
    const now = await store.getAnswers(ev.id);
    // carried: marked questions only; never figures or scores
    for (const [path, value] of Object.entries(now)) {
      if (path === 'project.name') continue;
      const q = questionAt(sections, path)!.question;
      expect(q.carryOver, path).toBe(true);
      expect(['money', 'percent', 'score']).not.toContain(q.kind);
      expect(value).toEqual(seed[path]);
    }
    expect(now['lineItems[0].name']).toBe('行政综合性经费');
    expect(now['lineItems[0].budget']).toBeUndefined();
    expect(now['ind.outputQuality[1].name']).toBe('案件处置结案率');
    expect(now['ind.outputQuality[1].actual']).toBeUndefined();
    expect(now['ind.executionRate.score']).toBeUndefined();
    expect(now['implementation.completion']).toBeUndefined(); // this year's work is new
    // the first question asked is one that changes every year
    expect(reply).toMatch(/【项目基本信息 5\/8】项目负责人/); // 主管部门, 实施单位… were carried; 负责人 was empty last year
    const h = await store.getHistory(ev.id, 'background.unitInfo');
    expect(h.map((x) => x.via)).toEqual([`沿用 2024年度行政综合性经费（#${old.id}）`]);
    // replaced when answered
    await say('修改 主管部门');
    await say('五华区人民政府');
    expect((await store.getAnswers(ev.id))['project.department']).toBe('五华区人民政府');
    // the 2024 evaluation is untouched
    expect(await store.getAnswers(old.id)).toEqual(seed);
  });

  it('after a plain 新建评价 a button offers the earlier evaluation of the same project; pressing it carries over, keeping given answers', async () => {
    const old = await last('oc_2024');
    const reply = await say('新建评价 行政综合性经费 2025', 'oc_2025');
    const card = reply.messages.find((m) => m.type === 'card') as { card: Card } | undefined;
    const buttons = card?.card.blocks.find((b) => b.type === 'buttons');
    expect(buttons && buttons.type === 'buttons' && buttons.buttons.map((b) => b.action)).toEqual([{ kind: 'command', command: `沿用 #${old.id}` }]);
    await say('五华区政府', 'oc_2025'); // answers the first question asked (主管部门)
    const r = text(await press(`沿用 #${old.id}`, 'oc_2025'));
    expect(r).toContain('已沿用2024年度行政综合性经费的');
    const ev = (await store.findEvaluationByChat('oc_2025'))!;
    const a = await store.getAnswers(ev.id);
    expect(a['project.department']).toBe('五华区政府'); // given this year: kept
    expect(a['background.functions']).toBe(seed['background.functions']);
  });

  it('says which evaluations there are when the one named is not found, and creates nothing', async () => {
    await last();
    const r = text(await say('新建评价 行政综合性经费 2025 沿用 2019'));
    expect(r).toContain('没有找到要沿用的评价“2019”');
    expect(r).toContain('2024年度行政综合性经费');
    expect(await store.findEvaluationByChat('oc_1')).toBeUndefined();
  });
});
