// The dialog engine through the bot over real SQLite: several people, cards, bad input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { openSqlite } from '../../src/store/sqlite';
import type { Actor, Output } from '../../src/conversation/types';
import type { Store } from '../../src/store';

const zhang: Actor = { userId: 'ou_zhang', name: '张三' };
const li: Actor = { userId: 'ou_li', name: '李四' };
let store: Store;
let close: () => void;
let bot: ReturnType<typeof createBot>;
let t = Date.UTC(2025, 4, 1);

beforeEach(() => {
  ({ store, close } = openSqlite(':memory:'));
  bot = createBot({ store });
});
afterEach(() => close());

const say = (actor: Actor, text: string, mentions: Actor[] = [], chatId = 'oc_1') =>
  bot.handle({ actor, place: { chatId, chatType: 'group' }, message: { type: 'text', text, mentions }, now: (t += 1000) });
const text = (o: Output) => o.messages.map((m) => (m.type === 'text' ? m.text : m.type === 'card' ? JSON.stringify(m.card) : m.fileName)).join('\n');
const evaluation = async () => (await store.findEvaluationByChat('oc_1'))!;

describe('two people answering the same question', () => {
  it('the later answer wins, the history keeps both, and the second person is told whose answer they replaced', async () => {
    await say(zhang, '新建评价 行政综合性经费 2024');
    await say(zhang, '修改 主管部门');
    await say(zhang, '昆明市五华区人民政府');
    await say(li, '修改 主管部门');
    const reply = await say(li, '五华区人民政府');
    expect(text(reply)).toContain('原来是 张三 填写的“昆明市五华区人民政府”');
    const ev = await evaluation();
    expect((await store.getAnswers(ev.id))['project.department']).toBe('五华区人民政府');
    const history = await store.getHistory(ev.id, 'project.department');
    expect(history.map((h) => [h.oldValue, h.newValue, h.byName])).toEqual([
      [null, '昆明市五华区人民政府', '张三'],
      ['昆明市五华区人民政府', '五华区人民政府', '李四'],
    ]);
  });
});

describe('commands and bad input', () => {
  it('accepts commands with a slash, full-width punctuation and extra spaces', async () => {
    expect(text(await say(zhang, '／新建评价　行政综合性经费　２０２４'))).toContain('已新建评价：2024年度行政综合性经费');
    expect(text(await say(zhang, ' /进度 '))).toContain('填写进度');
    expect(text(await say(zhang, '帮助'))).toContain('生成报告');
  });

  it('refuses a bad money answer with the parser message and keeps everything else', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    await say(zhang, '填写 项目支出明细');
    await say(zhang, '行政综合性经费');
    const ev = await evaluation();
    const before = await store.getAnswers(ev.id);
    const bad = await say(zhang, '大约二百万');
    expect(text(bad)).toMatch(/例如/);
    expect(text(bad)).toContain('年初预算数');
    expect(await store.getAnswers(ev.id)).toEqual(before);
    expect(text(await say(zhang, '２７３．４５万元'))).toContain('已记录');
    expect((await store.getAnswers(ev.id))['lineItems[0].budget']).toBe(273.45);
  });

  it('answers an empty message and an unknown one with a hint, not silence', async () => {
    expect(text(await say(zhang, ''))).toContain('帮助');
    await say(zhang, '新建评价 测试项目 2024');
    await say(zhang, '取消');
    expect(text(await say(zhang, '今天天气不错'))).toContain('填写');
  });

  it('does not open a second evaluation in the same chat', async () => {
    await say(zhang, '新建评价 甲项目 2024');
    expect(text(await say(zhang, '新建评价 乙项目 2024'))).toContain('已经有进行中的评价');
    expect((await evaluation()).projectName).toBe('甲项目');
  });

  it('归档 ends the evaluation (asking for confirmation before a report) so the chat can open the next year', async () => {
    await say(zhang, '新建评价 甲项目 2024');
    expect(text(await say(zhang, '归档'))).toContain('归档 确认');
    expect((await evaluation()).status).toBe('filling');
    expect(text(await say(zhang, '归档 确认'))).toContain('已归档');
    expect(await store.findEvaluationByChat('oc_1')).toBeUndefined();
    expect(text(await say(zhang, '新建评价 甲项目 2025'))).toContain('已新建评价：2025年度甲项目');
    expect((await evaluation()).year).toBe(2025);
    expect((await store.listEvaluations({ year: 2024 }))[0].status).toBe('archived');
  });

  it('a paragraph starting with a command word is an answer while a question is asked', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    await say(zhang, '修改 项目实施内容');
    const reply = await say(zhang, '截止2024年12月31日，已完成全部工作。');
    expect(text(reply)).toContain('已记录');
    expect((await evaluation()).deadline).toBeNull();
  });

  it('跳过, 上一题 and 取消 move around without losing answers', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    // first question after 项目名称 is 主管部门
    await say(zhang, '昆明市五华区人民政府');
    await say(zhang, '跳过'); // 实施单位 (required) skipped
    expect(text(await say(zhang, '上一题'))).toContain('项目实施单位');
    await say(zhang, '取消');
    expect((await store.getAnswers((await evaluation()).id))['project.department']).toBe('昆明市五华区人民政府');
    expect(text(await say(zhang, '进度'))).toContain('项目实施单位');
  });

  it('分配 assigns a section to the mentioned person, and 填写 starts with it', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    expect(text(await say(zhang, '分配 资金来源 @李四', [li]))).toContain('已把「资金来源」分配给 @李四');
    expect(text(await say(li, '填写'))).toContain('资金来源');
    expect(text(await say(zhang, '分配 资金来源'))).toContain('请 @');
  });

  it('问题 adds a problem by hand to the chosen category; a wrong category is refused', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    expect(text(await say(zhang, '问题 资金管理 部分支出凭证不完整'))).toContain('资金管理存在的问题');
    expect(text(await say(zhang, '问题 天气 太热'))).toContain('没有“天气”这个类别');
    expect((await store.listProblems((await evaluation()).id)).map((p) => p.description)).toEqual(['部分支出凭证不完整']);
  });

  it('截止 sets the deadline; a bad date is refused', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    expect(text(await say(zhang, '截止 2025年13月1日'))).not.toContain('已设为');
    expect(text(await say(zhang, '截止 2025-05-31'))).toContain('2025-05-31');
    expect((await evaluation()).deadline).toBe('2025-05-31');
  });
});

