// 附件1 评价表: the seed's form row for row, as one table on a common column grid.
import { AlignmentType, Document, LineRuleType, Paragraph, Tab, TabStopType, type Table, TextRun } from 'docx';
import { type Answers, items, num, str } from '../domain/answers';
import { formatScore, formatWan } from '../domain/decimal';
import type { Assessment } from '../domain/evaluate';
import { type Amounts, formatRate, ratesOf } from '../domain/funds';
import type { Template } from '../domain/template';
import { defaultFormSummary } from './reportText';
import {
  documentStyles,
  fonts,
  pageNumberFooters,
  plainParagraph,
  run,
  sectionProperties,
  sizes,
  styleIds,
  textWidth,
  titleParagraph,
  draftParagraphs,
} from './styles';
import { type CellTextStyle, type GridCell, type GridRow, gridTable, textCell } from './table';
import { clean, projectFacts } from './text';

// Cell widths in twips, chosen so the blocks share most column edges (the grid is
// their union). The label column fits 年度总体目标 on one line at 小四.
const W = 8840;
const widths = {
  indicators: [1600, 680, 1400, 680, 3120, 680, 680], // 一级|分值|二级|分值|三级|分值|得分
  funds: [1600, 2080, 1260, 1260, 1280, 1360], // label|明细|预算|到位|支出|执行率
  pair: [1600, 2760, 1840, 2640], // label|value|label|value
  single: [1600, 7240],
  goals: [1600, 3620, 3620],
  people: [2280, 2080, 3120, 1360], // 姓名|职务/职称|单位|签字
  full: [W],
};
if (W > textWidth) throw new Error('form wider than the text block');

const small: CellTextStyle = { size: sizes.xiaosi };
const left: CellTextStyle = { ...small, align: AlignmentType.LEFT };
// Long answers (goals, problems and suggestions) in 五号 so the form stays near three pages.
const prose: CellTextStyle = { size: sizes.wu, align: AlignmentType.JUSTIFIED, line: 252 };
const bold: CellTextStyle = { ...small, font: fonts.heiti };
const rowHeight = 440; // twips: blank rows stay tall enough to write in

const cells = (ws: number[], texts: (string | undefined)[], style: CellTextStyle = small): GridCell[] =>
  ws.map((w, i) => textCell(w, texts[i], style));

function headerRows(t: Template, answers: Answers): GridRow[] {
  const f = projectFacts(answers);
  const options = t.sections.find((s) => s.id === 'project')?.questions.find((q) => q.id === 'type')?.options ?? [
    '经常性项目',
    '一次性项目',
  ];
  const type = options.map((o) => `${o}（${o === f.type ? '√' : '  '}）`).join('       ');
  return [
    { cells: [textCell(widths.single[0], '项目名称'), textCell(widths.single[1], f.name, left)], minHeight: rowHeight },
    { cells: cells(widths.pair, ['主管部门', f.department, '项目实施单位', f.unit]), minHeight: rowHeight },
    { cells: cells(widths.pair, ['项目负责人', f.leader, '联系电话', f.phone]), minHeight: rowHeight },
    { cells: [textCell(widths.single[0], '项目类型'), textCell(widths.single[1], type, left)], minHeight: rowHeight },
  ];
}

function amounts(a: Amounts | undefined): string[] {
  if (!a) return ['', '', '', ''];
  return [formatWan(a.budget), formatWan(a.arrived), formatWan(a.spent), formatRate(ratesOf(a).executionRate)];
}

