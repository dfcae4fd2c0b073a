// 逾期 over more overdue evaluations than a card lists: the count is of all of them, the rows
// are the earliest deadlines with their missing parts and who has them, and the same scope
// filters as 汇总 apply.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CARD_ROWS } from '../../src/summary/card';
import { admin, bj, exampleWithout, leader, makeEvaluation, staff, world, type World } from '../reminders/helpers';
import { cardOf, table } from './cards';

let w: World;
const at = bj('2025-06-05', '10:00');
const COUNT = CARD_ROWS + 5;
const deadlineOf = (i: number) => `2025-05-${String(1 + (i % 28)).padStart(2, '0')}`;

beforeAll(async () => {
  w = world(() => at);
  for (let i = 0; i < COUNT; i++) {
    const id = await makeEvaluation(w.store, { chatId: `oc_${i}`, projectName: `逾期项目${i}`, answers: exampleWithout('goals.'), deadline: deadlineOf(i) });
    if (i % 2 === 0) await w.store.assign(id, 'goals', staff, admin.userId, at);
  }
  await makeEvaluation(w.store, { chatId: 'oc_later', projectName: '未到期项目', answers: exampleWithout('goals.'), deadline: '2025-06-30' });
  await w.say(admin, '设置领导 @赵局长', { mentions: [leader] });
}, 60_000);
afterAll(() => w.cleanup());

it('counts every overdue evaluation and lists the earliest deadlines, each with its missing parts and their assignees', async () => {
  const o = await w.say(leader, '逾期', { p2p: true });
  const card = cardOf(o);
  expect(JSON.stringify(card)).toContain(`共 **${COUNT}** 项评价已过截止日期仍未完成`);
  expect(JSON.stringify(card)).toContain(`只列出截止最早的 ${CARD_ROWS} 项`);
  const rows = table(card).rows;
  expect(rows).toHaveLength(CARD_ROWS);
  const expected = Array.from({ length: COUNT }, (_, i) => ({ i, deadline: deadlineOf(i) }))
    .sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.i - b.i))
    .slice(0, CARD_ROWS);
  expect(rows.map((r) => r[0])).toEqual(expected.map((e) => `2024年度逾期项目${e.i}`));
  expect(rows.map((r) => r[2])).toEqual(expected.map((e) => e.deadline));
  for (const [k, r] of rows.entries()) expect(r[4]).toContain(`年度总体目标（${expected[k].i % 2 === 0 ? '张三' : '未分配'}）`);
  expect(rows.some((r) => r[0].includes('未到期项目'))).toBe(false);
});

it('takes the same year and unit filters as 汇总', async () => {
  expect(JSON.stringify(cardOf(await w.say(leader, '逾期 2023', { p2p: true })))).toContain('没有逾期未完成的评价');
  expect(JSON.stringify(cardOf(await w.say(leader, '逾期 2024', { p2p: true })))).toContain(`共 **${COUNT}** 项`);
});
