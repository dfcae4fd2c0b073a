// The seed documents as a person sees them: converted to PDF by LibreOffice, read
// back with pdftotext. Greping document.xml cannot see a table that runs off the
// page or a heading on the wrong page; this can. LibreOffice and poppler-utils are
// required (.ci/run installs them): without them this test fails, it does not skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed } from './helpers';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

let dir = '';
let missing: string[] = [];
const pdf: Record<string, { pages: string[]; info: string; bbox: string }> = {};

beforeAll(async () => {
  missing = ['soffice', 'pdftotext', 'pdfinfo'].filter((c) => !has(c));
  if (missing.length) return; // the first test says so, and every other one fails
  dir = mkdtempSync(join(tmpdir(), 'jixiao-pdf-'));
  const docs = await buildSeed();
  const files = docs.map((d) => {
    const path = join(dir, `${d.kind}.docx`);
    writeFileSync(path, d.bytes);
    return path;
  });
  // A private profile, so that parallel runs do not fight over ~/.config/libreoffice.
  const r = spawnSync(
    'soffice',
    [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...files],
    { timeout: 120_000, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`soffice failed (${r.status ?? r.signal}): ${r.stderr}`);
  for (const d of docs) {
    const file = join(dir, `${d.kind}.pdf`);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const bboxFile = join(dir, `${d.kind}.html`);
    execFileSync('pdftotext', ['-bbox', file, bboxFile]);
    pdf[d.kind] = {
      pages: text.split('\f').slice(0, -1),
      info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }),
      bbox: readFileSync(bboxFile, 'utf8'),
    };
  }
}, 150_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** pdftotext puts spaces between CJK and Latin runs; compare without any. */
const squeeze = (s: string) => s.replace(/\s+/g, '');
const pageOf = (kind: string, needle: string) => pdf[kind].pages.findIndex((p) => squeeze(p).includes(squeeze(needle)));

function inOrder(kind: string, needles: string[]) {
  const all = squeeze(pdf[kind].pages.join('\f'));
  let at = -1;
  for (const n of needles) {
    const i = all.indexOf(squeeze(n), at + 1);
    expect(i, `${n} after position ${at}`).toBeGreaterThan(at);
    at = i;
  }
}

/**
 * Every word's box lies inside the text block: nothing cut off or run past the margin.
 * `hang` allows for CJK punctuation hanging past the right edge at a line end, as
 * Word and LibreOffice both do for Chinese text.
 */
