// Evaluations other than the seed: many rows, the bare minimum, and text that must
// be escaped. Each is read back from the real .docx.
import { describe, expect, it } from 'vitest';
import type { Answers, ManualProblem } from '../../src/domain/answers';
import { assertWellFormed, build, documentXml, paragraphs, seedFile, tables } from './helpers';

async function read(answers: Answers, problems: ManualProblem[] = []) {
  const docs = await build(answers, problems);
  const out: Record<string, { xml: string; paragraphs: string[] }> = {};
  for (const d of docs) {
    const xml = await documentXml(d.bytes);
    assertWellFormed(xml);
    out[d.kind] = { xml, paragraphs: paragraphs(xml) };
  }
  return { docs, ...out } as Record<'form' | 'report' | 'problems', { xml: string; paragraphs: string[] }> & { docs: typeof docs };
}

const rowsOf = (xml: string, i = 0) => tables(xml)[i].rows.map((r) => r.map((c) => c.text));

describe('several line items, sources and problems per category', () => {
  const answers: Answers = {
    ...seedFile().answers,
    'lineItems[0].name': '人员经费',
    'lineItems[0].budget': 100,
    'lineItems[0].arrived': 80,
    'lineItems[0].spent': 60,
    'lineItems[1].name': '公用经费',
    'lineItems[1].budget': 50.5,
    'lineItems[1].arrived': 50.5,
    'lineItems[1].spent': 50.5,
    'lineItems[2].name': '专项业务费',
    'lineItems[2].budget': 20,
    'lineItems[2].arrived': 0,
    'lineItems[2].spent': 0,
    'lineItems[3].name': '设备购置',
    'lineItems[3].budget': 9.99,
    'lineItems[3].arrived': 9.99,
    'lineItems[3].spent': 3.33,
    'lineItems[4].name': '培训费',
    'lineItems[4].budget': 1,
    'lineItems[4].arrived': 1,
    'lineItems[4].spent': 1,
    'sources[0].source': '中央财政',
    'sources[0].budget': 100,
    'sources[0].arrived': 80,
    'sources[0].spent': 60,
    'sources[1].source': '省级财政',
    'sources[1].budget': 50.5,
    'sources[1].arrived': 50.5,
    'sources[1].spent': 50.5,
    'sources[2].source': '区级财政',
    'sources[2].budget': 30.99,
    'sources[2].arrived': 10.99,
    'sources[2].spent': 4.33,
    'conclusion.problems': '',
    'conclusion.suggestions': '',
    'conclusion.formSummary': '',
    'evaluators[0].name': '张三',
    'evaluators[0].role': '组长',
    'evaluators[0].title': '主任',
    'evaluators[0].unit': '党政综合办公室',
    'evaluators[1].name': '李四',
    'evaluators[1].role': '成员',
    'evaluators[2].name': '王五',
    'evaluators[2].role': '成员',
    'evaluators[3].name': '赵六',
    'evaluators[3].role': '成员',
  };
  const problems: ManualProblem[] = [
    { category: '项目立项存在的问题', description: '绩效指标量化不够' },
    { category: '项目立项存在的问题', description: '时效指标不完整' },
    { category: '项目立项存在的问题', description: '质量指标不完整' },
    { category: '资金管理存在的问题', description: '资金支付进度慢', unit: '财务科' },
    { category: '其他问题', description: '档案整理不及时' },
    { category: '其他问题', description: '资料报送滞后' },
  ];

  it('prints every line item and every source in the form', async () => {
    const d = await read(answers, problems);
    const rows = rowsOf(d.form.xml);
    const find = (name: string) => rows.find((r) => r[1] === name)?.slice(2);
    expect(find('人员经费')).toEqual(['100.00', '80.00', '60.00', '75.00%']);
    expect(find('公用经费')).toEqual(['50.50', '50.50', '50.50', '100.00%']);
    expect(find('专项业务费')).toEqual(['20.00', '0.00', '0.00', '—']);
    expect(find('设备购置')).toEqual(['9.99', '9.99', '3.33', '33.33%']);
    expect(find('培训费')).toEqual(['1.00', '1.00', '1.00', '100.00%']);
    expect(find('合      计')).toEqual(['181.49', '141.49', '114.83', '81.16%']);
    expect(find('其中：中央财政')).toEqual(['100.00', '80.00', '60.00', '75.00%']);
    expect(find('省级财政')).toEqual(['50.50', '50.50', '50.50', '100.00%']);
    expect(find('市级财政')).toEqual(['', '', '', '']);
    expect(find('区级财政')).toEqual(['30.99', '10.99', '4.33', '39.40%']);
    expect(find('其他')).toEqual(['', '', '', '']);
    // the five lines sit between the header and 合计, with no blank padding rows
    const header = rows.findIndex((r) => r[1] === '项目支出明细内容');
    expect(rows.findIndex((r) => r[1] === '合      计') - header - 1).toBe(5);
    // 评价人员: four people, so four rows
    const people = rows.findIndex((r) => r[0] === '姓名');
    expect(rows.slice(people + 1, people + 5).map((r) => r[0])).toEqual(['张三', '李四', '王五', '赵六']);
  });

  it('lists several problems per category, numbered, then one "....." row', async () => {
    const d = await read(answers, problems);
    const t = tables(d.problems.xml)[0];
    const rows = t.rows.map((r) => r.map((c) => c.text));
    const setup = rows.findIndex((r) => r[0] === '项目立项存在的问题');
    expect(rows.slice(setup, setup + 4).map((r) => [r[1], r[3]])).toEqual([
      ['1', '绩效指标量化不够'],
      ['2', '时效指标不完整'],
      ['3', '质量指标不完整'],
      ['.....', ''],
    ]);
    const funds = rows.findIndex((r) => r[0] === '资金管理存在的问题');
    // derived from lost points first, then the one added by hand; then "....."
    expect(rows.slice(funds, funds + 3).map((r) => r[1])).toEqual(['1', '2', '.....']);
    expect(rows[funds + 1].slice(2)).toEqual(['财务科', '资金支付进度慢']);
    const other = rows.findIndex((r) => r[0] === '其他问题');
    expect(rows.slice(other, other + 3).map((r) => r[1])).toEqual(['1', '2', '.....']);
    // each category's cell is merged down exactly its own rows
    const restarts = t.rows.map((r, i) => (r[0].vMerge === 'restart' ? i : -1)).filter((i) => i >= 0);
    expect(restarts).toHaveLength(6);
    restarts.forEach((start, k) => {
      const end = restarts[k + 1] ?? t.rows.length - 1;
      for (let i = start + 1; i < end; i++) expect(t.rows[i][0].vMerge).toBe('continue');
    });
  });

  it('writes the sources split, the default problems and one suggestion per category into the report', async () => {
    const d = await read(answers, problems);
    const t = d.report.paragraphs.join('\n');
    expect(t).toContain('按资金来源分：中央财政年初预算100万元、实际到位80万元、实际支出60万元；省级财政年初预算50.5万元');
    const six = d.report.paragraphs.indexOf('六、存在的问题及原因分析');
    const seven = d.report.paragraphs.indexOf('七、有关建议');
    const eight = d.report.paragraphs.indexOf('八、其他需要说明的问题');
    const sixText = d.report.paragraphs.slice(six + 1, seven);
    expect(sixText[0]).toBe('经评价，本项目存在以下问题：');
    expect(sixText.some((p) => p.includes('项目立项存在的问题：绩效指标量化不够。'))).toBe(true);
    expect(sixText.some((p) => p.includes('原因：本年度由于资金管理需求'))).toBe(true);
    const sevenText = d.report.paragraphs.slice(seven + 1, eight);
    expect(sevenText).toHaveLength(4); // 立项, 资金管理, 效益 (满意度), 其他
    expect(sevenText[0]).toMatch(/^1\.加强项目立项论证/);
    // the form's 问题和建议 is built from the same problems
    expect(d.form.paragraphs.join('')).toMatch(/存在的问题：.*绩效指标量化不够.*建议：/);
    // cover team: 组长 张三, the three 成员 fill two seats and add a row
    const team = rowsOf(d.report.xml, 0);
    expect(team.map((r) => r.slice(0, 2))).toEqual([
      ['评价小组机构职位', '姓名'],
      ['组长', '张三'],
      ['副组长', ''],
      ['副组长', ''],
      ['成员', '李四'],
      ['成员', '王五'],
      ['成员', '赵六'],
    ]);
    expect(team[1]).toEqual(['组长', '张三', '主任', '党政综合办公室', '']);
  });
});

