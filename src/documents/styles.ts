// Page, fonts and paragraph kinds of GB/T 9704-2012 (党政机关公文格式). Every font is
// named in all four slots (ascii, hAnsi, eastAsia, cs): a Latin-only font name leaves
// the Chinese text in whatever the viewer's default happens to be. The fonts and sizes
// live in the document defaults and the named styles below; a run states only what
// differs from its paragraph's style, which keeps document.xml small and fast to build.
import {
  AlignmentType,
  Footer,
  type IRunOptions,
  type ISectionPropertiesOptions,
  type IStylesOptions,
  LineRuleType,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  TextRun,
} from 'docx';
import { titleLines } from './text';

const twipsPerMm = 1440 / 25.4;
export const mm = (v: number): number => Math.round(v * twipsPerMm);

/** A4 with the 公文 margins: a 156 × 225 mm text block. */
export const page = {
  width: 11906,
  height: 16838,
  top: mm(37),
  bottom: mm(35),
  left: mm(28),
  right: mm(26),
  // The page number sits about 7 mm below the text block: the footer's bottom edge
  // 23 mm above the paper's edge leaves one 4号 line between 28 and 23 mm.
  footer: mm(23),
  header: mm(15),
};
/** Width available to text and tables, in twips (8845 ≈ 156 mm). */
export const textWidth = page.width - page.left - page.right;

/**
 * Family names present on every Chinese Windows and in WPS. 仿宋_GB2312 / 楷体_GB2312
 * are not installed by default on current Windows, and a missing font falls back to
 * the viewer's default (usually 宋体), which is worse than 仿宋.
 */
export const fonts = {
  fangsong: '仿宋',
  kaiti: '楷体',
  heiti: '黑体',
  songti: '宋体',
  title: '方正小标宋简体',
} as const;

/** Chinese type sizes, in half-points as docx expects. */
export const sizes = {
  er: 44, // 2号 22pt: titles
  san: 32, // 3号 16pt: body
  si: 28, // 4号 14pt: page numbers, cover table
  xiaosi: 24, // 小四 12pt: form tables
  wu: 21, // 五号 10.5pt
} as const;

export const fourSlots = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });

/** 28.95 pt exact: 22 lines in the 225 mm text block. */
export const bodyLine = 579;
/**
 * 紧缩 0.25 pt (in twentieths of a point): 28 characters of 3号 then take 441 pt of the
 * 442.25 pt text block, as GB/T 9704 asks (at 16 pt only 27 fit). Word's way is a
 * document grid (linesAndChars, charSpace −842), but LibreOffice only ever widens a
 * grid cell, never narrows it: with that grid its preview set 16 characters a line.
 * Character spacing gives 28 in Word, WPS and LibreOffice alike, and leaves tables alone.
 */
export const bodyCharacterSpacing = -5;
/** Two characters of 3号 text. */
export const bodyIndent = 640;

/**
 * A run's font and size where they differ from its paragraph's style. A run that
 * gives neither takes both from the style (and the style chain always ends in the
 * document default: 3号 仿宋 in all four slots), so most runs carry no properties.
 */
export interface RunStyle {
  font?: string;
  size?: number;
  bold?: boolean;
  /** a character style (one of styleIds) */
  style?: string;
}

export function runOptions(style: RunStyle = {}): IRunOptions {
  return {
    style: style.style,
    font: style.font === undefined ? undefined : fourSlots(style.font),
    size: style.size,
    bold: style.bold,
  };
}

export function run(text: string, style?: RunStyle): TextRun {
  if (!style || (style.font === undefined && style.size === undefined && style.bold === undefined && style.style === undefined))
    return new TextRun(text);
  return new TextRun({ ...runOptions(style), text });
}

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

/**
 * The named paragraph styles. Putting the common properties here rather than on
 * every paragraph and run keeps document.xml small, and building it is most of
 * the time a document takes.
 */
export const styleIds = {
  body: 'GwBody',
  heading1: 'GwHeading1',
  heading2: 'GwHeading2',
  heading3: 'GwHeading3',
  title: 'GwTitle',
  plain: 'GwPlain',
  cell: 'GwCell',
  cellProse: 'GwCellProse',
  cellExact: 'GwCellExact',
  /** character styles: the text sizes of the cells */
  cellText: 'GwCellText',
  cellSmallText: 'GwCellSmallText',
  /** character style of the page number: 4号 宋体 */
  pageNumber: 'GwPageNumber',
} as const;

