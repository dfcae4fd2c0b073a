// The traps people fell into in the chat (issue 11), each through the real bot over SQLite.
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examples } from '../../src/domain/registry';
import { loadFacts } from '../../src/summary/load';
import { templates } from '../../src/domain/registry';
import { isComplete } from '../../src/domain/summary';
import { chat, li, text, wang, zhang } from './helpers';

let c: ReturnType<typeof chat>;
beforeEach(() => {
  c = chat();
});
afterEach(() => c.close());

const example = Object.fromEntries(Object.entries(examples['wuhua-2024'].answers).filter(([k]) => !k.startsWith('weights.')));

describe('生成报告 on an unfinished evaluation', () => {
  it('sends drafts marked as such in the documents, and the evaluation stays 填写中 for summaries and reminders', async () => {
    await c.say(zhang, '新建评价 行政综合性经费 2024');
    await c.say(zhang, '五华区人民政府');
    const out = await c.say(zhang, '生成报告');
    expect(text(out)).toContain('草稿');
    const files = out.messages.flatMap((m) => (m.type === 'file' ? [m] : []));
    expect(files.map((f) => f.fileName)).toEqual([
      '2024年度行政综合性经费-附件1-评价表（草稿）.docx',
      '2024年度行政综合性经费-附件2-绩效评价报告（草稿）.docx',
      '2024年度行政综合性经费-附件3-问题清单（草稿）.docx',
    ]);
    for (const f of files) expect(await (await JSZip.loadAsync(f.bytes)).file('word/document.xml')!.async('string')).toContain('草稿：评价尚未填完');
    const ev = await c.evaluation();
    expect(ev.status).toBe('filling');
    expect(await c.store.latestDocuments(ev.id)).toEqual([]);
    const [facts] = await loadFacts(c.store, { templates });
    expect(facts.status).toBe('filling');
    expect(isComplete(facts)).toBe(false);
  });

  it('lists the reviewer warnings before the final documents; 确认 records who and when, and leaders see it', async () => {
    const leader = { userId: 'ou_boss', name: '赵局长' };
    c.close();
    c = chat({ admins: ['ou_admin'] });
    await c.say({ userId: 'ou_admin', name: '管理员' }, '设置领导 @赵局长', [leader]);
    await c.say(zhang, '新建评价 行政综合性经费 2024');
    const ev = await c.evaluation();
    await c.store.applyAnswers(ev.id, Object.entries(example).map(([path, value]) => ({ path, value })), zhang, { now: c.clock.t, via: 'cli' });
    const first = await c.say(zhang, '生成报告');
    expect(text(first)).toContain('审核提示');
    expect(text(first)).toContain('确认');
    expect(first.messages.some((m) => m.type === 'file')).toBe(false);
    expect((await c.evaluation()).status).toBe('filling');
    const done = await c.say(li, '确认');
    expect(done.messages.filter((m) => m.type === 'file')).toHaveLength(3);
    expect(text(done)).toContain('已由 李四 确认');
    const after = await c.evaluation();
    expect(after.status).toBe('generated');
    expect(after.warningsConfirmed).toMatchObject({ userId: li.userId, name: '李四', at: c.clock.t });
    expect(after.warningsConfirmed!.warnings.length).toBeGreaterThan(0);
    const summary = await c.bot.handle({ actor: leader, place: { chatId: 'p2p_boss', chatType: 'p2p' }, message: { type: 'text', text: '汇总 2024' }, now: c.clock.t });
    expect(text(summary)).toMatch(/行政综合性经费：\d+ 条，李四 于 2025-05-10 \d\d:\d\d 确认/);
  });
});

