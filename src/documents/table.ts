// Tables laid out from explicit widths. Each row lists its cells with their widths
// in twips; the column grid is the union of all cell edges, and each cell spans the
// grid columns between its edges. That is how Word itself stores an irregular form,
// and Word, WPS and LibreOffice all draw it the same way when the grid (tblGrid),
// the cell widths and a fixed layout are all written. Vertical merges use
// vMerge restart/continue on cells with identical edges.
import {
  AlignmentType,
  BorderStyle,
  HeightRule,
  LineRuleType,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
} from 'docx';
import { type CellStyleBase, type RunStyle, cellStyles, cellTextStyles, fonts, run, sizes } from './styles';
import { paragraphsOf } from './text';

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

export interface GridCell {
  width: number; // twips
  paragraphs: Paragraph[];
  merge?: 'restart' | 'continue';
  verticalAlign?: 'top' | 'center';
}

export interface GridRow {
  cells: GridCell[];
  minHeight?: number; // twips
  header?: boolean; // repeat at the top of each page
  cantSplit?: boolean;
  keepNext?: boolean; // stay on the page of the next row
}

export interface CellTextStyle extends RunStyle {
  align?: Align;
  /** line spacing: 240ths of a line (240 = single), or twips when exact */
  line?: number;
  exact?: boolean;
  indentLeft?: number;
}

/** Paragraphs of a cell: one per line of the text; an empty cell still needs one paragraph. */
export function cellParagraphs(text: string | undefined, style: CellTextStyle = {}): Paragraph[] {
  const lines = paragraphsOf(text);
  const runStyle = cellRunStyle(style);
  if (!lines.length) return [cellParagraph([], style)];
  return lines.map((line) => cellParagraph([run(line, runStyle)], style));
}

/** The cell style a paragraph of this style is written in: the first with its line pitch. */
function baseStyleOf(style: CellTextStyle): CellStyleBase {
  const line = style.line ?? 264;
  const exact = style.exact ?? false;
  return cellStyles.find((c) => c.line === line && c.exact === exact) ?? cellStyles[0];
}

/** A cell paragraph: its cell style, and direct properties only where it differs from that style. */
export function cellParagraph(children: ParagraphChild[], style: CellTextStyle = {}): Paragraph {
  const base = baseStyleOf(style);
  const align = style.align ?? AlignmentType.CENTER;
  const line = style.line ?? 264;
  const exact = style.exact ?? false;
  return new Paragraph({
    style: base.id,
    alignment: align === base.align ? undefined : align,
    spacing:
      line === base.line && exact === base.exact
        ? undefined
        : { line, lineRule: exact ? LineRuleType.EXACT : LineRuleType.AUTO, before: 0, after: 0 },
    indent: style.indentLeft ? { left: style.indentLeft } : undefined,
    children,
  });
}

/** The run properties of a cell's text where they differ from its cell style (仿宋 小四 unless the style says otherwise). */
export function cellRunStyle(style: CellTextStyle): RunStyle {
  const base = baseStyleOf(style);
  const size = style.size ?? sizes.xiaosi;
  const font = style.font ?? fonts.fangsong;
  const same = size === base.size;
  const charStyle = same ? undefined : cellTextStyles.get(size);
  return {
    font: font === fonts.fangsong ? undefined : font,
    size: same || charStyle ? undefined : size,
    style: charStyle,
    bold: style.bold,
  };
}

/** A cell holding text. */
export function textCell(width: number, text: string | undefined, style: CellTextStyle = {}, merge?: GridCell['merge']): GridCell {
  return { width, paragraphs: cellParagraphs(text, style), merge };
}

export interface GridTableOptions {
  /** every row's cells must add up to this */
  width: number;
  margins?: { left: number; right: number; top: number; bottom: number };
}

/** The grid columns (tblGrid) for rows of given cell widths. */
export function gridOf(rows: GridRow[], width: number): { edges: number[]; columnWidths: number[] } {
  const edges = new Set<number>([0]);
  rows.forEach((row, r) => {
    let x = 0;
    for (const c of row.cells) {
      if (!(c.width > 0)) throw new Error(`row ${r}: a cell has width ${c.width}`);
      x += c.width;
      edges.add(x);
    }
    if (x !== width) throw new Error(`row ${r}: cells add up to ${x} twips, the table is ${width}`);
  });
  const sorted = [...edges].sort((a, b) => a - b);
  return { edges: sorted, columnWidths: sorted.slice(1).map((e, i) => e - sorted[i]) };
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

export function gridTable(rows: GridRow[], opts: GridTableOptions): Table {
  const { edges, columnWidths } = gridOf(rows, opts.width);
  const index = new Map(edges.map((e, i) => [e, i]));
  // A continued cell must sit exactly under a merged cell of the row above.
  let previous = new Map<number, number>(); // start edge → end edge of merged cells
  const tableRows = rows.map((row, r) => {
    let x = 0;
    const merged = new Map<number, number>();
    const cells = row.cells.map((c) => {
      const start = x;
      x += c.width;
      if (c.merge === 'continue' && previous.get(start) !== x)
        throw new Error(`row ${r}: a continued merge at ${start}–${x} has no merged cell above it`);
      if (c.merge) merged.set(start, x);
      const span = index.get(x)! - index.get(start)!;
      return new TableCell({
        width: { size: c.width, type: WidthType.DXA },
        columnSpan: span > 1 ? span : undefined,
        verticalMerge:
          c.merge === 'restart' ? VerticalMergeType.RESTART : c.merge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
        verticalAlign: c.verticalAlign === 'top' ? VerticalAlignTable.TOP : VerticalAlignTable.CENTER,
        children: c.paragraphs.length ? c.paragraphs : [new Paragraph({})],
      });
    });
    previous = merged;
    return new TableRow({
      children: cells,
      tableHeader: row.header,
      keepNext: row.keepNext,
      cantSplit: row.cantSplit ?? true,
      height: row.minHeight ? { value: row.minHeight, rule: HeightRule.ATLEAST } : undefined,
    });
  });
  const m = opts.margins ?? { left: 80, right: 80, top: 30, bottom: 30 };
  return new Table({
    rows: tableRows,
    width: { size: opts.width, type: WidthType.DXA },
    columnWidths,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    margins: { marginUnitType: WidthType.DXA, ...m },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
  });
}