function fundsRows(answers: Answers, a: Assessment): GridRow[] {
  const [label, name, ...nums] = widths.funds;
  const merged = (first: boolean): GridCell =>
    first ? textCell(label, '项目资金\n（万元）', small, 'restart') : textCell(label, '', small, 'continue');
  const row = (first: boolean, title: string, values: string[], style: CellTextStyle = small, numStyle = small): GridRow => ({
    cells: [merged(first), textCell(name, title, style), ...nums.map((w, i) => textCell(w, values[i], numStyle))],
    minHeight: rowHeight,
  });
  const rate = a.funds.rates.executionRate;
  const rows: GridRow[] = [
    // 五号 here so that 年初预算数 fits its column on one line
    row(true, '项目支出明细内容', ['年初预算数', '实际到位数', '实际支出数', `执行率（${shortDefinition(rate.definition)}）`], small, {
      size: sizes.wu,
    }),
  ];
  // Amounts of a line are printed only where answered: a blank is not a zero.
  const raw = items(answers, 'lineItems');
  a.funds.lines.forEach((l, i) => {
    const values = amounts(l);
    const it = raw[i] ?? {};
    (['budget', 'arrived', 'spent'] as const).forEach((k, j) => {
      if (num(it[k]) === undefined) values[j] = '';
    });
    if (!l.complete) values[3] = '';
    rows.push(row(false, l.name, values));
  });
  for (let i = a.funds.lines.length; i < 3; i++) rows.push(row(false, '', amounts(undefined)));
  rows.push(row(false, '合      计', a.funds.lines.length ? amounts(a.funds.total) : amounts(undefined)));
  // "其中：" once, the other sources indented under it so the labels line up.
  a.funds.sources.forEach((s, i) => {
    const style: CellTextStyle = { ...left, indentLeft: i === 0 ? 0 : 720 };
    rows.push(row(false, `${i === 0 ? '其中：' : ''}${s.label}`, s.present ? amounts(s) : amounts(undefined), style));
  });
  return rows;
}

/** "实际支出数/实际到位数" → "支出/到位": the column is narrow. */
function shortDefinition(definition: string): string {
  return definition.replace(/实际|年初|数/g, '');
}

function goalRows(answers: Answers): GridRow[] {
  const [label, a, b] = widths.goals;
  return [
    { cells: [textCell(label, '年度总体目标', small, 'restart'), textCell(a, '预期目标'), textCell(b, '实际完成情况')] },
    {
      cells: [
        textCell(label, '', small, 'continue'),
        { ...textCell(a, clean(str(answers['goals.planned']) ?? ''), prose), verticalAlign: 'top' },
        { ...textCell(b, clean(str(answers['goals.achieved']) ?? ''), prose), verticalAlign: 'top' },
      ],
      minHeight: 1200,
      cantSplit: false,
    },
  ];
}

function indicatorRows(t: Template, a: Assessment): GridRow[] {
  const [w1, w1s, w2, w2s, w3, w3s, ws] = widths.indicators;
  const rows: GridRow[] = [
    // the heading rows go with the first block, never alone at a page foot
    {
      cells: [textCell(W, '二、绩效评价指标评分（参考）', { ...bold, align: AlignmentType.LEFT })],
      minHeight: rowHeight,
      keepNext: true,
    },
    {
      cells: cells(widths.indicators, ['一级指标', '分值', '二级指标', '分值', '三级指标', '分值', '得分'], bold),
      minHeight: rowHeight,
      keepNext: true,
    },
  ];
  const anyScored = a.scores.indicators.some((i) => i.scored);
  for (const level of a.scores.levels) {
    let firstOfLevel = true;
    const start = rows.length;
    for (const l2 of a.scores.level2.filter((x) => x.level1Id === level.id)) {
      const list = l2.indicators.length ? l2.indicators : [undefined];
      list.forEach((ind, k) => {
        const m1 = firstOfLevel ? 'restart' : 'continue';
        const m2 = k === 0 ? 'restart' : 'continue';
        rows.push({
          cells: [
            textCell(w1, m1 === 'restart' ? level.name : '', small, m1),
            textCell(w1s, m1 === 'restart' ? formatScore(level.weight) : '', small, m1),
            textCell(w2, m2 === 'restart' ? l2.name : '', small, m2),
            textCell(w2s, m2 === 'restart' ? formatScore(l2.weight) : '', small, m2),
            textCell(w3, ind?.name ?? '', ind ? small : left),
            textCell(w3s, ind ? formatScore(ind.weight) : ''),
            textCell(ws, ind?.scored ? formatScore(ind.score) : ''),
          ],
          minHeight: rowHeight,
        });
        firstOfLevel = false;
      });
    }
    // A first-level block is kept on one page, so its merged name is never left behind.
    for (let r = start; r < rows.length - 1; r++) rows[r].keepNext = true;
  }
  const level2Sum = a.scores.level2.reduce((s, l) => s + l.weight, 0);
  const itemsSum = a.scores.indicators.reduce((s, i) => s + i.weight, 0);
  rows.push({
    cells: cells(widths.indicators, [
      '总分',
      formatScore(a.scores.totalWeight),
      '',
      formatScore(level2Sum),
      '',
      formatScore(itemsSum),
      anyScored ? formatScore(a.scores.total) : '',
    ]),
    minHeight: rowHeight,
  });
  return rows;
}