function wordsInside(kind: string, hang = 0) {
  const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(pdf[kind].bbox)!;
  const width = Number(page[1]);
  const boxes = [...pdf[kind].bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  expect(boxes.length).toBeGreaterThan(50);
  const left = Math.min(...boxes.map((b) => b[0]));
  const right = Math.max(...boxes.map((b) => b[1]));
  // text block: 28 mm (79.4 pt) from the left, 26 mm (73.7 pt) from the right
  expect(left).toBeGreaterThanOrEqual(79);
  expect(right).toBeLessThanOrEqual(width - 73.7 + 0.5 + hang);
}

describe('the seed documents as PDF', () => {
  it('has LibreOffice and poppler-utils to convert and read them', () => {
    expect(
      missing,
      `the PDF test needs ${missing.join(', ')}: apt-get install libreoffice-writer poppler-utils fonts-noto-cjk (.ci/run does this)`,
    ).toEqual([]);
  });

  it('are A4', () => {
    for (const kind of ['form', 'report', 'problems']) expect(pdf[kind].info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
  });

  it('附件1: page 1 has the project and its funds; then the indicator table, 97 and 优√', () => {
    expect(pageOf('form', '项目名称')).toBe(0);
    expect(pageOf('form', '273.45')).toBe(0);
    expect(pageOf('form', '172.91')).toBe(0);
    inOrder('form', [
      '附件1：',
      '五华区区级预算支出部门评价表',
      '项目名称',
      '行政综合性经费',
      '273.45',
      '172.91',
      '129.94',
      '75.15%',
      '二、绩效评价指标评分（参考）',
      '一级指标',
      '决策',
      '过程',
      '产出',
      '效益',
      '总分',
      '97',
      '优√',
      '问题和建议',
      '评价人员',
      '填报人（签字）',
      '评价部门负责人（签字并盖章）',
    ]);
    expect(pdf.form.pages.length).toBeLessThanOrEqual(3);
  });

  it('附件1 fits the page: the 7 column headers on one line, no word outside the text block', () => {
    const header = pdf.form.pages
      .join('\n')
      .split('\n')
      .find((l) => l.includes('一级指标'));
    expect(header).toBeDefined();
    expect(header!.replace(/\s+/g, ' ').trim()).toBe('一级指标 分值 二级指标 分值 三级指标 分值 得分');
    wordsInside('form');
    wordsInside('problems');
    wordsInside('report', 16);
  });

  it('附件2: the cover alone on page 1, then 一 to 八 in order, numbered from page 1', () => {
    const cover = pdf.report.pages[0];
    for (const s of ['附件2：', '五华区红云街道办事处', '绩效评价报告', '（2024年度）', '绩效自评日期：2025年5月', '评价小组机构职位', '组长'])
      expect(squeeze(cover)).toContain(squeeze(s));
    expect(squeeze(cover)).not.toContain('一、项目基本情况');
    expect(squeeze(cover)).not.toMatch(/—\d+—/); // no page number on the cover
    expect(pageOf('report', '一、项目基本情况')).toBe(1);
    expect(squeeze(pdf.report.pages[1])).toContain('—1—');
    expect(squeeze(pdf.report.pages[2])).toContain('—2—');
    inOrder('report', [
      '一、项目基本情况',
      '（四）资金投入和使用情况',
      '项目预算总额为273.45万元',
      '资金到位率（实际到位数/年初预算数）为63.23%',
      '预算执行率（实际支出数/实际到位数）为75.15%',
      '预算使用率为47.52%',
      '二、绩效评价工作情况',
      '三、评价结论和绩效分析',
      '自评得分97分',
      '评价等次为“优”',
      '四、绩效评价指标分析',
      '五、项目主要经验及做法',
      '六、存在的问题及原因分析',
      '七、有关建议',
      '八、其他需要说明的问题',
      '无其他需要说明的问题。',
    ]);
  });

  it('附件2 runs 22 lines to a full page of body text', () => {
    // a page in the middle of part 一 is all body text: count its text lines
    const page = pdf.report.pages[3].split('\n').filter((l) => l.trim() !== '' && !/—\s*\d+\s*—/.test(l));
    expect(page.length).toBeGreaterThanOrEqual(21);
    expect(page.length).toBeLessThanOrEqual(23);
  });

  it('附件2 sets 28 characters to a full line of body text (GB/T 9704)', () => {
    // width in characters: CJK and full-width count 1, digits and Latin ½
    const width = (l: string) => [...l.replace(/\s+/g, '')].reduce((n, c) => n + (/[\u0000-\u00ff]/.test(c) ? 0.5 : 1), 0);
    const lines = pdf.report.pages.slice(1, 6).flatMap((p) => p.split('\n')).map(width);
    // a line-ending comma may hang in the margin and pdftotext may leave it out: 27½ or more is a full line
    const full = lines.filter((w) => w >= 27.5);
    expect(full.length).toBeGreaterThan(30);
    expect(Math.max(...lines)).toBeLessThanOrEqual(29);
    expect(full.filter((w) => w >= 28).length / full.length).toBeGreaterThan(0.8);
  });

  it('附件3 has the problem under 资金管理存在的问题, on one page', () => {
    // pdftotext -layout prints a vertically centred label between the lines of a
    // taller neighbour, so each is placed between the categories around it
    inOrder('problems', ['附件3：', '问题清单', '问题分类', '项目立项存在的问题', '预算执行率未达到100%', '业务管理存在的问题', '其他问题', '备注：']);
    inOrder('problems', ['项目立项存在的问题', '资金管理存在的问题', '业务管理存在的问题']);
    expect(pdf.problems.pages).toHaveLength(1);
  });
});
