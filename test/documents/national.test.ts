// The national 项目支出绩效自评表 laid out by its template, read back from the real .docx:
// its funds block (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, no 到位
// column), the indicator table with targets, actuals and deviation notes, and only the
// documents the template produces. Then as a person sees it: LibreOffice → PDF.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../../src/domain/evaluate';
import { examples, findTemplate } from '../../src/domain/registry';
import { type GeneratedDocument, buildDocuments } from '../../src/documents';
import { documentXml, paragraphs, tables } from './helpers';

let docs: GeneratedDocument[];
let xml = '';
const dir = mkdtempSync(join(tmpdir(), 'jixiao-national-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const template = findTemplate('national-2024')!;
  const f = examples['national-2024'];
  docs = await buildDocuments({ template, answers: f.answers, assessment: assess(template, f.answers), year: f.year });
  xml = await documentXml(docs[0].bytes);
});

const rowTexts = (r: { text: string }[]) => r.map((c) => c.text);

describe('the national form', () => {
  it('is a form and a problem list, no report', () => {
    expect(docs.map((d) => d.kind)).toEqual(['form', 'problems']);
  });

  it('prints its title and year line, with no 附件1 label', () => {
    const p = paragraphs(xml);
    expect(p.slice(0, 2)).toEqual(['项目支出绩效自评表', '（2024年度）']);
  });

  it('has the funds block of the national form', () => {
    const rows = tables(xml)[0].rows.map(rowTexts);
    const head = rows.find((r) => r.includes('年初预算数'))!;
    expect(head.slice(-6)).toEqual(['年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分']);
    expect(rows.find((r) => r.includes('年度资金总额'))!.slice(-7)).toEqual(['年度资金总额', '560.00', '540.00', '450.00', '10', '83.33%', '8.33']);
    expect(rows.find((r) => r.includes('其中：本年财政拨款'))!.slice(-6)).toEqual(['500.00', '480.00', '420.00', '—', '87.50%', '—']);
    // a kind with no money is printed as an empty row, not as zeros
    expect(rows.find((r) => r.includes('其他资金'))!.slice(-6)).toEqual(['', '', '', '', '', '']);
    expect(xml).not.toContain('到位');
  });

  it('lists the department’s indicators with target, actual, weight, score and deviation note; 执行率 only in the funds block', () => {
    const rows = tables(xml)[0].rows.map(rowTexts);
    expect(rows.find((r) => r.includes('三级指标'))!.slice(-8)).toEqual(['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施']);
    const cost = rows.find((r) => r.includes('单位管网改造成本'))!;
    expect(cost.slice(-5, -1)).toEqual(['≤3.5万元/公里', '3.85万元/公里', '10', '9']);
    expect(cost[cost.length - 1]).toContain('管材价格上涨');
    expect(rows.filter((r) => r.includes('执行率')).length).toBe(1); // the funds heading only
    expect(rows.find((r) => r.includes('总分'))!.filter(Boolean)).toEqual(['总分', '100', '93.11']);
    expect(paragraphs(xml).some((l) => l.startsWith('财务负责人（签字）：'))).toBe(true);
  });

  it('renders to PDF on three pages or fewer, every figure on the page', () => {
    const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
    expect(['soffice', 'pdftotext'].filter((c) => !has(c))).toEqual([]);
    const file = join(dir, 'form.docx');
    writeFileSync(file, docs[0].bytes);
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], {
      timeout: 120_000,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'form.pdf'), '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages.length).toBeLessThanOrEqual(3);
    for (const figure of ['560.00', '83.33', '8.33', '3.85', '9.78', '93.11']) expect(text).toContain(figure);
  });
});
