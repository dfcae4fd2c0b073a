// The seed case: every fact CASE.md lists must be in the three generated documents,
// read back from the real .docx bytes.
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedDocument, documentFileNames } from '../../src/documents';
import { styleIds, textWidth } from '../../src/documents/styles';
import {
  type EffectiveRun,
  assertWellFormed,
  build,
  buildSeed,
  cellStarts,
  documentXml,
  effectiveRuns,
  paragraphs,
  parseStyles,
  part,
  seedFile,
  tables,
} from './helpers';

let docs: GeneratedDocument[];
const xml: Record<string, string> = {};
const text: Record<string, string> = {};

beforeAll(async () => {
  docs = await buildSeed();
  for (const d of docs) {
    xml[d.kind] = await documentXml(d.bytes);
    text[d.kind] = paragraphs(xml[d.kind]).join('\n');
  }
});

const breakdown = [
  ['办公经费及日常工作行政运行保障', '65'],
  ['综合性业务项目', '38'],
  ['临时性工作', '50'],
  ['街道搬迁工作经费', '26.95'],
  ['其他安全保障', '20'],
  ['城市管理工作经费', '40'],
  ['纪检监察工作经费', '2'],
  ['武装工作经费', '1.5'],
  ['宣传教育工作', '10'],
  ['创文复审工作经费', '5'],
  ['安全生产工作经费', '3'],
  ['社建工作经费', '2'],
  ['综合执法工作经费', '10'],
];