describe('an open question does not catch casual replies', () => {
  it('“好的” and “不用了” are not stored as answers without asking', async () => {
    await c.say(zhang, '新建评价 测试项目 2024'); // asks 主管部门
    expect(text(await c.say(zhang, '好的'))).toContain('是「主管部门」的答案吗');
    expect((await c.answers())['project.department']).toBeUndefined();
    expect(text(await c.say(zhang, '昆明市五华区人民政府'))).toContain('已记录');
    await c.say(zhang, '五华区红云街道办事处'); // 实施单位; now 部门名称（公章）
    await c.say(zhang, '不用了');
    expect((await c.answers())['project.unitFullName']).toBeUndefined();
  });

  it('a casual reply confirmed with 是 is recorded (it was asked about again and again)', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    expect(text(await c.say(zhang, '无'))).toContain('是「主管部门」的答案吗');
    expect(text(await c.say(zhang, '是'))).toContain('已记录：主管部门 ＝ 无');
    expect((await c.answers())['project.department']).toBe('无');
  });

  it('a bare amount, number or date where a name is asked for is asked about first: 是 records it, a real answer replaces it', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    expect(text(await c.say(zhang, '２７３.４５万元'))).toContain('“２７３.４５万元”是一个数字，不像「主管部门」的答案');
    expect((await c.answers())['project.department']).toBeUndefined();
    expect(text(await c.say(zhang, '昆明市五华区人民政府'))).toContain('已记录：主管部门 ＝ 昆明市五华区人民政府');
    expect(text(await c.say(zhang, '2025-05-31'))).toContain('不像「项目实施单位」的答案');
    expect(text(await c.say(zhang, '是'))).toContain('已记录：项目实施单位 ＝ 2025-05-31');
    // a name with digits in it is a name
    await c.say(zhang, '修改 项目实施单位');
    expect(text(await c.say(zhang, '五华区第3街道办事处'))).toContain('已记录');
    expect((await c.answers())['project.unit']).toBe('五华区第3街道办事处');
  });

  it('a question lapses after a quiet while: a late reply is asked about, and taken on 是', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    c.clock.t += 3 * 3600_000;
    expect(text(await c.say(zhang, '五华区人民政府'))).toContain('之前问你的是「主管部门」');
    expect((await c.answers())['project.department']).toBeUndefined();
    expect(text(await c.say(zhang, '是'))).toContain('已记录：主管部门 ＝ 五华区人民政府');
  });

  it('the question belongs to the person asked: someone else’s reply is not its answer', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(li, '昆明市五华区人民政府');
    expect((await c.answers())['project.department']).toBeUndefined();
  });
});

describe('修改 uses its own list', () => {
  it('numbers the matches; a number or a pasted line picks the question', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    const list = text(await c.say(zhang, '修改 年初预算数'));
    expect(list).toContain('1. 项目支出明细·第1项·年初预算数（万元）');
    expect(list).toContain('2. 资金来源·第1项·年初预算数（万元）');
    expect(text(await c.say(zhang, '2'))).toContain('【资金来源·第1项 2/4】年初预算数');
    expect(text(await c.say(zhang, '修改 资金来源·第1项·年初预算数（万元）'))).toContain('【资金来源·第1项 2/4】');
    expect(text(await c.say(zhang, '修改 项目支出明细 第1项 年初预算数'))).toContain('【项目支出明细·第1项 2/4】');
  });

  it('“修改 分值” with many matches lists them rather than jumping to one', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    const out = text(await c.say(zhang, '修改 分值'));
    expect(out).toMatch(/有\d+道题都符合“分值”/);
    expect(out).toContain('1. 指标评分·产出·产出数量（10分）·第1项·分值');
  });
});

