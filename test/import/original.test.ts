// A Word file laid out as the department's own was, not as ours: the seed's original
// report text with its own headings (1、 rather than 1., a heading with a remark in
// brackets, a sub-heading indented with spaces), and a form table with spaced-out
// labels, "其中：" rows and a ticked type. Narrative parts and figures must land on the
// right questions.
import { describe, expect, it } from 'vitest';
import { defaultTemplate, examples } from '../../src/domain/registry';
import { importFile } from '../../src/import';
import { docxOf, fixture, para, table } from './helpers';

const seed = examples['wuhua-2024'].answers;

function formTable() {
  const s = (text: string, span = 1) => ({ text, span });
  return table([
    ['项目名称', s('行政综合性经费', 6)],
    ['主管部门', s('昆明市五华区人民政府', 2), '项目实施单位', s('五华区红云街道办事处', 3)],
    ['项目负责人', s('', 2), '联系电话', s('', 3)],
    ['项目类型', s('经常性项目（√）       一次性项目（  ）', 6)],
    ['项目资金（万元）', '项目支出明细内容', '年初预算数', '实际到位数', '实际支出数', '执行率', ''],
    ['', '行政综合性经费', '273.45', '172.91', '129.94', '75%', ''],
    ['', '', '', '', '', '', ''],
    ['', '合      计', '273.45', '172.91', '129.94', '75%', ''],
    ['', '                其中：中央财政', '', '', '', '', ''],
    ['', '                      省级财政', '', '', '', '', ''],
    ['', '                      区级财政', '２７３．４５', '172.91', '129.94', '75%', ''],
    ['年度总体目标', s('预期目标', 3), s('实际完成情况', 3)],
    ['', s(String(seed['goals.planned']), 3), s(String(seed['goals.achieved']), 3)],
  ]);
}

/** The report as the original's paragraphs; the evaluators' table rows (tab-indented in the text) left out. */
function reportParagraphs() {
  return fixture('seed-report.txt')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('\t'))
    .map(para);
}

describe('a Word file laid out differently from ours', () => {
  it('fills the narrative parts from their headings and the funds from the table', async () => {
    const bytes = await docxOf([para('附件1：'), para('五华区区级预算支出部门评价表'), formTable(), ...reportParagraphs()]);
    const r = await importFile(bytes, '红云街道2024自评.docx', defaultTemplate());
    if (!r.ok) throw new Error(r.message);
    const a = r.answers;
    expect(a['project.name']).toBe('行政综合性经费');
    expect(a['project.unit']).toBe('五华区红云街道办事处');
    expect(a['project.type']).toBe('经常性项目');
    expect(a['project.unitFullName']).toBe('昆明市五华区人民政府红云街道办事处');
    expect(a['project.selfEvalDate']).toBe('2025-05');
    expect([a['lineItems[0].name'], a['lineItems[0].budget'], a['lineItems[0].arrived'], a['lineItems[0].spent']]).toEqual(['行政综合性经费', 273.45, 172.91, 129.94]);
    expect(a['lineItems[1].name']).toBeUndefined(); // 合计 is computed, not an item
    expect([a['sources[0].source'], a['sources[0].budget'], a['sources[0].spent']]).toEqual(['区级财政', 273.45, 129.94]);
    expect(a['sources[1].source']).toBeUndefined(); // sources without figures are not items
    // the breakdown sentence: 13 items summing to the budget, "2万" without 元 included
    const amounts = Object.entries(a).filter(([p]) => /^breakdown\[\d+\]\.amount$/.test(p)).map(([, v]) => Number(v));
    expect(amounts).toHaveLength(13);
    expect(Math.round(amounts.reduce((x, y) => x + y, 0) * 100)).toBe(27345);
    expect(a['breakdown[11].name']).toBe('社建工作经费');
    for (const path of ['goals.planned', 'goals.achieved', 'background.unitInfo', 'background.functions', 'background.basis', 'implementation.systems', 'conclusion.experience', 'conclusion.problems', 'conclusion.suggestions', 'conclusion.other'])
      expect(a[path], path).toBe(seed[path]);
    // headings of the original: "（五）项目完成情况（项目完成情况是根据…）" and "    4.制度建设情况"
    expect(String(a['implementation.completion'])).toMatch(/^1\.经济发展稳中向好。/);
    expect(String(a['implementation.completion'])).toMatch(/绩效目标质量较好，工作计划完整，项目管理制度建立与执行情况良好。$/);
    expect(String(a['implementation.organization'])).toMatch(/^1\.项目职责分工：\n按照上级主管部门要求/);
    expect(String(a['implementation.organization'])).not.toContain('制度建设情况');
    // 资金投入和使用情况: the budget sentence is figures; the rest is the explanation
    expect(String(a['funds.executionNote'])).toMatch(/^截止2024年12月31日，我单位行政综合工作经费支出129\.94万元/);
    // parts the report discusses under headings that are not questions stay out
    expect(Object.values(a).some((v) => String(v).includes('绩效评价工作领导小组'))).toBe(false);
    expect(r.unmatched).toEqual([]);
  });
});