describe('the seed case, 红云街道 行政综合性经费 2024', () => {
  it('builds the three documents in order, with their file names', () => {
    expect(docs.map((d) => d.kind)).toEqual(['form', 'report', 'problems']);
    expect(docs.map((d) => d.fileName)).toEqual([
      '2024年度行政综合性经费-附件1-评价表.docx',
      '2024年度行政综合性经费-附件2-绩效评价报告.docx',
      '2024年度行政综合性经费-附件3-问题清单.docx',
    ]);
    for (const d of docs) {
      expect(d.bytes).toBeInstanceOf(Uint8Array);
      expect(String.fromCharCode(d.bytes[0], d.bytes[1])).toBe('PK');
    }
  });

  it('writes well-formed XML in every part that carries text', async () => {
    for (const d of docs) {
      assertWellFormed(xml[d.kind]);
      assertWellFormed(await part(d.bytes, 'word/styles.xml'));
    }
  });

  it('附件1 carries the project facts, the funds and the three rates where they belong', () => {
    const t = text.form;
    for (const s of ['附件1：', '五华区区级预算支出部门评价表', '（2024）年度', '行政综合性经费', '昆明市五华区人民政府', '五华区红云街道办事处'])
      expect(t).toContain(s);
    expect(t).toContain('经常性项目（√）       一次性项目（  ）');
    const [form] = tables(xml.form);
    const rowTexts = form.rows.map((r) => r.map((c) => c.text));
    const line = rowTexts.find((r) => r.includes('行政综合性经费') && r.includes('273.45'));
    expect(line).toEqual(['', '行政综合性经费', '273.45', '172.91', '129.94', '75.15%']);
    expect(rowTexts.find((r) => r[1] === '合      计')).toEqual(['', '合      计', '273.45', '172.91', '129.94', '75.15%']);
    expect(rowTexts.find((r) => r[1] === '区级财政')).toEqual(['', '区级财政', '273.45', '172.91', '129.94', '75.15%']);
    for (const s of ['其中：中央财政', '省级财政', '市级财政', '其他'])
      expect(rowTexts.find((r) => r[1] === s)?.slice(2)).toEqual(['', '', '', '']);
    expect(t).toContain('执行率（支出/到位）');
    // at least three line-item rows, as the seed has: the one item and two blank ones
    const header = rowTexts.findIndex((r) => r[1] === '项目支出明细内容');
    const total = rowTexts.findIndex((r) => r[1] === '合      计');
    expect(total - header - 1).toBe(3);
  });

  it('附件1 prints the indicator table with the computed weights, the total 97 and 优√', () => {
    const [form] = tables(xml.form);
    const rows = form.rows.map((r) => r.map((c) => c.text));
    expect(rows).toContainEqual(['一级指标', '分值', '二级指标', '分值', '三级指标', '分值', '得分']);
    const first = (name: string) => rows.find((r) => r[0] === name);
    expect(first('决策')?.slice(0, 2)).toEqual(['决策', '25']);
    expect(first('过程')?.slice(0, 2)).toEqual(['过程', '15']);
    expect(first('产出')?.slice(0, 2)).toEqual(['产出', '30']);
    expect(first('效益')?.slice(0, 2)).toEqual(['效益', '30']);
    expect(rows.some((r) => r.includes('40') || r.includes('60'))).toBe(false); // the stated 40 / 60 are not printed
    expect(rows.find((r) => r.includes('预算执行率') && r.includes('2'))?.slice(-3)).toEqual(['预算执行率', '2', '1']);
    expect(rows.find((r) => r.includes('社会公众或服务对象满意度'))?.slice(-3)).toEqual(['社会公众或服务对象满意度', '10', '8']);
    expect(rows.find((r) => r[0] === '总分')).toEqual(['总分', '100', '', '100', '', '100', '97']);
    expect(text.form).toContain('优√        良□        中□        差□');
    expect(text.form).toContain('100-90（含）分为优、90-80（含）分为良、80-60（含）分为中、60分以下为差');
    expect(text.form).toContain('本年度由于资金管理需求，项目进行整合，导致预算执行率较低');
    for (const s of ['填报人（签字）：\t年   月   日', '评价组组长（签字）：\t年   月   日', '评价部门负责人（签字并盖章）：\t年   月   日'])
      expect(text.form).toContain(s);
    expect(text.form).toContain('注：绩效评价指标可参考');
  });

  it('附件1 merges each 一级 and 二级 cell, and its 分值, down their rows (vMerge restart/continue)', () => {
    const [form] = tables(xml.form);
    const start = form.rows.findIndex((r) => r[0].text === '决策');
    const end = form.rows.findIndex((r) => r[0].text === '总分');
    const block = form.rows.slice(start, end);
    expect(block).toHaveLength(23); // 11 fixed indicators, 11 of the department's own, 满意度
    const heads = block.map((r) => (r[0].vMerge === 'restart' ? r[0].text : r[0].vMerge));
    expect(heads.filter((h) => h !== 'continue')).toEqual(['决策', '过程', '产出', '效益']);
    expect(heads.filter((h) => h === 'continue')).toHaveLength(19);
    // every row of the block: 7 cells, the first four merged, starting on the same grid columns
    const starts = cellStarts(block[0]);
    for (const r of block) {
      expect(r).toHaveLength(7);
      expect(cellStarts(r)).toEqual(starts);
      for (const c of r.slice(0, 4)) expect(c.vMerge).toBeDefined();
      expect(r[1].vMerge).toBe(r[0].vMerge);
      expect(r[3].vMerge).toBe(r[2].vMerge);
    }
    // 二级: 项目立项 spans two rows, 产出质量 three
    const l2 = block.map((r) => (r[2].vMerge === 'restart' ? r[2].text : '')).filter(Boolean);
    expect(l2).toEqual(['项目立项', '绩效目标', '资金投入', '资金管理', '资金管理', '组织实施', '产出数量', '产出质量', '产出时效', '产出成本', '经济效益', '社会效益', '环境效益', '可持续影响', '满意度']);
    const quality = block.findIndex((r) => r[2].text === '产出质量');
    expect(block.slice(quality + 1, quality + 3).every((r) => r[2].vMerge === 'continue')).toBe(true);
    expect(block[quality + 3][2].vMerge).toBe('restart');
  });

  it('gives every table a grid, cell widths and a fixed layout, and the form fits the A4 text width', () => {
    for (const kind of ['form', 'report', 'problems']) {
      const ts = tables(xml[kind]);
      expect(ts.length).toBeGreaterThan(0);
      for (const t of ts) {
        expect(t.grid.length).toBeGreaterThan(0);
        expect(t.layout).toBe('fixed');
        const gridWidth = t.grid.reduce((a, b) => a + b, 0);
        expect(t.width).toBe(gridWidth);
        expect(gridWidth).toBeLessThanOrEqual(textWidth);
        for (const row of t.rows) {
          expect(row.reduce((n, c) => n + c.span, 0)).toBe(t.grid.length);
          for (const c of row) expect(c.width).toBeGreaterThan(0);
        }
      }
    }
    expect(textWidth).toBe(8845); // 156 mm
  });

  it('names its fonts in all four slots, East Asian included, in the styles and wherever a run sets its own', async () => {
    const slots = ['ascii', 'hAnsi', 'eastAsia', 'cs'];
    for (const d of docs) {
      const styles = await part(d.bytes, 'word/styles.xml');
      const footers = await Promise.all(['word/footer1.xml', 'word/footer2.xml'].map((p) => part(d.bytes, p)));
      // every w:rFonts anywhere, in the styles or on a run, fills the four slots
      for (const x of [xml[d.kind], styles, ...footers])
        for (const m of x.matchAll(/<w:rFonts ([^>]*)\/>/g))
          for (const slot of slots) expect(m[1], d.kind).toMatch(new RegExp(`w:${slot}="[^"]+"`));
      // every style a paragraph or run names is in styles.xml (an unknown one would fall back to Normal)
      const defined = parseStyles(styles).styles;
      for (const x of [xml[d.kind], ...footers])
        for (const m of x.matchAll(/<w:[pr]Style w:val="([^"]+)"/g)) expect(defined.has(m[1]), `${d.kind}: style ${m[1]}`).toBe(true);
      // the document default is 3号 仿宋 in all four slots
      const defaults = parseStyles(styles).defaults.r;
      for (const slot of slots) expect(defaults.rFonts?.[slot], `${d.kind} default ${slot}`).toBe('仿宋');
      expect(defaults.sz?.val).toBe('32');
      // and so no run, through its style chain, is left without an East Asian font
      for (const x of [xml[d.kind], ...footers])
        for (const r of effectiveRuns(x, styles))
          for (const slot of slots) expect(r.run.rFonts?.[slot], `${d.kind}: ${slot} of "${r.text}"`).toBeTruthy();
    }
    const styles = parseStyles(await part(docs[1].bytes, 'word/styles.xml'));
    const font = (id: string) => {
      let fonts: Record<string, string> | undefined;
      for (let s = styles.styles.get(id); s && !fonts; s = s.basedOn ? styles.styles.get(s.basedOn) : undefined) fonts = s.r.rFonts;
      return fonts ?? styles.defaults.r.rFonts;
    };
    for (const [id, name] of [
      [styleIds.heading1, '黑体'],
      [styleIds.heading2, '楷体'],
      [styleIds.heading3, '仿宋'],
      [styleIds.title, '方正小标宋简体'],
      [styleIds.body, '仿宋'],
    ])
      for (const slot of slots) expect(font(id)?.[slot], `${id} ${slot}`).toBe(name);
  });

  it('gives each kind of text its font and size through its style: headings, title, body, tables', async () => {
    const runs: Record<string, EffectiveRun[]> = {};
    for (const d of docs) runs[d.kind] = effectiveRuns(xml[d.kind], await part(d.bytes, 'word/styles.xml'));
    const look = (kind: string, text: string) => {
      const r =
        runs[kind].find((x) => x.text === text) ?? runs[kind].find((x) => x.text.startsWith(text)) ?? runs[kind].find((x) => x.text.includes(text));
      expect(r, `${kind}: ${text}`).toBeDefined();
      return { font: r!.run.rFonts?.eastAsia, size: r!.run.sz?.val, sizeCs: r!.run.szCs?.val };
    };
    expect(look('report', '附件2：')).toEqual({ font: '黑体', size: '32', sizeCs: '32' });
    expect(look('report', '绩效评价报告')).toEqual({ font: '方正小标宋简体', size: '44', sizeCs: '44' });
    expect(look('report', '项目名称：')).toEqual({ font: '仿宋', size: '32', sizeCs: '32' });
    expect(look('report', '一、项目基本情况')).toEqual({ font: '黑体', size: '32', sizeCs: '32' });
    expect(look('report', '（一）项目立项背景')).toEqual({ font: '楷体', size: '32', sizeCs: '32' });
    expect(look('report', '1.单位基本情况')).toEqual({ font: '仿宋', size: '32', sizeCs: '32' });
    expect(look('report', '项目预算总额为')).toEqual({ font: '仿宋', size: '32', sizeCs: '32' });
    expect(look('report', '评价小组机构职位')).toEqual({ font: '仿宋', size: '28', sizeCs: '28' });
    expect(look('form', '附件1：')).toEqual({ font: '黑体', size: '32', sizeCs: '32' });
    expect(look('form', '五华区区级预算支出部门评价表')).toEqual({ font: '方正小标宋简体', size: '44', sizeCs: '44' });
    expect(look('form', '项目名称')).toEqual({ font: '仿宋', size: '24', sizeCs: '24' });
    expect(look('form', '年初预算数')).toEqual({ font: '仿宋', size: '21', sizeCs: '21' });
    expect(look('form', '一级指标')).toEqual({ font: '黑体', size: '24', sizeCs: '24' });
    expect(look('form', '本年度由于资金管理需求')).toEqual({ font: '仿宋', size: '21', sizeCs: '21' });
    expect(look('form', '填报人（签字）：')).toEqual({ font: '仿宋', size: '24', sizeCs: '24' });
    expect(look('form', '注：绩效评价指标可参考')).toEqual({ font: '仿宋', size: '24', sizeCs: '24' });
    expect(look('problems', '问题分类')).toEqual({ font: '黑体', size: '24', sizeCs: '24' });
    expect(look('problems', '预算执行率未达到100%')).toEqual({ font: '仿宋', size: '24', sizeCs: '24' });
    // headings stay with the text after them; body text is justified with a two-character indent
    const heading = runs.report.find((r) => r.text === '一、项目基本情况')!;
    expect(heading.paragraph.keepNext).toBeDefined();
    const body = runs.report.find((r) => r.text.startsWith('项目预算总额为'))!;
    expect(body.paragraph.jc?.val).toBe('both');
    expect(body.paragraph.spacing).toMatchObject({ line: '579', lineRule: 'exact', before: '0', after: '0' });
    expect(body.paragraph.ind).toMatchObject({ firstLine: '640', firstLineChars: '200' });
    expect(body.paragraph.keepNext).toBeUndefined();
    const cell = runs.problems.find((r) => r.text.startsWith('预算执行率未达到100%'))!;
    expect(cell.paragraph.spacing).toMatchObject({ line: '300', lineRule: 'exact' });
    expect(cell.paragraph.jc?.val).toBe('left');
  });

  it('附件2 lays the page out as GB/T 9704: A4, 37/35/28/26 mm, 3号 body on a 28.95 pt line, page numbers odd right even left', async () => {
    const report = docs[1];
    const x = xml.report;
    expect(x).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect(x).toContain('w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
    const styles = parseStyles(await part(report.bytes, 'word/styles.xml'));
    const body = styles.styles.get(styleIds.body)!;
    expect(body.p.spacing).toMatchObject({ line: '579', lineRule: 'exact' });
    expect(body.p.ind).toMatchObject({ firstLine: '640', firstLineChars: '200' });
    expect(styles.defaults.r.sz?.val).toBe('32');
    expect(styles.styles.get(styleIds.title)!.r.sz?.val).toBe('44');
    expect(x).toContain('<w:pgNumType w:start="1"/>');
    expect(await part(report.bytes, 'word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    const footers = await Promise.all(['word/footer1.xml', 'word/footer2.xml'].map((p) => part(report.bytes, p)));
    const joined = footers.join('');
    expect(joined).toContain('<w:jc w:val="right"/>');
    expect(joined).toContain('<w:jc w:val="left"/>');
    expect(joined).toContain('PAGE');
    expect(joined).toContain('— ');
    const stylesXml = await part(report.bytes, 'word/styles.xml');
    for (const f of footers) {
      const runs = effectiveRuns(f, stylesXml);
      expect(runs.length).toBeGreaterThan(0);
      for (const r of runs) expect([r.run.rFonts?.eastAsia, r.run.sz?.val, r.run.szCs?.val], r.text).toEqual(['宋体', '28', '28']);
    }
  });

  it('附件2 has the cover, then parts 一 to 八 in order', () => {
    const ps = paragraphs(xml.report);
    const order = [
      '附件2：',
      '五华区红云街道办事处',
      '行政综合性经费项目支出',
      '绩效评价报告',
      '（2024年度）',
      '部门名称（公章）：昆明市五华区人民政府红云街道办事处',
      '项目单位：昆明市五华区人民政府红云街道办事处',
      '主管部门：昆明市五华区人民政府',
      '项目名称：行政综合性经费',
      '绩效自评日期：2025年5月',
      '评价小组成员：',
      '评价小组机构职位',
      '一、项目基本情况',
      '（一）项目立项背景',
      '1.单位基本情况',
      '2.单位职能',
      '（二）项目立项依据',
      '（三）项目实施内容',
      '（四）资金投入和使用情况',
      '（五）项目完成情况',
      '（六）项目的组织及管理',
      '4.制度建设情况',
      '二、绩效评价工作情况',
      '（一）评价的目的和依据',
      '（二）绩效评价工作方案制定过程',
      '（三）绩效评价原则、评价方法等',
      '（四）绩效评价的实施过程',
      '（五）绩效评价的局限性',
      '三、评价结论和绩效分析',
      '评价结论',
      '绩效分析',
      '四、绩效评价指标分析',
      '（一）项目决策情况分析',
      '（二）项目过程情况分析',
      '（三）项目产出情况分析',
      '（四）项目效益情况分析',
      '五、项目主要经验及做法',
      '六、存在的问题及原因分析',
      '七、有关建议',
      '八、其他需要说明的问题',
    ];
    let at = -1;
    for (const heading of order) {
      const i = ps.indexOf(heading, at + 1);
      expect(i, heading).toBeGreaterThan(at);
      at = i;
    }
    expect(ps.at(-1)).toBe('无其他需要说明的问题。');
    const team = tables(xml.report)[0].rows.map((r) => r[0].text);
    expect(team).toEqual(['评价小组机构职位', '组长', '副组长', '副组长', '成员', '成员']);
  });

  it('附件2 computes the funds paragraph: the budget with its 13 items, arrived, spent, each rate named with its definition', () => {
    const t = text.report;
    expect(t).toContain('项目预算总额为273.45万元，其中：');
    for (const [name, amount] of breakdown) expect(t).toMatch(new RegExp(`${name}[^；。]*?${amount.replace('.', '\\.')}万元[；。]`));
    expect(t).toContain('项目实际到位金额为172.91万元');
    expect(t).toContain('项目实际支出129.94万元');
    expect(t).toContain('资金到位率（实际到位数/年初预算数）为63.23%');
    expect(t).toContain('预算执行率（实际支出数/实际到位数）为75.15%');
    expect(t).toContain('主要为本年度项目整合、严格控制经费开支所致。'); // the execution note follows
    // the note states 47.52% (as 预算使用率): the computed sentence does not say it again under its own name
    expect(t).not.toContain('预算支出率（实际支出数/年初预算数）为47.52%');
    expect(t.match(/47\.52%/g)).toHaveLength(1);
  });

  it('附件2 states a rate the note does not give, with its definition', async () => {
    const f = seedFile();
    f.answers['funds.executionNote'] = '主要为本年度项目整合、严格控制经费开支所致。';
    const report = (await build(f.answers, f.problems, f.year)).find((d) => d.kind === 'report')!;
    const t = paragraphs(await documentXml(report.bytes)).join('\n');
    expect(t).toContain('预算支出率（实际支出数/年初预算数）为47.52%。');
    expect(t.match(/47\.52%/g)).toHaveLength(1);
  });

  it('附件2 states the conclusion 97 / 优 with 25/14/30/28, and explains each lost point', () => {
    const t = text.report;
    expect(t).toContain(
      '最终评价总分100分，自评得分97分；其中：决策25分，自评得分25分；过程15分，自评得分14分；产出30分，自评得分30分；效益30分，自评得分28分。评价等次为“优”。',
    );
    expect(t).toContain('本项目共扣3分');
    expect(t).toContain('1.过程—资金管理—预算执行率：分值2分，自评得分1分，扣1分。');
    expect(t).toContain('2.效益—满意度—社会公众或服务对象满意度：分值10分，自评得分8分，扣2分。');
    expect(t).toContain('基建维护验收合格率目标值100%，实际完成100%，得4分（分值4分）');
    expect(t).toContain('立项依据充分性达到要求，得5分（分值5分）');
  });

  it('附件2 keeps the people\'s paragraphs as they wrote them, and prints no reviewer warning', () => {
    const ps = paragraphs(xml.report);
    expect(ps).toContain('（2）监督专业管理。对办事处辖区内涉及公安、工商、税务、安全生产、劳动监察、市政建设、物业管理、绿化、水务、交通、食品安全、质量检查监督、文化市场监管等社会专业管理事务，按照责任主体唯一的原则，以各相关职能部门及其派出机构为主，依法实施行政管理，街道办事处负责监督和配合工作。');
    expect(ps).toContain('3.与区级部门签订目标责任书');
    expect(text.report).not.toMatch(/审核提示|LEVEL_WEIGHT|请统一口径/);
    expect(text.report).toContain('五华区红云街道办事处成立了绩效评价工作领导小组');
  });

  it('附件3 lists the problem 预算执行率未达到100% under 资金管理, each category merged down 1, 2, .....', () => {
    const ps = paragraphs(xml.problems);
    expect(ps).toContain('附件3：');
    // the title breaks between its parts, not inside a word ("…项目绩 / 效评价…" before)
    expect(ps).toContain('五华区红云街道办事处行政综合性经费项目');
    expect(ps).toContain('绩效评价问题清单');
    const [t] = tables(xml.problems);
    const rows = t.rows.map((r) => r.map((c) => c.text));
    expect(rows[0]).toEqual(['问题分类', '序号', '项目责任单位', '问题描述']);
    const funds = rows.findIndex((r) => r[0] === '资金管理存在的问题');
    expect(rows[funds][1]).toBe('1');
    expect(rows[funds][2]).toBe('五华区红云街道办事处');
    expect(rows[funds][3]).toMatch(/^预算执行率未达到100%/);
    expect(rows[funds + 1].slice(1)).toEqual(['2', '', '']);
    expect(rows[funds + 2].slice(1)).toEqual(['.....', '', '']);
    const cats = t.rows.filter((r) => r[0].vMerge === 'restart').map((r) => r[0].text);
    expect(cats).toEqual(['项目立项存在的问题', '资金管理存在的问题', '业务管理存在的问题', '项目产出存在的问题', '项目效益存在的问题', '其他问题']);
    expect(t.rows.filter((r) => r[0].vMerge === 'continue')).toHaveLength(12);
    expect(rows.at(-1)).toEqual(['备  注：']);
  });

  it('file names strip the characters a file system refuses', () => {
    expect(documentFileNames(2024, 'a/b\\c:d*e?f"g<h>i|j')).toEqual({
      form: '2024年度abcdefghij-附件1-评价表.docx',
      report: '2024年度abcdefghij-附件2-绩效评价报告.docx',
      problems: '2024年度abcdefghij-附件3-问题清单.docx',
    });
    expect(documentFileNames(2025, ' // ').form).toBe('2025年度项目-附件1-评价表.docx');
  });
});