describe('answers checked when they arrive', () => {
  const toBudget = async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '填写 项目支出明细');
    await c.say(zhang, '行政综合性经费');
  };

  it('¥2,734,500 is asked about, not stored as 2,734,500 万元', async () => {
    await toBudget();
    expect(text(await c.say(zhang, '¥2,734,500'))).toMatch(/按元/);
    expect((await c.answers())['lineItems[0].budget']).toBeUndefined();
    expect(text(await c.say(zhang, '2,734,500元'))).toContain('已记录：年初预算数（万元） ＝ 273.45');
  });

  it('1729100 (and 1729) against a budget of 100 is asked about; 129.94元 among hundreds of 万元 too', async () => {
    await toBudget();
    await c.say(zhang, '100');
    expect(text(await c.say(zhang, '1729100'))).toMatch(/按元/);
    expect((await c.answers())['lineItems[0].arrived']).toBeUndefined();
    // not absurd on its own, but far above the budget beside it
    expect(text(await c.say(zhang, '1729'))).toContain('十倍以上');
    expect((await c.answers())['lineItems[0].arrived']).toBeUndefined();
    await c.say(zhang, '172.91');
    expect(text(await c.say(zhang, '129.94元'))).toContain('是不是想写“129.94”');
    expect((await c.answers())['lineItems[0].spent']).toBeUndefined();
    expect(text(await c.say(zhang, '是'))).toContain('已记录');
    expect((await c.answers())['lineItems[0].spent']).toBe(0.012994);
  });

  it('a first amount written in 元 and under 1 万元 is asked about (nothing to compare it with yet); 是 keeps it', async () => {
    await toBudget();
    expect(text(await c.say(zhang, '273.45元'))).toContain('“273.45元”只有 0.027345 万元。金额按万元填写，是不是想写“273.45”');
    expect((await c.answers())['lineItems[0].budget']).toBeUndefined();
    expect(text(await c.say(zhang, '273.45'))).toContain('已记录：年初预算数（万元） ＝ 273.45');
  });

  it('a small amount that really is in 元 is kept on 是', async () => {
    await toBudget();
    expect(text(await c.say(zhang, '5000元'))).toContain('只有 0.50 万元');
    expect(text(await c.say(zhang, '是'))).toContain('已记录：年初预算数（万元） ＝ 0.50');
    expect((await c.answers())['lineItems[0].budget']).toBe(0.5);
  });

  it('weights over their 二级 are refused, and a group that does not add up is not done', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '填写 产出质量');
    await c.say(zhang, '甲 4 正向 100 100 % 4\n乙 3 正向 100 100 % 3');
    expect(text(await c.say(zhang, '否'))).toContain('各指标分值合计7分，应为10分');
    expect(text(await c.say(zhang, '进度'))).toMatch(/产出质量（10分）","✏️ 填写中","—","各指标分值合计7分，应为10分"/);
    expect(text(await c.say(zhang, '丙 4 正向 100 100 % 4'))).toContain('这一项最多3分');
    expect((await c.answers())['ind.outputQuality[2].weight']).toBeUndefined();
  });

  it('a self-score outside its achievement band is refused; a negative 分值 too', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '填写 决策');
    await c.say(zhang, '部分达成');
    expect(text(await c.say(zhang, '5'))).toContain('得分应在60%–80%之间');
    expect((await c.answers())['ind.basisSufficiency.score']).toBeUndefined();
    await c.say(zhang, '填写 产出数量');
    await c.say(zhang, '完成数');
    expect(text(await c.say(zhang, '-3'))).toContain('不能是负数');
    expect((await c.answers())['ind.outputQuantity[0].weight']).toBeUndefined();
  });
});

describe('progress', () => {
  it('right after 新建评价 nothing is done; an optional part is done once someone passes it', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    const first = text(await c.say(zhang, '进度'));
    expect(first).toContain('已完成 0/21 部分');
    expect(first).not.toContain('✅');
    await c.say(zhang, '填写 评价人员');
    await c.say(zhang, '没有');
    expect(text(await c.say(zhang, '进度'))).toContain('已完成 1/21 部分');
  });
});

describe('ownership', () => {
  it('someone with no assignment is offered the unassigned parts, not told they are done', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '分配 1-21 @张三', [zhang]);
    const out = text(await c.say(li, '填写'));
    expect(out).not.toContain('你负责的部分都填完了');
    expect(out).toContain('你还没有分配到要填的部分');
    expect(out).toContain('1. 项目基本信息（张三，填写中）');
  });

  it('opening someone else’s part says whose it is before the first answer', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '分配 资金来源 @李四', [li]);
    expect(text(await c.say(wang, '填写 资金来源'))).toContain('「资金来源」由 李四 负责');
  });
});

