// The 整改情况表 .docx on request, read back: a row per item with its measure, unit,
// owner, deadline and outcome; landscape A4; well-formed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Output } from '../../src/conversation/types';
import { assertWellFormed, documentXml, paragraphs, tables } from '../documents/helpers';
import { bj, example, makeEvaluation, staff, staff2, texts, world, type World } from '../reminders/helpers';

const fileOf = (o: Output) => o.messages.find((m) => m.type === 'file') as { fileName: string; bytes: Uint8Array } | undefined;

describe('整改情况表', () => {
  let w: World;
  beforeEach(async () => {
    w = world(() => bj('2025-07-01', '10:00'));
    await makeEvaluation(w.store, { chatId: 'oc_group', projectName: '行政综合性经费', answers: example, by: staff });
  });
  afterEach(() => w.cleanup());

  it('is explained before there are items, and printed with every item and its outcome after', async () => {
    expect(texts(await w.say(staff, '整改情况表'))).toContain('还没有整改事项');
    await w.say(staff, '生成报告 确认');
    await w.say(staff, '整改 1 措施 加快支付进度，按月通报执行率');
    await w.say(staff, '整改 1 责任人 @李四', { mentions: [staff2] });
    await w.say(staff, '整改 1 时限 2025-09-30');
    await w.say(staff2, '整改 1 进展 已制定支付计划');
    await w.say(staff, '整改 2 无需整改 满意度扣分因样本偏少，已在报告中说明');
    const out = await w.say(staff, '整改情况表');
    expect(texts(out)).toBe('整改情况表：共2项，还有1项未完成。');
    const file = fileOf(out)!;
    expect(file.fileName).toBe('2024年度行政综合性经费问题整改情况表.docx');
    const xml = await documentXml(file.bytes);
    assertWellFormed(xml);
    expect(xml).toContain('w:orient="landscape"');
    // the title breaks between its parts, not inside a word ("…整改情 / 况表")
    expect(paragraphs(xml).slice(0, 2)).toEqual([`${example['project.unit']}2024年度行政综合性经费`, '绩效评价问题整改情况表']);
    const [table] = tables(xml);
    const rows = table.rows.map((r) => r.map((c) => c.text));
    expect(rows[0]).toEqual(['序号', '问题分类', '问题描述', '整改措施', '责任单位', '责任人', '完成时限', '完成情况']);
    expect(rows.slice(1)).toEqual([
      ['1', '资金管理存在的问题', expect.stringContaining('预算执行率未达到100%'), '加快支付进度，按月通报执行率', example['project.unit'], '李四', '2025-09-30', '整改中：已制定支付计划'],
      ['2', '项目效益存在的问题', expect.stringContaining('满意度'), '', example['project.unit'], '', '', '无需整改：满意度扣分因样本偏少，已在报告中说明'],
    ]);
  });
});
