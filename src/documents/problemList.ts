// 附件3 问题清单: six categories, each with its problems numbered from 1 and then
// empty numbered rows, so that every category shows at least "1", "2", "....." as
// the seed does and the unit can add problems by hand on paper.
import { AlignmentType } from 'docx';
import type { Answers } from '../domain/answers';
import type { Assessment } from '../domain/evaluate';
import type { Problem } from '../domain/problems';
import type { Template } from '../domain/template';
import { draftParagraphs, fonts, plainParagraph, sectionProperties, sizes, titleParagraphs } from './styles';
import type { DocxSpec } from './pack';
import { type CellTextStyle, type GridRow, gridTable, textCell } from './table';
import { projectFacts, projectStem } from './text';

const widths = [2400, 700, 1800, 3940]; // 问题分类|序号|项目责任单位|问题描述
const total = widths.reduce((a, b) => a + b, 0);
// Exact line pitch: a CJK fallback font's tall line box would otherwise push the list onto a second page.
const style: CellTextStyle = { size: sizes.xiaosi, line: 300, exact: true };
const left: CellTextStyle = { ...style, align: AlignmentType.LEFT };

/** The rows of one category: [序号, unit, description]. */
export function categoryRows(problems: Problem[]): [string, string, string][] {
  const rows: [string, string, string][] = problems.map((p, i) => [String(i + 1), p.unit, p.description]);
  if (rows.length < 2) for (let i = rows.length; i < 2; i++) rows.push([String(i + 1), '', '']);
  rows.push(['.....', '', '']);
  return rows;
}

export function problemTableRows(t: Template, a: Assessment): GridRow[] {
  const rows: GridRow[] = [
    {
      cells: ['问题分类', '序号', '项目责任单位', '问题描述'].map((h, i) => textCell(widths[i], h, { ...style, font: fonts.heiti })),
      header: true,
      minHeight: 480,
    },
  ];
  for (const cat of t.problemCategories) {
    const group = categoryRows(a.problems.filter((p) => p.category === cat.id));
    group.forEach(([n, unit, description], k) =>
      rows.push({
        // a category stays on one page, so its merged label is never left behind
        keepNext: k < group.length - 1,
        cells: [
          textCell(widths[0], k === 0 ? cat.label : '', style, k === 0 ? 'restart' : 'continue'),
          textCell(widths[1], n, style),
          textCell(widths[2], unit, style),
          textCell(widths[3], description, left),
        ],
        minHeight: 400,
      }),
    );
  }
  rows[rows.length - 1].keepNext = true; // 备注 is not left alone on a page
  rows.push({ cells: [{ ...textCell(total, '备  注：', left), verticalAlign: 'top' }], minHeight: 900 });
  return rows;
}

export function problemListDocument(t: Template, answers: Answers, a: Assessment, draft?: string): DocxSpec {
  const f = projectFacts(answers);
  const title = `${f.unit}${projectStem(f.name)}项目绩效评价问题清单`;
  return {
    title,
    sections: [
      {
        properties: sectionProperties(),
        pageNumbers: true,
        children: [
          ...draftParagraphs(draft),
          plainParagraph('附件3：', { font: fonts.heiti }),
          ...titleParagraphs([f.unit, `${projectStem(f.name)}项目`, '绩效评价问题清单'], { before: 200, after: 300 }),
          gridTable(problemTableRows(t, a), { width: total }),
        ],
      },
    ],
  };
}
