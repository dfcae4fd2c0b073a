// The report follows the template's outline: its parts' titles and order, and what
// fills each (answers, the template's wording, computed paragraphs). Changing the
// outline in the template's JSON changes the report with no code change; an outline
// that names a question the template does not have is refused, with where.
import { describe, expect, it } from 'vitest';
import { buildDocuments } from '../../src/documents';
import { assess } from '../../src/domain/evaluate';
import { parseTemplate } from '../../src/domain/registry';
import type { Template } from '../../src/domain/template';
import { rawTemplate, seedAnswers, templateWith } from '../domain/fixtures';
import { documentXml, paragraphs } from './helpers';

async function reportOf(t: Template): Promise<string[]> {
  const answers = seedAnswers();
  const docs = await buildDocuments({ template: t, answers, assessment: assess(t, answers, []), year: 2024 });
  const report = docs.find((d) => d.kind === 'report');
  expect(report).toBeDefined();
  return paragraphs(await documentXml(report!.bytes));
}

const titles = (ps: string[]) => ps.filter((p) => /^[一二三四五六七八九十]+、/.test(p));

describe('the report outline comes from the template', () => {
  it('the cover prints another template\'s title lines, labels and team table, in its order, with the project\'s facts', async () => {
    // the seed's cover, line by line, is in seed.test.ts (附件2 has the cover, then parts 一 to 八)
    // a district whose cover is titled and labelled differently, without the team table
    const t = templateWith((t) => {
      t.report.cover = {
        title: ['{nameStem}', '{year}年度项目支出绩效自评报告'],
        facts: [
          { label: '填报单位（盖章）', fact: 'unitFullName' },
          { label: '项目负责人', fact: 'leader' },
          { label: '自评日期', fact: 'selfEvalDate' },
        ],
      };
    });
    const ps = await reportOf(t);
    expect(ps.slice(0, 6)).toEqual(['附件2：', '行政综合性经费', '2024年度项目支出绩效自评报告', '填报单位（盖章）：昆明市五华区人民政府红云街道办事处', `项目负责人：${seedAnswers()['project.leader'] ?? ''}`, '自评日期：2025年5月']);
    expect(ps.join('\n')).not.toContain('评价小组成员');
    expect(ps.join('\n')).not.toContain('主管部门：');
    // and one whose team table has other headings and seats
    const withTeam = templateWith((t) => {
      t.report.cover.team = { label: '自评工作组', columns: ['组内分工', '姓名', '职务/职称', '工作单位', '本人签名'], seats: ['组长', '组员', '组员'] };
    });
    const team = await reportOf(withTeam);
    const at = team.indexOf('自评工作组：');
    expect(at).toBeGreaterThan(0);
    expect(team.slice(at + 1, at + 6)).toEqual(['组内分工', '姓名', '职务/职称', '工作单位', '本人签名']);
    expect(team.join('\n')).not.toContain('评价小组机构职位');
  });

  it('a cover fact the documents do not know, or a title naming a question the template does not have, is refused', () => {
    const raw = rawTemplate();
    raw.report.cover.facts.push({ label: '预算编码', fact: 'budgetCode' });
    const r = parseTemplate(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.join('\n')).toContain('report.cover.facts');
    // and a title line naming a question the template does not have, as a text block would be
    const title = rawTemplate();
    title.report.cover.title[0] = '{project.budgetOffice}';
    const t = parseTemplate(title);
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.issues.join('\n')).toMatch(/report\.cover\.title\.0.*project\.budgetOffice|project\.budgetOffice[\s\S]*report\.cover\.title/);
  });

  it('the seed template declares the eight parts in order', async () => {
    expect(titles(await reportOf(templateWith(() => {})))).toEqual([
      '一、项目基本情况',
      '二、绩效评价工作情况',
      '三、评价结论和绩效分析',
      '四、绩效评价指标分析',
      '五、项目主要经验及做法',
      '六、存在的问题及原因分析',
      '七、有关建议',
      '八、其他需要说明的问题',
    ]);
  });

  it('reordered, renamed and reduced parts, and a paragraph of the template\'s own, print as declared', async () => {
    const t = templateWith((t) => {
      const parts = t.report.parts;
      const [one, two, three, four, five, six, seven] = parts;
      // 二 dropped; 三 renamed and moved first; 六 before 五; 八 dropped; a part of the template's own words
      three.title = '一、评价结论';
      four.title = '二、指标分析';
      six.title = '三、问题';
      five.title = '四、经验';
      seven.title = '五、建议';
      one.title = '六、项目概况';
      t.report.parts = [
        three,
        four,
        six,
        five,
        seven,
        one,
        { title: '七、声明', blocks: [{ type: 'text', paragraphs: ['{project.unit|本单位}对本报告内容的真实性负责。'] }] },
      ];
      void two;
    });
    const ps = await reportOf(t);
    expect(titles(ps)).toEqual(['一、评价结论', '二、指标分析', '三、问题', '四、经验', '五、建议', '六、项目概况', '七、声明']);
    expect(ps).not.toContain('二、绩效评价工作情况');
    expect(ps.some((p) => p.startsWith('为使本次绩效评价工作顺利开展'))).toBe(false);
    expect(ps.at(-1)).toBe('五华区红云街道办事处对本报告内容的真实性负责。');
    // what fills each part moved with it: 97 under 一、评价结论, the funds under 六、项目概况
    const at = (s: string) => ps.findIndex((p) => p.includes(s));
    expect(at('自评得分97分')).toBeGreaterThan(at('一、评价结论'));
    expect(at('自评得分97分')).toBeLessThan(at('二、指标分析'));
    expect(at('项目预算总额为273.45万元')).toBeGreaterThan(at('六、项目概况'));
  });

  it('refuses an outline that names a question the template does not have, and a report listed without an outline', () => {
    const t = rawTemplate();
    t.report.parts[4].blocks[0].answer = 'conclusion.lessons';
    t.report.parts[1].blocks.push({ type: 'text', paragraphs: ['{project.owner}负责。'] });
    t.sections.find((s: any) => s.id === 'project').questions.find((q: any) => q.id === 'type').default = '经常性项目';
    const r = parseTemplate(t);
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues).toContain('report.parts.4.blocks.0.answer: “conclusion.lessons”不是模板里的问题（只能引用不重复部分的问题）');
    expect(issues.some((i) => i.startsWith('report.parts.1.blocks.') && i.includes('“project.owner”不是模板里的问题'))).toBe(true);
    expect(issues.some((i) => i.includes('只有文字题（text、longText）可以有默认文字'))).toBe(true);

    const none = rawTemplate();
    delete none.report;
    const n = parseTemplate(none);
    expect(n.ok).toBe(false);
    expect(n.ok ? [] : n.issues).toContain('report: documents 里有 report（绩效评价报告），但没有写报告提纲 report；不出报告就从 documents 里去掉 report');
    none.documents = ['form', 'problems'];
    expect(parseTemplate(none).ok).toBe(true);
  });
});
