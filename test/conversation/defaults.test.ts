// 二（四）1–3 of the report: answers with the template's text as their default. The
// chat offers the default, 默认 takes it (with the unit put in), a text of one's own
// replaces it, and the report prints whichever was given — through the real bot.
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examples } from '../../src/domain/registry';
import { paragraphs } from '../documents/helpers';
import { chat, text, wang, zhang } from './helpers';

let c: ReturnType<typeof chat>;
beforeEach(() => {
  c = chat();
});
afterEach(() => c.close());

// the example without 二（四）1–3, which it gives as the default text
const example = Object.entries(examples['wuhua-2024'].answers).filter(([k]) => !k.startsWith('weights.') && !k.startsWith('conclusion.work'));

async function reportParagraphs(): Promise<string[]> {
  await c.say(zhang, '生成报告');
  const out = await c.say(zhang, '确认');
  const report = out.messages.flatMap((m) => (m.type === 'file' && m.fileName.includes('附件2') ? [m] : []))[0];
  return paragraphs(await (await JSZip.loadAsync(report.bytes)).file('word/document.xml')!.async('string'));
}

const after = (ps: string[], heading: string) => ps[ps.indexOf(heading) + 1];

describe('questions with a default text', () => {
  it('are offered with their default; 默认 takes it with the unit put in; a text of their own replaces it; the report prints each', async () => {
    await c.say(zhang, '新建评价 行政综合性经费 2024');
    const ev = await c.evaluation();
    await c.store.applyAnswers(ev.id, example.map(([path, value]) => ({ path, value })), zhang, { now: c.clock.t, via: 'cli' });

    const asked = text(await c.say(wang, '修改 成立绩效评价工作领导小组'));
    expect(asked).toContain('成立绩效评价工作领导小组');
    expect(asked).toContain('默认文字：为使本次绩效评价工作顺利开展');
    expect(asked).toContain('回复“默认”照用这段文字');
    expect(text(await c.say(wang, '默认'))).toContain('已记录');
    expect((await c.answers())['conclusion.workTeam']).toContain('五华区红云街道办事处成立了绩效评价工作领导小组');

    await c.say(wang, '修改 预算管理');
    const own = '本单位严格按照预算批复执行，每季度通报预算执行进度。';
    expect(text(await c.say(wang, own))).toContain('已记录');
    expect((await c.answers())['conclusion.workBudget']).toBe(own);

    const ps = await reportParagraphs();
    expect(after(ps, '1.成立绩效评价工作领导小组')).toMatch(/^为使本次绩效评价工作顺利开展.*五华区红云街道办事处成立了绩效评价工作领导小组/);
    expect(after(ps, '2.预算管理')).toBe(own);
    // unanswered: the default, with the unit put in
    expect(after(ps, '3.监督管理')).toMatch(/^为了规范监督管理工作，五华区红云街道办事处严格按照/);
  });

  it('a default is not taken for a question that has none', async () => {
    await c.say(zhang, '新建评价 行政综合性经费 2024');
    await c.say(zhang, '修改 项目主要经验及做法');
    const out = text(await c.say(zhang, '默认'));
    expect(out).not.toContain('已记录');
    expect(out).toContain('「项目主要经验及做法」没有默认文字，请直接回复答案');
    expect((await c.answers())['conclusion.experience']).toBeUndefined();
  });

  it('默认 in a card field or a 标签：值 line takes the default too, never the word itself', async () => {
    await c.say(zhang, '新建评价 行政综合性经费 2024');
    const ev = await c.evaluation();
    await c.store.applyAnswers(ev.id, example.map(([path, value]) => ({ path, value })), zhang, { now: c.clock.t, via: 'cli' });
    const card = await c.bot.handle({
      actor: wang,
      place: { chatId: 'oc_1', chatType: 'group' },
      message: { type: 'action', action: { kind: 'submit', sectionId: 'conclusion', values: { workTeam: '默认', experience: '默认' } } },
      now: (c.clock.t += 1000),
    });
    const form = card.updatedCard!.blocks.find((b) => b.type === 'form');
    const fields = form && form.type === 'form' ? form.fields : [];
    expect(fields.find((f) => f.name === 'experience')?.error).toContain('「项目主要经验及做法」没有默认文字');
    let answers = await c.answers();
    expect(answers['conclusion.workTeam']).toMatch(/^为使本次绩效评价工作顺利开展.*五华区红云街道办事处成立了绩效评价工作领导小组/);
    expect(answers['conclusion.experience']).toBe(example.find(([k]) => k === 'conclusion.experience')![1]); // unchanged, not “默认”

    await c.say(wang, '修改 预算管理');
    const out = text(await c.say(wang, '预算管理：默认\n监督管理：默认'));
    expect(out).toContain('已记下2项');
    answers = await c.answers();
    expect(answers['conclusion.workBudget']).toMatch(/^为提高项目预算管理水平，五华区红云街道办事处根据/);
    expect(answers['conclusion.workSupervision']).toMatch(/^为了规范监督管理工作，五华区红云街道办事处严格按照/);
    expect(Object.values(answers)).not.toContain('默认');
  });
});