describe('cards', () => {
  it('a submitted section card saves good fields, marks bad ones, and changes nothing else', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    const ev = await evaluation();
    const out = await bot.handle({
      actor: zhang,
      place: { chatId: 'oc_1', chatType: 'group' },
      message: { type: 'action', action: { kind: 'submit', sectionId: 'lineItems', index: 0, values: { name: '办公经费', budget: '273.45万元', arrived: 'abc', spent: '' } } },
      now: (t += 1000),
    });
    expect(out.toast?.kind).toBe('error');
    const form = out.updatedCard!.blocks.find((b) => b.type === 'form');
    const fields = form && form.type === 'form' ? form.fields : [];
    expect(fields.find((f) => f.name === 'budget')).toMatchObject({ saved: true, value: '273.45' });
    expect(fields.find((f) => f.name === 'arrived')?.error).toMatch(/例如/);
    const answers = await store.getAnswers(ev.id);
    expect(answers['lineItems[0].budget']).toBe(273.45);
    expect(answers['lineItems[0].arrived']).toBeUndefined();
    expect(answers['lineItems[0].name']).toBe('办公经费');
  });

  it('a card that answers the question being asked in text moves the text flow on', async () => {
    await say(zhang, '新建评价 测试项目 2024');
    expect(text(await say(zhang, '填写 资金来源'))).toContain('【资金来源·第1项 1/4】资金来源');
    const out = await bot.handle({
      actor: zhang,
      place: { chatId: 'oc_1', chatType: 'group' },
      message: { type: 'action', action: { kind: 'submit', sectionId: 'sources', index: 0, values: { source: '区级财政', budget: '273.45' } } },
      now: (t += 1000),
    });
    expect(text(out)).toContain('【资金来源·第1项 3/4】实际到位数');
    // a plain reply now answers 实际到位数, not the 资金来源 the card already filled
    await say(zhang, '172.91');
    const answers = await store.getAnswers((await evaluation()).id);
    expect(answers['sources[0].source']).toBe('区级财政');
    expect(answers['sources[0].arrived']).toBe(172.91);
  });

  it('a card made for another evaluation (forwarded or stale) is refused and saves nothing', async () => {
    await say(zhang, '新建评价 甲项目 2024');
    await say(zhang, '新建评价 乙项目 2024', [], 'oc_2');
    const a = (await store.findEvaluationByChat('oc_1'))!;
    const b = (await store.findEvaluationByChat('oc_2'))!;
    const out = await bot.handle({
      actor: li,
      place: { chatId: 'oc_2', chatType: 'group' },
      message: { type: 'action', action: { kind: 'submit', evaluationId: a.id, sectionId: 'project', values: { department: '某部门' } } },
      now: (t += 1000),
    });
    expect(out.toast).toMatchObject({ kind: 'error' });
    expect(out.toast?.text).toContain('另一个评价');
    expect((await store.getAnswers(b.id))['project.department']).toBeUndefined();
    expect((await store.getAnswers(a.id))['project.department']).toBeUndefined();
  });

  it('a card from a chat with no evaluation is refused', async () => {
    const out = await bot.handle({
      actor: li,
      place: { chatId: 'oc_other', chatType: 'group' },
      message: { type: 'action', action: { kind: 'submit', sectionId: 'project', values: { name: 'x' } } },
      now: (t += 1000),
    });
    expect(text(out)).toContain('还没有进行中的评价');
  });
});