describe('the required minimum', () => {
  it('builds from no answers at all, with blank cells and no crash', async () => {
    const d = await read({});
    expect(d.docs.map((x) => x.fileName)).toEqual([
      '2024年度项目-附件1-评价表.docx',
      '2024年度项目-附件2-绩效评价报告.docx',
      '2024年度项目-附件3-问题清单.docx',
    ]);
    const rows = rowsOf(d.form.xml);
    expect(rows[0]).toEqual(['项目名称', '']);
    expect(rows.find((r) => r[1] === '合      计')?.slice(2)).toEqual(['', '', '', '']);
    const header = rows.findIndex((r) => r[1] === '项目支出明细内容');
    expect(rows.slice(header + 1, header + 4).every((r) => r.slice(1).every((c) => c === ''))).toBe(true);
    // no score entered: no total, no tick; the 三级 weights add up to the fixed ones only
    expect(rows.find((r) => r[0] === '总分')).toEqual(['总分', '100', '', '100', '', '50', '']);
    expect(d.form.paragraphs.join('')).toContain('优□        良□        中□        差□');
    // a department-defined second level with no indicators still has its row
    expect(rows.find((r) => r.includes('产出数量'))).toBeDefined();
    expect(d.report.paragraphs).toContain('八、其他需要说明的问题');
    expect(d.report.paragraphs.at(-1)).toBe('无其他需要说明的问题。');
    // nothing entered, nothing claimed: no "0万元", no "未发现明显问题", a blank 问题和建议
    const report = d.report.paragraphs.join('\n');
    expect(report).not.toContain('0万元');
    expect(report).not.toContain('未发现明显问题');
    expect(rows.find((r) => r[0] === '问题和建议')).toEqual(['问题和建议', '']);
    expect(rowsOf(d.problems.xml).filter((r) => r[1] === '1')).toHaveLength(6);
  });

  it('builds from the required answers only', async () => {
    const seed = seedFile().answers;
    const keep = [
      'project.name',
      'project.department',
      'project.unit',
      'project.type',
      'project.selfEvalDate',
      'lineItems[0].name',
      'lineItems[0].budget',
      'lineItems[0].arrived',
      'lineItems[0].spent',
      'sources[0].source',
      'sources[0].budget',
      'sources[0].arrived',
      'sources[0].spent',
    ];
    const answers = Object.fromEntries(keep.map((k) => [k, seed[k]]));
    const d = await read(answers);
    const t = d.report.paragraphs.join('\n');
    expect(t).toContain('部门名称（公章）：五华区红云街道办事处'); // falls back to the unit
    expect(t).toContain('项目预算总额为273.45万元。项目实际到位金额为172.91万元。');
    expect(t).toContain('另有10项指标尚未评分');
    expect(d.form.paragraphs.join('')).toContain('经常性项目（√）');
    expect(rowsOf(d.form.xml).find((r) => r[0] === '项目负责人')).toEqual(['项目负责人', '', '联系电话', '']);
  });
});

