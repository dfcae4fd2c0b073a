// 归档 in a chat: a finished evaluation stays in the leaders' summary; an abandoned one leaves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bj, example, leader, staff, world, type World } from '../reminders/helpers';

let w: World;
const at = bj('2025-06-05', '10:00');

beforeAll(async () => {
  w = world(() => at);
  await w.say(admin, '设置领导 @赵局长', { mentions: [leader] });
  // finished: filled, report generated, then archived by the staff in the chat
  await w.say(staff, '新建评价 行政综合性经费 2024', { chatId: 'oc_done' });
  const done = (await w.store.findEvaluationByChat('oc_done'))!;
  await w.store.applyAnswers(done.id, Object.entries(example).map(([path, value]) => ({ path, value })), staff, { now: at, via: 'cli' });
  await w.say(staff, '生成报告 确认', { chatId: 'oc_done' });
  await w.say(staff, '归档', { chatId: 'oc_done' });
  // abandoned: opened, archived without a report
  await w.say(staff, '新建评价 作废项目 2024', { chatId: 'oc_gone' });
  await w.say(staff, '归档 确认', { chatId: 'oc_gone' });
});
afterAll(() => w.cleanup());

describe('archived evaluations in the summary', () => {
  it('the one archived after its report is listed as scored; the abandoned one is not', async () => {
    const out = await w.say(leader, '汇总 2024', { p2p: true });
    const card = JSON.stringify(out.messages.find((m) => m.type === 'card'));
    expect(card).toContain('行政综合性经费');
    expect(card).toContain('97分 优');
    expect(card).not.toContain('作废项目');
    expect(await w.store.findEvaluationByChat('oc_done')).toBeUndefined();
  });
});
