// 附件1 评价表: the template's form blocks (the seed's 评价表 row for row when it declares none), as one table on a common column grid.
import { AlignmentType, LineRuleType, Paragraph, Tab, TabStopType, type Table, TextRun } from 'docx';
import { type Answers, str } from '../domain/answers';
import type { Assessment } from '../domain/evaluate';
import { formSections, questionAt } from '../domain/questions';
import type { FormBlock, Template } from '../domain/template';
import { fundsRows } from './formFunds';
import { indicatorRows } from './formIndicators';
import { formLayoutOf } from './formLayout';
import { defaultFormSummary } from './reportText';
import {
  fonts,
  plainParagraph,
  run,
  sectionProperties,
  sizes,
  styleIds,
  textWidth,
  titleParagraph,
  draftParagraphs,
} from './styles';
import type { DocxSpec } from './pack';
import { type CellTextStyle, type GridCell, type GridRow, gridTable, textCell } from './table';
import { chineseDate, clean, projectFacts } from './text';

// Cell widths in twips, chosen so the blocks share most column edges (the grid is
// their union). The label column fits 年度总体目标 on one line at 小四.
const W = 8840;
const widths = {
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
const rowHeight = 440;

const cells = (ws: number[], texts: (string | undefined)[], style: CellTextStyle = small): GridCell[] =>
  ws.map((w, i) => textCell(w, texts[i], style));

type Block<T extends FormBlock['type']> = Extract<FormBlock, { type: T }>;

/** Header rows: each answer under its question's label; a choice listed with a tick where the template asks. */
function headerRows(t: Template, answers: Answers, block: Block<'header'>): GridRow[] {
  const sections = formSections(t);
  const label = (path: string) => questionAt(sections, path)?.question.label ?? path;
  const value = (path: string) => {
    const v = path === 'project.selfEvalDate' ? chineseDate(str(answers[path])) : clean(str(answers[path]) ?? '');
    if (!block.ticks.includes(path)) return v;
    const options = questionAt(sections, path)?.question.options ?? [];
    return options.map((o) => `${o}（${o === v ? '√' : '  '}）`).join('       ');
  };
  return block.rows.map((r) =>
    r.length === 1
      ? { cells: [textCell(widths.single[0], label(r[0])), textCell(widths.single[1], value(r[0]), left)], minHeight: rowHeight }
      : { cells: cells(widths.pair, [label(r[0]), value(r[0]), label(r[1]), value(r[1])]), minHeight: rowHeight },
  );
}

function goalRows(answers: Answers, block: Block<'goals'>): GridRow[] {
  const [label, a, b] = widths.goals;
  return [
    { cells: [textCell(label, block.label, small, 'restart'), textCell(a, block.columns[0]), textCell(b, block.columns[1])] },
    {
      cells: [
        textCell(label, '', small, 'continue'),
        { ...textCell(a, clean(str(answers[block.planned]) ?? ''), prose), verticalAlign: 'top' },
        { ...textCell(b, clean(str(answers[block.achieved]) ?? ''), prose), verticalAlign: 'top' },
      ],
      minHeight: 1200,
      cantSplit: false,
    },
  ];
}

function gradeRows(t: Template, a: Assessment, block: Block<'grade'>): GridRow[] {
  const [label, value] = widths.single;
  const graded = a.scores.indicators.some((i) => i.scored);
  const ticks = t.grades.map((g) => `${g.grade}${graded && g.grade === a.scores.grade ? '√' : '□'}`).join('        ');
  return [
    { cells: [textCell(label, block.label, small, 'restart'), textCell(value, ticks, left)], minHeight: rowHeight },
    { cells: [textCell(label, '', small, 'continue'), textCell(value, t.gradeLegend, left)], minHeight: rowHeight },
  ];
}

function textRow(answers: Answers, a: Assessment, block: Block<'text'>): GridRow {
  const [label, value] = widths.single;
  const scored = a.scores.indicators.some((i) => i.scored);
  // Nothing scored yet: nothing to conclude, the cell stays blank to be filled by hand.
  const generated = block.generated === 'summary' && scored ? defaultFormSummary(a) : '';
  const text = clean(str(answers[block.answer]) ?? '') || generated;
  return {
    cells: [textCell(label, block.label), { ...textCell(value, text, prose), verticalAlign: 'top' }],
    minHeight: 1000,
    cantSplit: false,
  };
}

function peopleRows(answers: Answers, block: Block<'people'>): GridRow[] {
  const people = projectFacts(answers).evaluators;
  const rows: GridRow[] = [
    { cells: [textCell(W, block.label, bold)], minHeight: rowHeight },
    { cells: cells(widths.people, ['姓名', '职务/职称', '单位', '签字'], bold), minHeight: rowHeight },
  ];
  for (let i = 0; i < Math.max(3, people.length); i++) {
    const p = people[i];
    rows.push({ cells: cells(widths.people, p ? [p.name, p.title, p.unit, ''] : []), minHeight: 520 });
  }
  return rows;
}

/** The signers (填报人 / 评价组组长 / 评价部门负责人 on the seed), with room above each to sign and 年 月 日 on a right tab stop. */
function signatureRow(block: Block<'signatures'>): GridRow {
  const paragraphs = block.signers.map(
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

function blockRows(t: Template, answers: Answers, a: Assessment, block: FormBlock): GridRow[] {
  switch (block.type) {
    case 'header':
      return headerRows(t, answers, block);
    case 'funds':
      return fundsRows(W, a);
    case 'goals':
      return goalRows(answers, block);
    case 'indicators':
      return indicatorRows(W, block, a);
    case 'grade':
      return gradeRows(t, a, block);
    case 'text':
      return [textRow(answers, a, block)];
    case 'people':
      return peopleRows(answers, block);
    case 'signatures':
      return [signatureRow(block)];
  }
}

export function formTable(t: Template, answers: Answers, a: Assessment): Table {
  const rows: GridRow[] = [];
  for (const b of formLayoutOf(t).blocks) {
    // the signatures never stand alone at the top of a page: the two rows above go with them
    if (b.type === 'signatures') for (const r of rows.slice(-2)) r.keepNext = true;
    rows.push(...blockRows(t, answers, a, b));
  }
  return gridTable(rows, { width: W });
}

export function formDocument(t: Template, answers: Answers, a: Assessment, year: number, draft?: string): DocxSpec {
  const layout = formLayoutOf(t);
  const children = [
    ...draftParagraphs(draft),
    ...(layout.attachment ? [plainParagraph(layout.attachment, { font: fonts.heiti })] : []),
    titleParagraph(t.title, { before: 200 }),
    plainParagraph(layout.yearLine.replace('{year}', String(year)), { align: AlignmentType.CENTER, after: 120 }),
    formTable(t, answers, a),
    ...(layout.note ? [plainParagraph(layout.note, { size: sizes.xiaosi, line: 360, before: 120 })] : []),
  ];
  return { title: `${year}年度${t.title}`, sections: [{ properties: sectionProperties(), pageNumbers: true, children }] };
}