/** The character style of each cell text size that has one. */
export const cellTextStyles: ReadonlyMap<number, string> = new Map([
  [sizes.xiaosi, styleIds.cellText],
  [sizes.wu, styleIds.cellSmallText],
]);

const exact = (line: number) => ({ line, lineRule: LineRuleType.EXACT, before: 0, after: 0 });
const auto = (line: number) => ({ line, lineRule: LineRuleType.AUTO, before: 0, after: 0 });
const bodyIndentation = { firstLine: bodyIndent, firstLineChars: 200 };

/** A body paragraph: 3号 仿宋, first line indented two characters, exact line pitch. */
export function bodyParagraph(text: string, style?: RunStyle): Paragraph {
  // widow control stated, so Word breaks pages as the LibreOffice preview does
  return new Paragraph({ style: styleIds.body, widowControl: true, children: [run(text, style)] });
}

const headingStyles = { 1: styleIds.heading1, 2: styleIds.heading2, 3: styleIds.heading3 } as const;

/** Heading levels of a 公文: 一、 黑体, （一） 楷体, 1. 仿宋; all 3号 and indented like the body. */
export function heading(text: string, level: 1 | 2 | 3): Paragraph {
  return new Paragraph({ style: headingStyles[level], widowControl: true, children: [new TextRun(text)] });
}

/** A 2号 小标宋 title line, centred. */
export function titleParagraph(text: string, opts: { before?: number; after?: number } = {}): Paragraph {
  const before = opts.before ?? 0;
  const after = opts.after ?? 0;
  return new Paragraph({
    style: styleIds.title,
    spacing: before || after ? { line: 700, lineRule: LineRuleType.EXACT, before, after } : undefined,
    children: [new TextRun(text)],
  });
}

/** A title in lines broken between its parts (titleLines), with space before the first and after the last. */
export function titleParagraphs(parts: string[], opts: { max?: number; before?: number; after?: number } = {}): Paragraph[] {
  return titleLines(parts, opts.max).map((line, i, all) => titleParagraph(line, { before: i === 0 ? opts.before : 0, after: i === all.length - 1 ? opts.after : 0 }));
}

/** A line with no indent (labels such as 附件1：, cover facts). */
export function plainParagraph(
  children: string | ParagraphChild[],
  opts: { align?: Align; font?: string; size?: number; before?: number; after?: number; line?: number } = {},
): Paragraph {
  const line = opts.line ?? bodyLine;
  const before = opts.before ?? 0;
  const after = opts.after ?? 0;
  return new Paragraph({
    style: styleIds.plain,
    alignment: opts.align === undefined || opts.align === AlignmentType.LEFT ? undefined : opts.align,
    spacing: line !== bodyLine || before || after ? { line, lineRule: LineRuleType.EXACT, before, after } : undefined,
    children: typeof children === 'string' ? [run(children, { font: opts.font, size: opts.size })] : children,
  });
}

/** "— 1 —" in 4号 宋体; odd pages on the right, even pages on the left, one character in from the edge. */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const style = styleIds.pageNumber;
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({ style, text: '— ' }),
          new TextRun({ style, children: [PageNumber.CURRENT] }),
          new TextRun({ style, text: ' —' }),
        ],
      }),
    ],
  });
}

export function pageNumberFooters() {
  return { default: pageNumberFooter('odd'), even: pageNumberFooter('even') };
}

export function sectionProperties(extra: Partial<ISectionPropertiesOptions> = {}): ISectionPropertiesOptions {
  return {
    page: {
      size: { width: page.width, height: page.height },
      margin: {
        top: page.top,
        bottom: page.bottom,
        left: page.left,
        right: page.right,
        header: page.header,
        footer: page.footer,
        gutter: 0,
      },
    },
    ...extra,
  };
}

