// 整改情况表: one row per 整改 item (序号, 问题分类, 问题描述, 整改措施, 责任单位, 责任人,
// 完成时限, 完成情况), on a landscape A4 page so eight columns stay readable.
import { AlignmentType, PageOrientation } from 'docx';
import { outcomeText, type RectItem } from '../domain/rectification';
import { fonts, page, plainParagraph, sectionProperties, sizes, titleParagraphs } from './styles';
import { type DocxSpec, packDocx } from './pack';
import { type CellTextStyle, type GridRow, gridTable, textCell } from './table';
import { safeFileStem } from './text';

export const rectColumns = ['序号', '问题分类', '问题描述', '整改措施', '责任单位', '责任人', '完成时限', '完成情况'] as const;

// landscape: the text block is the portrait page's height less the side margins
const landscapeWidth = page.height - page.left - page.right;
const weights = [5, 11, 21, 21, 12, 7, 11, 18];
const widths = weights.map((w) => Math.floor((landscapeWidth * w) / weights.reduce((a, b) => a + b, 0)));
const total = widths.reduce((a, b) => a + b, 0);
const style: CellTextStyle = { size: sizes.wu };
const left: CellTextStyle = { ...style, align: AlignmentType.LEFT };

export interface RectTableInput {
  title: string; // '2024年度行政综合性经费'
  unit: string;
  items: readonly RectItem[];
  lastEvidence: ReadonlyMap<number, string>;
  /** names of the files attached as evidence, per item */
  files?: ReadonlyMap<number, string[]>;
}

export function rectRows(input: RectTableInput): string[][] {
  return input.items.map((i) => [
    String(i.seq),
    i.categoryLabel,
    i.description,
    i.measure,
    i.unit,
    i.owner?.name ?? '',
    i.dueDate ?? '',
    outcomeText(i, input.lastEvidence.get(i.id), input.files?.get(i.id)),
  ]);
}

/** Title characters of 2号 (7.76 mm) on the landscape line (297 − 28 − 26 = 243 mm): 31, one kept spare. */
const landscapeTitleChars = 30;

export function rectificationDocument(input: RectTableInput): DocxSpec {
  const rows: GridRow[] = [
    { cells: rectColumns.map((h, i) => textCell(widths[i], h, { ...style, font: fonts.heiti })), header: true, minHeight: 480 },
    ...rectRows(input).map((r) => ({
      cells: r.map((text, i) => textCell(widths[i], text, i === 2 || i === 3 || i === 7 ? left : style)),
      minHeight: 400,
    })),
  ];
  const title = `${input.unit}${input.title}绩效评价问题整改情况表`;
  return {
    title,
    sections: [
      {
        properties: sectionProperties({
          page: {
            size: { width: page.width, height: page.height, orientation: PageOrientation.LANDSCAPE },
            margin: { top: page.left, bottom: page.right, left: page.left, right: page.right, header: page.header, footer: page.header, gutter: 0 },
          },
        }),
        pageNumbers: true,
        children: [
          ...titleParagraphs([input.unit, input.title, '绩效评价问题整改情况表'], { max: landscapeTitleChars, after: 300 }),
          gridTable(rows, { width: total }), plainParagraph(`共${input.items.length}项。`, { font: fonts.fangsong })],
      },
    ],
  };
}

export async function rectificationDocx(input: RectTableInput): Promise<{ fileName: string; bytes: Uint8Array }> {
  return { fileName: `${safeFileStem(`${input.title}问题整改情况表`)}.docx`, bytes: await packDocx(rectificationDocument(input)) };
}
