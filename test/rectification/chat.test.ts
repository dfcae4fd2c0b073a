// 整改 in the chat over a real SQLite file on a fake clock: the seed's report turns
// its two problems into items; a measure, owner and deadline are set by command and
// by card; the owner is told once; every change is in the history; closing needs a 说明.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card, Output } from '../../src/conversation/types';
import { bj, example, makeEvaluation, staff, staff2, texts, world, type World } from '../reminders/helpers';

const cards = (o: Output): Card[] => o.messages.flatMap((m) => (m.type === 'card' ? [m.card] : []));
const submitOf = (card: Card) => {
  const form = card.blocks.find((b) => b.type === 'form');
  if (form?.type !== 'form' || form.submit.action.kind !== 'submit') throw new Error('no form');
  return form.submit.action;
};

describe('整改 in the chat', () => {
  let w: World;
  let now = bj('2025-05-20', '10:00');
  beforeEach(async () => {
    now = bj('2025-05-20', '10:00');
    w = world(() => now);
    await makeEvaluation(w.store, { chatId: 'oc_group', projectName: '行政综合性经费', answers: example, by: staff, now });
  });
  afterEach(() => w.cleanup());

  it('turns the report problem list into items once, and lists them', async () => {
    const before = cards(await w.say(staff, '整改'))[0];
    expect(before.blocks[0].type === 'text' && before.blocks[0].text).toContain('还没有整改事项');
    const report = await w.say(staff, '生成报告 确认');
    const said = texts(report);
    expect(said).toContain('问题清单上的2个问题已列为整改事项');
    expect(said).toContain('预算执行率未达到100%');
    expect(said).toContain('满意度');
    // a second report adds nothing
    expect(texts(await w.say(staff, '生成报告'))).not.toContain('已列为整改事项');
    const ev = (await w.store.findEvaluationByChat('oc_group'))!;
    const items = await w.store.listRectItems(ev.id);
    expect(items.map((i) => [i.seq, i.categoryLabel, i.status])).toEqual([
      [1, '资金管理存在的问题', 'todo'],
      [2, '项目效益存在的问题', 'todo'],
    ]);
    expect(items[0].unit).toBe(example['project.unit']);
    const list = cards(await w.say(staff, '整改'))[0];
    expect(list.title).toBe('整改事项：2024年度行政综合性经费');
    const table = list.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.map((r) => [r[0], r[4], r[6]])).toEqual([
      ['1', '未指定', '未开始'],
      ['2', '未指定', '未开始'],
    ]);
  });

  it('sets measure, owner and deadline by command; the owner is told once; history keeps who and when', async () => {
    await w.say(staff, '生成报告 确认');
    expect(texts(await w.say(staff, '整改 1 措施 加快支付进度，按月通报执行率'))).toBe('第1项的整改措施已记下：加快支付进度，按月通报执行率');
    now += 60_000;
    const owner = await w.say(staff, '整改 1 责任人 @李四', { mentions: [staff2] });
    expect(texts(owner)).toContain('第1项的责任人：李四');
    expect(texts(owner)).toContain('@李四 你是整改事项第1项的责任人');
    const told = owner.messages.find((m) => m.type === 'text' && m.text.includes('你是'));
    expect(told?.type === 'text' && told.mentions).toEqual([staff2]);
    // naming the same owner again tells nobody
    expect(texts(await w.say(staff, '整改 1 负责人 @李四', { mentions: [staff2] }))).toBe('第1项没有变化。');
    expect(texts(await w.say(staff, '整改 1 时限 2025年9月30日'))).toBe('第1项的完成时限：2025-09-30（到期前提醒李四，逾期后每个工作日提醒，直到关闭）');
    expect(texts(await w.say(staff, '整改 2 时限 2025-05-01'))).toContain('注意：这个日期已经过了（今天是 2025-05-20）');
    // bad input: a clear answer, nothing changed
    expect(texts(await w.say(staff, '整改 1 时限 明年'))).toBe('没看懂这个日期，请按“年-月-日”填写。\n例如：整改 1 时限 2025-12-31');
    expect(texts(await w.say(staff, '整改 9 措施 x'))).toContain('没有第9项');
    expect(texts(await w.say(staff, '整改 1 完成'))).toContain('要写上说明');
    expect(texts(await w.say(staff, '整改 1 责任人 李四'))).toContain('请 @ 责任人');
    const ev = (await w.store.findEvaluationByChat('oc_group'))!;
    const [item] = await w.store.listRectItems(ev.id);
    expect(item).toMatchObject({ measure: '加快支付进度，按月通报执行率', owner: staff2, dueDate: '2025-09-30', status: 'todo' });
    const history = await w.store.rectHistoryOf(item.id);
    expect(history.map((h) => [h.field, h.newValue, h.byName, h.via])).toEqual([
      ['created', item.description, staff.name, 'report'],
      ['measure', '加快支付进度，按月通报执行率', staff.name, 'text'],
      ['owner', `李四|${staff2.userId}`, staff.name, 'text'],
      ['dueDate', '2025-09-30', staff.name, 'text'],
    ]);
    expect(history[2].at).toBe(bj('2025-05-20', '10:01'));
    // progress starts it; closing needs and keeps the 说明
    expect(texts(await w.say(staff2, '整改 1 进展 已制定支付计划（红财〔2025〕3号）'))).toContain('已记录第1项的整改进展');
    expect((await w.store.getRectItem(item.id))!.status).toBe('doing');
    expect(texts(await w.say(staff2, '整改 1 完成 预算执行率已提高到96%'))).toBe('第1项已标记为“已完成”：预算执行率已提高到96%');
    expect(texts(await w.say(staff, '整改 2 无需整改 满意度调查为抽样误差，已说明'))).toBe(
      '第2项已标记为“无需整改”：满意度调查为抽样误差，已说明\n2024年度行政综合性经费的整改事项已全部关闭。发送“整改情况表”可以生成整改情况表。',
    );
    const list = cards(await w.say(staff, '整改'))[0];
    expect(list.blocks[0].type === 'text' && list.blocks[0].text).toContain('未完成 **0** 项');
  });

  it('saves an item card: good fields saved, a bad one marked, the owner told', async () => {
    await w.say(staff, '整改 1'); // no items yet: explained
    await w.say(staff2, '进度'); // 李四 is seen in the chat
    await w.say(staff, '生成报告 确认');
    const card = cards(await w.say(staff, '整改 2'))[0];
    expect(card.title).toBe('整改事项 第2项');
    const form = card.blocks.find((b) => b.type === 'form');
    expect(form?.type === 'form' && form.fields.find((f) => f.name === 'owner')?.options).toEqual(expect.arrayContaining(['张三', '李四']));
    const action = submitOf(card);
    const out = await w.bot.handle({
      actor: staff,
      place: { chatId: 'oc_group', chatType: 'group' },
      message: { type: 'action', action: { ...action, values: { measure: '开展满意度回访', owner: '李四', due: '2025-08-31', status: '已完成', note: '', evidence: '' } } },
      now,
    });
    expect(out.toast).toEqual({ kind: 'error', text: '1项没有保存，请按提示修改' });
    const ev = (await w.store.findEvaluationByChat('oc_group'))!;
    const item = (await w.store.listRectItems(ev.id))[1];
    expect(item).toMatchObject({ measure: '开展满意度回访', owner: staff2, dueDate: '2025-08-31', status: 'todo' });
    expect(texts(out)).toContain('@李四 你是整改事项第2项的责任人');
    // told once every field of the card is saved: the deadline set on the same card is in it, not asked for
    expect(texts(out)).toContain('完成时限：2025-08-31（到期前和逾期后我会提醒你）');
    expect(texts(out)).not.toContain('还需要定下');
    // the one told message comes after the summary of what was saved
    expect(out.messages.map((m) => (m.type === 'text' ? m.text.slice(0, 6) : m.type))).toEqual(['张三 更新了', '@李四 你是']);
    const note = out.updatedCard!.blocks.find((b) => b.type === 'form');
    expect(note?.type === 'form' && note.fields.find((f) => f.name === 'note')?.error).toContain('要写上说明');
    // a forwarded card (another chat) is refused
    const other = await w.bot.handle({
      actor: staff,
      place: { chatId: 'oc_other', chatType: 'group' },
      message: { type: 'action', action: { ...action, values: { measure: 'x' } } },
      now,
    });
    expect(other.toast?.kind).toBe('error');
    expect((await w.store.getRectItem(item.id))!.measure).toBe('开展满意度回访');
  });

  it('帮助 lists the 整改 commands', async () => {
    const help = texts(await w.say(staff, '帮助'));
    for (const word of ['整改 <序号> 措施', '整改 <序号> 附件', '添加整改', '整改情况表', '整改汇总']) expect(help).toContain(word);
  });

  it('adds an item by hand', async () => {
    expect(texts(await w.say(staff, '添加整改 资金管理 部分支出凭证不完整，未及时归档'))).toContain('已添加整改事项第1项（资金管理存在的问题）：部分支出凭证不完整，未及时归档');
    expect(texts(await w.say(staff, '添加整改 天气 太热'))).toContain('没有“天气”这个类别');
    await w.say(staff, '生成报告 确认');
    const ev = (await w.store.findEvaluationByChat('oc_group'))!;
    expect((await w.store.listRectItems(ev.id)).map((i) => i.seq)).toEqual([1, 2, 3]);
  });
});