/** The base of the table cell styles: what a cell paragraph is unless it says otherwise. */
export interface CellStyleBase {
  id: string;
  align: Align;
  line: number;
  exact: boolean;
  /**
   * The text size of the style, or none to keep the document's 3号. With a line
   * pitch that is not exact, the paragraph mark's size sets the height of a cell's
   * last line and so of its row: those styles keep the mark at 3号, as the cells
   * have always had it, and their runs give their own size.
   */
  size?: number;
}

/** The cell styles, most used first: a cell paragraph takes the first whose line pitch it has. */
export const cellStyles: readonly CellStyleBase[] = [
  { id: styleIds.cell, align: AlignmentType.CENTER, line: 264, exact: false },
  { id: styleIds.cellExact, align: AlignmentType.CENTER, line: 300, exact: true, size: sizes.xiaosi },
  { id: styleIds.cellProse, align: AlignmentType.JUSTIFIED, line: 252, exact: false },
];

const cellStyle = (c: CellStyleBase, name: string) => ({
  id: c.id,
  name,
  basedOn: 'Normal',
  quickFormat: true,
  paragraph: { alignment: c.align, spacing: c.exact ? exact(c.line) : auto(c.line) },
  run: c.size === undefined ? undefined : { size: c.size },
});

/**
 * Defaults so that empty paragraphs and anything without its own run style are 3号 仿宋
 * in all four slots, and the named styles the paragraphs refer to. Every style names
 * its font in all four slots or inherits the default's.
 */

/** 一、 黑体, （一） 楷体, 1. 仿宋: body text in another face, kept with the paragraph after it. */
function headingStyle(id: string, name: string, font: string, outlineLevel: number) {
  // the outline level puts the heading in Word's and WPS's navigation pane
  return { id, name, basedOn: styleIds.body, next: styleIds.body, quickFormat: true, paragraph: { keepNext: true, outlineLevel }, run: { font: fourSlots(font) } };
}

export const documentStyles: IStylesOptions = {
  default: {
    document: {
      // zh-CN so that Word and WPS break lines and check spelling as Chinese
      run: { font: fourSlots(fonts.fangsong), size: sizes.san, language: { value: 'zh-CN', eastAsia: 'zh-CN' } },
      paragraph: { spacing: { before: 0, after: 0 } },
    },
  },
  paragraphStyles: [
    {
      id: styleIds.body,
      name: '公文正文',
      basedOn: 'Normal',
      quickFormat: true,
      paragraph: { alignment: AlignmentType.JUSTIFIED, indent: bodyIndentation, spacing: exact(bodyLine) },
      run: { characterSpacing: bodyCharacterSpacing },
    },
    headingStyle(styleIds.heading1, '公文一级标题', fonts.heiti, 0),
    headingStyle(styleIds.heading2, '公文二级标题', fonts.kaiti, 1),
    headingStyle(styleIds.heading3, '公文三级标题', fonts.fangsong, 2),
    {
      id: styleIds.title,
      name: '公文标题',
      basedOn: 'Normal',
      quickFormat: true,
      paragraph: { alignment: AlignmentType.CENTER, spacing: exact(700) },
      run: { font: fourSlots(fonts.title), size: sizes.er },
    },
    {
      id: styleIds.plain,
      name: '公文无缩进',
      basedOn: 'Normal',
      quickFormat: true,
      paragraph: { alignment: AlignmentType.LEFT, spacing: exact(bodyLine) },
    },
    cellStyle(cellStyles[0], '表格文字'),
    cellStyle(cellStyles[1], '表格文字（固定行距）'),
    cellStyle(cellStyles[2], '表格长文字'),
  ],
  characterStyles: [
    { id: styleIds.cellText, name: '表格小四', run: { size: sizes.xiaosi } },
    { id: styleIds.cellSmallText, name: '表格五号', run: { size: sizes.wu } },
    { id: styleIds.pageNumber, name: '公文页码', run: { font: fourSlots(fonts.songti), size: sizes.si } },
  ],
};

/** The notice an unfinished evaluation's documents open with, in red, so a draft is never mistaken for the final form. */
export function draftParagraphs(draft: string | undefined): Paragraph[] {
  if (!draft) return [];
  return [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ ...runOptions({ font: fonts.heiti, bold: true }), color: 'C00000', text: draft })] })];
}
