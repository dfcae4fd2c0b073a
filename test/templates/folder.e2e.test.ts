// Done when: a template written into a temporary templates/ folder is listed, asked,
// scored and rendered with no code change. The folder is read as Node reads it, the
// bot runs over real SQLite, every question is answered in the chat as a person
// would, and the .docx bytes are read back.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { MORE } from '../../src/conversation/flow';
import type { DialogState } from '../../src/conversation/state';
import type { Actor, Output } from '../../src/conversation/types';
import { assess } from '../../src/domain/evaluate';
import { formatAnswer } from '../../src/domain/parse';
import { formSections, questionAt } from '../../src/domain/questions';
import type { Store } from '../../src/store';
import { openSqlite } from '../../src/store/sqlite';
import { nodeRegistry, templatesDir } from '../../src/templates/folder';
import { documentXml, paragraphs } from '../documents/helpers';

const dir = mkdtempSync(join(tmpdir(), 'jixiao-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A provincial variant written only as data: amounts in 元, only 一级 weights, its own title and signers. */
function writeVariant() {
  cpSync(join(templatesDir, 'wuhua-2024'), join(dir, 'wuhua-2024'), { recursive: true });
  const t = JSON.parse(readFileSync(join(templatesDir, 'national-2024/template.json'), 'utf8'));
  t.id = 'sichuan-2025';
  t.title = '四川省项目支出绩效自评表';
  t.year = 2025;
  t.funds.unit = '元';
  for (const l1 of t.indicators.slice(1)) l1.rowWeights = false;
  t.form.blocks.find((b: any) => b.type === 'signatures').signers = ['填报人（签字）：', '项目负责人（签字）：', '财务负责人（签字）：'];
  const x = JSON.parse(readFileSync(join(templatesDir, 'national-2024/example.json'), 'utf8'));
  x.template = 'sichuan-2025';
  x.year = 2025;
  for (const k of Object.keys(x.answers)) {
    if (/^sources\[\d\]\.(budget|adjusted|spent)$/.test(k)) x.answers[k] *= 10_000;
    if (/\.weight$/.test(k) || k.startsWith('result.')) delete x.answers[k];
  }
  mkdirSync(join(dir, 'sichuan-2025'));
  writeFileSync(join(dir, 'sichuan-2025/template.json'), JSON.stringify(t));
  writeFileSync(join(dir, 'sichuan-2025/example.json'), JSON.stringify(x));
}

const zhang: Actor = { userId: 'ou_zhang', name: '张三' };
const chatId = 'oc_folder';
let store: Store;
let close: () => void;
let t = Date.UTC(2026, 2, 1);
beforeEach(() => ({ store, close } = openSqlite(':memory:')));
afterEach(() => close());

describe('a template that exists only as a folder', () => {
  it('is listed, asked, scored and rendered', async () => {
    writeVariant();
    const registry = nodeRegistry(dir);
    const template = registry.findTemplate('sichuan-2025')!;
    const example = registry.examples['sichuan-2025'].answers;
    const bot = createBot({ store, templates: registry.templates });
    const say = (text: string) =>
      bot.handle({ actor: zhang, place: { chatId, chatType: 'group' }, message: { type: 'text', text, mentions: [] }, now: (t += 1000) });
    const text = (o: Output) => o.messages.map((m) => (m.type === 'text' ? m.text : m.type === 'file' ? m.fileName : '')).join('\n');

    // listed
    expect(text(await say('模板'))).toContain('sichuan-2025');
    expect(text(await say('模板 sichuan-2025'))).toContain('已选定模板：四川省项目支出绩效自评表');
    expect(text(await say('新建评价 农村饮水安全巩固提升工程 2025'))).toContain('模板：四川省项目支出绩效自评表');

    // asked: every question the template's sections make, answered as typed in the chat
    const sections = formSections(template);
    const asked: string[] = [];
    await say('填写');
    for (let guard = 0; guard < 200; guard++) {
      const saved = await store.getDialogState(chatId, zhang.userId);
      const pos = (saved?.state as DialogState | undefined)?.position;
      if (!pos) break;
      const section = sections.find((s) => s.id === pos.sectionId)!;
      if (pos.field === MORE) {
        const next = (pos.index ?? -1) + 1;
        await say(Object.keys(example).some((k) => k.startsWith(`${section.group}[${next}].`)) ? '是' : '否');
        continue;
      }
      const path = section.repeat ? `${section.group}[${pos.index ?? 0}].${pos.field}` : `${section.group}.${pos.field}`;
      asked.push(path);
      const value = example[path];
      if (value === undefined) await say('跳过');
      else await say(formatAnswer(questionAt(sections, path)!.question.kind, value));
    }
    // the 元 amounts, the written targets and the 定性 achievement were asked; no per-row weight was
    expect(asked).toContain('sources[0].adjusted');
    expect(asked).toContain('ind.quantity[1].target');
    expect(asked).toContain('ind.timeliness[0].achievement');
    expect(asked).not.toContain('ind.quantity[0].weight');
    expect(asked).not.toContain('ind.quantity[0].achievement'); // ≥120公里 is a number
    const ev = (await store.findEvaluationByChat(chatId))!;
    const answers = await store.getAnswers(ev.id);
    for (const [k, v] of Object.entries(example)) expect([k, answers[k]]).toEqual([k, v]);

    // scored: 执行率 450万/540万 = 83.33% → 8.33; 产出 50 over 5 rows (10 each):
    // 10 + 7.5 + 10 + 3.5×2 (部分达成 70% of 10) + 9 (反向 3.85 vs ≤3.5) = 43.5; 效益 30 all met; 满意度 88/90×10 = 9.78
    const a = assess(template, answers);
    expect(a.scores.levels.map((l) => l.score)).toEqual([833, 4350, 3000, 978]);
    expect(a.scores.total).toBe(9161);

    // rendered: the form and the problem list only, as the template says, laid out by it
    const out = await say('生成报告 确认'); // 确认: the example's reviewer warnings are accepted
    const files = out.messages.filter((m) => m.type === 'file');
    expect(files.map((f) => (f.type === 'file' ? f.fileName : ''))).toEqual([
      '2025年度农村饮水安全巩固提升工程-附件1-评价表.docx',
      '2025年度农村饮水安全巩固提升工程-附件3-问题清单.docx',
    ]);
    const form = files[0];
    const lines = paragraphs(await documentXml(form.type === 'file' ? form.bytes : new Uint8Array()));
    expect(lines).toContain('四川省项目支出绩效自评表');
    expect(lines).toContain('项目资金');
    expect(lines).toContain('（元）');
    expect(lines).toContain('年度资金总额');
    expect(lines).toContain('5400000.00'); // 全年预算数 in 元
    expect(lines).toContain('83.33%');
    expect(lines).toContain('偏差原因分析及改进措施');
    expect(lines).toContain('≥8座');
    expect(lines).toContain('91.61');
    expect(lines.some((l) => l.startsWith('财务负责人（签字）：'))).toBe(true);
    expect(lines).not.toContain('实际到位数');
  });
});