describe('text that must be escaped', () => {
  const nasty = 'A&B <tag> "引号" \'单引号\' ]]> &amp; 😀👨‍👩‍👧 𠮷';
  const long = '长'.repeat(10_000) + 'ab&<>'.repeat(2_000) + '尾';

  it('round-trips markup characters, emoji and a 20,000-character paragraph', async () => {
    const answers: Answers = {
      ...seedFile().answers,
      'project.name': `项目${nasty}`,
      'project.unit': '单位<&>',
      'background.unitInfo': nasty,
      'background.content': long,
      'goals.planned': nasty,
      'conclusion.other': `第一行\n\n  第二行${nasty}\r\n第三行`,
    };
    expect(long.length).toBe(20_001);
    const d = await read(answers, [{ category: '其他问题', description: nasty }]);
    expect(d.report.paragraphs).toContain(nasty);
    expect(d.report.paragraphs).toContain(long);
    expect(d.report.paragraphs).toContain(`项目名称：项目${nasty}`);
    const end = d.report.paragraphs.slice(-3);
    expect(end).toEqual(['第一行', `第二行${nasty}`, '第三行']);
    expect(rowsOf(d.form.xml)[0]).toEqual(['项目名称', `项目${nasty}`]);
    expect(rowsOf(d.problems.xml).some((r) => r[3] === nasty)).toBe(true);
    expect(d.problems.paragraphs.slice(1, 4).join('')).toBe(`单位<&>项目${nasty}项目绩效评价问题清单`);
    expect(d.docs[0].fileName).toBe(`2024年度项目A&B tag 引号 '单引号' ]] &amp; 😀👨‍👩‍👧 𠮷-附件1-评价表.docx`);
  });

  it('drops the characters XML cannot carry instead of writing a file Word refuses', async () => {
    const answers: Answers = {
      ...seedFile().answers,
      'background.unitInfo': 'a\u0000b\u0001c\u000bd\ud800e\uffffg\th',
      'conclusion.experience': '\udc00孤立的低位代理',
    };
    const d = await read(answers);
    expect(d.report.paragraphs).toContain('abcdeg h');
    expect(d.report.paragraphs).toContain('孤立的低位代理');
  });
});
