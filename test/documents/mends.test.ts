// What a reviewer noticed on the seed's documents, mended: headings in the navigation
// pane (outline levels), Chinese as the text's language, widow control stated, a
// report cover that stays one page with eight evaluators, and the form's signatures
// kept with the rows above them. The cover is checked as a person sees it (PDF).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { titleLines } from '../../src/documents/text';
import { build, buildSeed, documentXml, part, seedFile } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'jixiao-mends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('document mends', () => {
  it('headings carry outline levels 0–2; text is zh-CN; body paragraphs state widow control', async () => {
    const report = (await buildSeed()).find((d) => d.kind === 'report')!;
    const styles = await part(report.bytes, 'word/styles.xml');
    for (const [name, level] of [
      ['公文一级标题', 0],
      ['公文二级标题', 1],
      ['公文三级标题', 2],
    ] as const) {
      const style = new RegExp(`<w:style [^>]*>\\s*<w:name w:val="${name}"/>[\\s\\S]*?</w:style>`).exec(styles)![0];
      expect(style).toContain(`<w:outlineLvl w:val="${level}"/>`);
    }
    expect(styles).toMatch(/<w:docDefaults>[\s\S]*<w:lang w:val="zh-CN" w:eastAsia="zh-CN"\/>[\s\S]*<\/w:docDefaults>/);
    const xml = await documentXml(report.bytes);
    expect(xml).toContain('<w:widowControl/>');
  });

  it('body text and headings are set 紧缩 0.25 pt, so that 28 characters of 3号 fill the 156 mm line and 29 do not', async () => {
    const report = (await buildSeed()).find((d) => d.kind === 'report')!;
    const styles = await part(report.bytes, 'word/styles.xml');
    const body = /<w:style [^>]*w:styleId="GwBody"[^>]*>[\s\S]*?<\/w:style>/.exec(styles)![0];
    const spacing = Number(/<w:rPr>[\s\S]*?<w:spacing w:val="(-?\d+)"\/>/.exec(body)![1]); // twentieths of a point
    for (const h of ['GwHeading1', 'GwHeading2', 'GwHeading3'])
      expect(new RegExp(`w:styleId="${h}"[^>]*>[\\s\\S]*?<w:basedOn w:val="GwBody"/>`).test(styles)).toBe(true);
    const sectPr = /<w:sectPr>(?:(?!<w:sectPr>)[\s\S])*?<\/w:sectPr>\s*<\/w:body>/.exec(await documentXml(report.bytes))![0];
    const attr = (name: string) => Number(new RegExp(`w:${name}="(\\d+)"`).exec(sectPr)![1]);
    const line = (attr('w') - attr('left') - attr('right')) / 20; // points
    const pitch = 16 + spacing / 20;
    expect(28 * pitch).toBeLessThanOrEqual(line);
    expect(29 * pitch).toBeGreaterThan(line);
    // first lines: two characters of indent (640 twips) and 26 characters
    expect(640 / 20 + 26 * pitch).toBeLessThanOrEqual(line);
  });

  it('the form keeps the two rows above the signatures with them', async () => {
    const form = (await buildSeed()).find((d) => d.kind === 'form')!;
    const xml = await documentXml(form.bytes);
    const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
    expect(rows.at(-1)).toContain('评价部门负责人（签字并盖章）');
    // keepNext on a row is written on its paragraphs
    for (const r of rows.slice(-3, -1)) expect(r).toContain('<w:keepNext/>');
  });

  it('titles break between their parts, never inside a word', () => {
    expect(titleLines(['五华区红云街道办事处', '行政综合性经费项目', '绩效评价问题清单'])).toEqual([
      '五华区红云街道办事处行政综合性经费项目',
      '绩效评价问题清单',
    ]);
    expect(titleLines(['某县农村供水管理站', '农村饮水安全巩固提升工程项目', '绩效评价问题清单'])).toEqual([
      '某县农村供水管理站',
      '农村饮水安全巩固提升工程项目绩效评价问题清单'.slice(0, 14),
      '绩效评价问题清单',
    ]);
  });

  it('the report cover stays on one page with eight evaluators', async () => {
    const f = seedFile();
    for (let i = 0; i < 8; i++) {
      f.answers[`evaluators[${i}].name`] = `评价人${i + 1}`;
      f.answers[`evaluators[${i}].role`] = i === 0 ? '组长' : '成员';
      f.answers[`evaluators[${i}].title`] = '科员';
      f.answers[`evaluators[${i}].unit`] = '党政综合办公室';
    }
    const report = (await build(f.answers, f.problems, f.year)).find((d) => d.kind === 'report')!;
    const file = join(dir, 'report.docx');
    writeFileSync(file, report.bytes);
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], {
      timeout: 120_000,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const pages = execFileSync('pdftotext', ['-layout', join(dir, 'report.pdf'), '-'], { encoding: 'utf8' }).split('\f');
    expect(pages[0].replace(/\s+/g, '')).toContain('评价人8');
    expect(pages[1]).toContain('一、项目基本情况');
    expect(pages[1]).not.toContain('评价人');
  });
});