describe('in the middle of a question', () => {
  it('a command leaves the question asked again, briefly', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    const out = await c.say(zhang, '进度');
    const last = out.messages[out.messages.length - 1];
    expect(last.type === 'text' && last.text).toBe('接着回答：【项目基本信息 2/8】主管部门');
  });

  it('a past deadline is asked about before it is set', async () => {
    c.close();
    c = chat({ start: Date.UTC(2026, 10, 28, 2) });
    await c.say(zhang, '新建评价 测试项目 2026');
    expect(text(await c.say(zhang, '截止 2026-11-20'))).toContain('已经过去了');
    expect((await c.evaluation()).deadline).toBeNull();
    expect(text(await c.say(zhang, '对'))).toContain('截止日期已设为 2026-11-20');
    expect((await c.evaluation()).deadline).toBe('2026-11-20');
  });

  it('a long answer comes in several messages, shows its length and ending, and never stores a broken character', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '修改 项目完成情况');
    const part1 = '一'.repeat(900);
    expect(text(await c.say(zhang, `${part1}（未完）`))).toContain('共900字');
    const out = text(await c.say(zhang, '二'.repeat(300) + '完成。'));
    expect(out).toContain('共1,204字，结尾：“……二二二二二二二二二完成。”');
    expect((await c.answers())['implementation.completion']).toBe(`${part1}\n${'二'.repeat(300)}完成。`);
    await c.say(zhang, '修改 项目的组织及管理');
    expect(text(await c.say(zhang, '组织得很好\uFFFD'))).toContain('残缺的字符');
    expect(text(await c.say(zhang, `组织得很好${'\uD83D'}`))).toContain('残缺的字符');
    expect((await c.answers())['implementation.organization']).toBeUndefined();
  });
});

describe('several answers in one message', () => {
  it('a whole row on one line stores every value of it', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '填写 资金来源');
    expect(text(await c.say(zhang, '区级财政 273.45 172.91 129.94'))).toContain('已记下1行');
    expect(await c.answers()).toMatchObject({ 'sources[0].source': '区级财政', 'sources[0].budget': 273.45, 'sources[0].arrived': 172.91, 'sources[0].spent': 129.94 });
  });

  it('a block of 标签：值 lines says what it took and what not', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    const out = text(await c.say(zhang, '主管部门：昆明市五华区人民政府\n项目类型：经常\n绩效自评日期：2025年13月'));
    expect(out).toContain('已记下2项');
    expect(out).toContain('没有记下');
    expect(out).toContain('绩效自评日期：“2025年13月”');
    expect(await c.answers()).toMatchObject({ 'project.department': '昆明市五华区人民政府', 'project.type': '经常性项目' });
    expect((await c.answers())['project.selfEvalDate']).toBeUndefined();
  });

  it('numbered answers go to the questions with those numbers', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '1. 测试项目\n2. 五华区人民政府\n3. 红云街道办事处');
    expect(await c.answers()).toMatchObject({ 'project.department': '五华区人民政府', 'project.unit': '红云街道办事处' });
  });

  it('分配 takes several sections, numbers, ranges and people at once', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '分配 项目基本信息 项目支出明细 预算构成 @张三 1,2,4 @李四', [zhang, li]);
    expect((await c.store.getAssignments((await c.evaluation()).id)).length).toBe(3);
    const out = text(await c.say(zhang, '分配 6-8 @王五 决策 过程 @李四', [wang, li]));
    expect(out).toContain('已把「年度总体目标」「项目基本情况（报告第一部分）」「项目完成与管理（报告第一部分）」分配给 @王五');
    expect(out).toContain('已把「指标评分·决策」「指标评分·过程」分配给 @李四');
    expect(text(await c.say(zhang, '分配 资金 天气 @王五', [wang]))).toContain('没有找到这些部分：天气');
  });

  it('yes and no are understood however people say them', async () => {
    await c.say(zhang, '新建评价 测试项目 2024');
    await c.say(zhang, '填写 预算构成');
    expect(text(await c.say(zhang, '好的'))).toContain('【预算构成·第1项 1/2】用途');
    await c.say(zhang, '办公经费 65');
    expect(text(await c.say(zhang, '不用了'))).toContain('「预算构成」这一部分填完了');
  });
});