function gradeRows(t: Template, a: Assessment): GridRow[] {
  const [label, value] = widths.single;
  const graded = a.scores.indicators.some((i) => i.scored);
  const ticks = t.grades.map((g) => `${g.grade}${graded && g.grade === a.scores.grade ? '√' : '□'}`).join('        ');
  return [
    { cells: [textCell(label, '评价等次', small, 'restart'), textCell(value, ticks, left)], minHeight: rowHeight },
    { cells: [textCell(label, '', small, 'continue'), textCell(value, t.gradeLegend, left)], minHeight: rowHeight },
  ];
}

function summaryRow(answers: Answers, a: Assessment): GridRow {
  const [label, value] = widths.single;
  const scored = a.scores.indicators.some((i) => i.scored);
  // Nothing scored yet: nothing to conclude, the cell stays blank to be filled by hand.
  const text = clean(str(answers['conclusion.formSummary']) ?? '') || (scored ? defaultFormSummary(a) : '');
  return {
    cells: [textCell(label, '问题和建议'), { ...textCell(value, text, prose), verticalAlign: 'top' }],
    minHeight: 1000,
    cantSplit: false,
  };
}

function peopleRows(answers: Answers): GridRow[] {
  const people = projectFacts(answers).evaluators;
  const rows: GridRow[] = [
    { cells: [textCell(W, '评价人员', bold)], minHeight: rowHeight },
    { cells: cells(widths.people, ['姓名', '职务/职称', '单位', '签字'], bold), minHeight: rowHeight },
  ];
  for (let i = 0; i < Math.max(3, people.length); i++) {
    const p = people[i];
    rows.push({ cells: cells(widths.people, p ? [p.name, p.title, p.unit, ''] : []), minHeight: 520 });
  }
  return rows;
}

/** 填报人 / 评价组组长 / 评价部门负责人, with room above each to sign and 年 月 日 on a right tab stop. */
function signatureRow(): GridRow {
  const who = ['填报人（签字）：', '评价组组长（签字）：', '评价部门负责人（签字并盖章）：'];
  const paragraphs = who.map(
    (w, i) =>
      new Paragraph({
        style: styleIds.cell,
        alignment: AlignmentType.LEFT,
        spacing: { line: 360, lineRule: LineRuleType.AUTO, before: i === 0 ? 240 : 400, after: 80 },
        tabStops: [{ type: TabStopType.RIGHT, position: W - 600 }],
        children: [run(w, { size: sizes.xiaosi }), new TextRun({ size: sizes.xiaosi, children: [new Tab(), '年   月   日'] })],
      }),
  );
  return { cells: [{ width: W, paragraphs, verticalAlign: 'top' }] };
}

export function formTable(t: Template, answers: Answers, a: Assessment): Table {
  const rows = [
    ...headerRows(t, answers),
    ...fundsRows(answers, a),
    ...goalRows(answers),
    ...indicatorRows(t, a),
    ...gradeRows(t, a),
    summaryRow(answers, a),
    ...peopleRows(answers),
    signatureRow(),
  ];
  return gridTable(rows, { width: W });
}

export function formDocument(t: Template, answers: Answers, a: Assessment, year: number, draft?: string): Document {
  const children = [
    ...draftParagraphs(draft),
    plainParagraph('附件1：', { font: fonts.heiti }),
    titleParagraph(t.title, { before: 200 }),
    plainParagraph(`（${year}）年度`, { align: AlignmentType.CENTER, after: 120 }),
    formTable(t, answers, a),
    ...(t.formNote ? [plainParagraph(t.formNote, { size: sizes.xiaosi, line: 360, before: 120 })] : []),
  ];
  return new Document({
    creator: '绩效自评助手',
    title: `${year}年度${t.title}`,
    styles: documentStyles,
    evenAndOddHeaderAndFooters: true,
    sections: [{ properties: sectionProperties(), footers: pageNumberFooters(), children }],
  });
}
