// Page, fonts and paragraph kinds of GB/T 9704-2012 (党政机关公文格式). Every run
// names its font in all four slots (ascii, hAnsi, eastAsia, cs): a Latin-only font
// name leaves the Chinese text in whatever the viewer's default happens to be.
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
/** Two characters of 3号 text. */
export const bodyIndent = 640;

export interface RunStyle {
  font?: string;
  size?: number;
  bold?: boolean;
}

export function runOptions(style: RunStyle = {}): IRunOptions {
  return { font: fourSlots(style.font ?? fonts.fangsong), size: style.size ?? sizes.san, bold: style.bold };
}

export function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun({ ...runOptions(style), text });
}

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

/** A body paragraph: 3号 仿宋, first line indented two characters, exact line pitch. */
export function bodyParagraph(text: string, style: RunStyle = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: bodyIndent, firstLineChars: 200 },
    spacing: { line: bodyLine, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    children: [run(text, style)],
  });
}

/** Heading levels of a 公文: 一、 黑体, （一） 楷体, 1. 仿宋; all 3号 and indented like the body. */
export function heading(text: string, level: 1 | 2 | 3): Paragraph {
  const font = level === 1 ? fonts.heiti : level === 2 ? fonts.kaiti : fonts.fangsong;
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: bodyIndent, firstLineChars: 200 },
    spacing: { line: bodyLine, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    keepNext: true,
    children: [run(text, { font })],
  });
}

/** A 2号 小标宋 title line, centred. */
export function titleParagraph(text: string, opts: { before?: number; after?: number } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { line: 700, lineRule: LineRuleType.EXACT, before: opts.before ?? 0, after: opts.after ?? 0 },
    children: [run(text, { font: fonts.title, size: sizes.er })],
  });
}

/** A line with no indent (labels such as 附件1：, cover facts). */
export function plainParagraph(
  children: string | ParagraphChild[],
  opts: { align?: Align; font?: string; size?: number; before?: number; after?: number; line?: number } = {},
): Paragraph {
  return new Paragraph({
    alignment: opts.align ?? AlignmentType.LEFT,
    spacing: { line: opts.line ?? bodyLine, lineRule: LineRuleType.EXACT, before: opts.before ?? 0, after: opts.after ?? 0 },
    children: typeof children === 'string' ? [run(children, { font: opts.font, size: opts.size })] : children,
  });
}

/** "— 1 —" in 4号 宋体; odd pages on the right, even pages on the left, one character in from the edge. */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const style = { font: fourSlots(fonts.songti), size: sizes.si };
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({ ...style, text: '— ' }),
          new TextRun({ ...style, children: [PageNumber.CURRENT] }),
          new TextRun({ ...style, text: ' —' }),
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

/** Defaults so that empty paragraphs and anything without its own run style are 3号 仿宋 too. */
export const documentStyles: IStylesOptions = {
  default: {
    document: {
      run: { font: fourSlots(fonts.fangsong), size: sizes.san },
      paragraph: { spacing: { before: 0, after: 0 } },
    },
  },
};
