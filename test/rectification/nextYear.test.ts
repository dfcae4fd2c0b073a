// Next year's evaluation of the same project starts with last year's 整改 items and
// their outcome: shown in the chat, and, where the template has a 上年问题整改情况
// question (prefill: lastYearRectification), stored as its answer with the history.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { parseTemplate, templates } from '../../src/domain/registry';
import type { Template } from '../../src/domain/template';
import { build, documentXml, paragraphs } from '../documents/helpers';
import { bj, example, makeEvaluation, staff, staff2, texts, world, type World } from '../reminders/helpers';

/** The shipped template with a 上年问题整改情况 question, as a form that has that part would. */
function withLastYearPart(): Template {
  const t = structuredClone(templates.find((x) => x.id === 'wuhua-2024')!) as Template & { sections: { id: string; questions: { prefill?: string }[] }[] };
  const conclusion = t.sections.find((s) => s.id === 'conclusion')!;
  // a form with its own part: that part, not 其他需要说明的问题, takes last year's 整改
  for (const q of conclusion.questions) delete q.prefill;
  conclusion.questions.push({ id: 'lastYear', label: '上年问题整改情况', kind: 'longText', required: false, prefill: 'lastYearRectification' });
  const parsed = parseTemplate(t);
  if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
  return parsed.template;
}

describe('next year starts with last year', () => {
  let w: World;
  beforeEach(async () => {
    w = world(() => bj('2025-06-01', '10:00'));
    await makeEvaluation(w.store, { chatId: 'oc_group', projectName: '行政综合性经费', answers: example, by: staff });
    await w.say(staff, '生成报告 确认');
    await w.say(staff, '整改 1 措施 加快支付进度');
    await w.say(staff, '整改 1 责任人 @李四', { mentions: [staff2] });
    await w.say(staff2, '整改 1 完成 预算执行率已提高到96%', { now: bj('2025-12-01', '10:00') });
    await w.say(staff, '归档', { now: bj('2025-12-02') });
  });
  afterEach(() => w.cleanup());

  it('shows last year\'s items and outcome when the new evaluation starts', async () => {
    const out = texts(await w.say(staff, '新建评价 行政综合性经费 2025', { now: bj('2026-03-01', '10:00') }));
    expect(out).toContain('已新建评价：2025年度行政综合性经费');
    expect(out).toContain('2024年度绩效评价发现问题2项，已整改完成或说明无需整改1项，尚未完成1项：');
    expect(out).toContain('1. 资金管理存在的问题：预算执行率未达到100%');
    expect(out).toContain('整改措施：加快支付进度；完成情况：已完成：预算执行率已提高到96%');
    expect(out).toContain('完成情况：未开始');
    expect(out).toContain('上年还有1项没有完成');
    // another project's new evaluation shows nothing of it
    expect(texts(await w.say(staff, '新建评价 社区治理经费 2025', { chatId: 'oc_other', now: bj('2026-03-01', '10:00') }))).not.toContain('2024年度绩效评价发现问题');
  });

  it('answers the template\'s 上年问题整改情况 question, kept in the history', async () => {
    const bot = createBot({ store: w.store, templates: [withLastYearPart()] });
    const out = await bot.handle({ actor: staff, place: { chatId: 'oc_group', chatType: 'group' }, message: { type: 'text', text: '新建评价 行政综合性经费 2025' }, now: bj('2026-03-01', '10:00') });
    expect(texts(out)).toContain('以上已填入「经验、问题与建议（报告第五至八部分）·上年问题整改情况」');
    const ev = (await w.store.findEvaluationByChat('oc_group'))!;
    expect(ev.year).toBe(2025);
    const answer = (await w.store.getAnswerRows(ev.id)).find((r) => r.path === 'conclusion.lastYear');
    expect(answer?.value).toMatch(/^2024年度绩效评价发现问题2项[\s\S]*已完成：预算执行率已提高到96%/);
    expect(answer?.updatedByName).toBe(staff.name);
  });

  it('in the shipped 五华 template, fills 其他需要说明的问题 (the report\'s 八) with last year\'s 整改, printed there', async () => {
    // the 五华 report outline has no 上年问题整改情况 part; its 八、其他需要说明的问题 is where it goes
    const out = texts(await w.say(staff, '新建评价 行政综合性经费 2025', { now: bj('2026-03-01', '10:00') }));
    expect(out).toContain('以上已填入「经验、问题与建议（报告第五至八部分）·其他需要说明的问题」，请核对补充（“修改 其他需要说明的问题”）。');
    const ev = (await w.store.findEvaluationByChat('oc_group'))!;
    const other = (await w.store.getAnswerRows(ev.id)).find((r) => r.path === 'conclusion.other')!;
    expect(other.value).toMatch(/^2024年度绩效评价发现问题2项，已整改完成或说明无需整改1项，尚未完成1项：\n1\. 资金管理存在的问题/);
    const report = (await build({ ...example, 'conclusion.other': other.value }, [], 2025)).find((d) => d.kind === 'report')!;
    const paras = paragraphs(await documentXml(report.bytes));
    const at = paras.indexOf('八、其他需要说明的问题');
    expect(paras[at + 1]).toBe('2024年度绩效评价发现问题2项，已整改完成或说明无需整改1项，尚未完成1项：');
    expect(paras[at + 2]).toMatch(/^1\. 资金管理存在的问题：预算执行率未达到100%.*完成情况：已完成：预算执行率已提高到96%$/);
  });

  it('leaves the first year as it is: no items last year, no answer written (the seed\'s documents stay as they are)', async () => {
    await w.say(staff, '新建评价 社区治理经费 2024', { chatId: 'oc_first', now: bj('2026-03-01', '10:00') });
    const ev = (await w.store.findEvaluationByChat('oc_first'))!;
    expect((await w.store.getAnswerRows(ev.id)).find((r) => r.path === 'conclusion.other')).toBeUndefined();
  });
});
