// Builds the documents for an evaluation and reads the real .docx back: unzip,
// take word/document.xml, and turn it into paragraphs and table cells to assert on.
import JSZip from 'jszip';
import type { Answers, EvaluationFile, ManualProblem } from '../../src/domain/answers';
import { assess } from '../../src/domain/evaluate';
import { defaultTemplate, examples } from '../../src/domain/registry';
import { type GeneratedDocument, buildDocuments } from '../../src/documents';

export const seedFile = (): EvaluationFile => structuredClone(examples['wuhua-2024']);

export async function build(answers: Answers, problems: ManualProblem[] = [], year = 2024): Promise<GeneratedDocument[]> {
  const template = defaultTemplate();
  return buildDocuments({ template, answers, assessment: assess(template, answers, problems), year });
}

export async function buildSeed(): Promise<GeneratedDocument[]> {
  const f = seedFile();
  return build(f.answers, f.problems, f.year);
}

export async function part(bytes: Uint8Array, name: string): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const file = zip.file(name);
  if (!file) throw new Error(`${name} missing from the .docx`);
  return file.async('string');
}

export const documentXml = (bytes: Uint8Array) => part(bytes, 'word/document.xml');

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
export const decode = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : entities[name],
  );

/** The text of one XML fragment: its w:t contents, a tab as \t. */
export function textOf(xml: string): string {
  let out = '';
  for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)) out += m[1] === undefined ? '\t' : decode(m[1]);
  return out;
}

/** Paragraph texts in document order (including those inside tables). */
export function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => textOf(m[0]));
}

export interface Cell {
  text: string;
  span: number;
  vMerge?: 'restart' | 'continue';
  width?: number;
}
export interface ParsedTable {
  grid: number[];
  width?: number;
  layout?: string;
  rows: Cell[][];
}

/** Tables of a document.xml (no nesting in ours). */
export function tables(xml: string): ParsedTable[] {
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) => {
    const body = t[1];
    const grid = [...(/<w:tblGrid>([\s\S]*?)<\/w:tblGrid>/.exec(body)?.[1] ?? '').matchAll(/<w:gridCol w:w="(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
    const tblPr = /<w:tblPr>([\s\S]*?)<\/w:tblPr>/.exec(body)?.[1] ?? '';
    const width = /<w:tblW w:type="dxa" w:w="(\d+)"|<w:tblW w:w="(\d+)" w:type="dxa"/.exec(tblPr);
    const rows = [...body.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) =>
      [...r[0].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c): Cell => {
        const pr = /<w:tcPr>([\s\S]*?)<\/w:tcPr>/.exec(c[1])?.[1] ?? '';
        const v = /<w:vMerge(?: w:val="(\w+)")?\/>/.exec(pr);
        const w = /<w:tcW (?:w:type="dxa" w:w="(\d+)"|w:w="(\d+)" w:type="dxa")/.exec(pr);
        return {
          text: paragraphs(c[1]).join('\n'),
          span: Number(/<w:gridSpan w:val="(\d+)"/.exec(pr)?.[1] ?? 1),
          vMerge: v ? (v[1] === 'restart' ? 'restart' : 'continue') : undefined,
          width: w ? Number(w[1] ?? w[2]) : undefined,
        };
      }),
    );
    return {
      grid,
      width: width ? Number(width[1] ?? width[2]) : undefined,
      layout: /<w:tblLayout w:type="(\w+)"/.exec(tblPr)?.[1],
      rows,
    };
  });
}

/**
 * A small well-formedness check: tags balance, attributes are quoted, text holds no
 * raw '<' or '&', and no character XML 1.0 forbids. Enough to catch an unescaped
 * answer, which is the failure that matters here.
 */
export function assertWellFormed(xml: string): void {
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) throw new Error('forbidden control character');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml)) throw new Error('lone surrogate');
  const stack: string[] = [];
  const re = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<\?[^>]*\?>|([^<]+)|(<)/g;
  for (const m of xml.matchAll(re)) {
    if (m[6]) throw new Error(`stray '<' at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (m[5] !== undefined) {
      if (/&(?!(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(m[5])) throw new Error(`raw '&' in text: ${m[5].slice(0, 40)}`);
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      const open = stack.pop();
      if (open !== m[2]) throw new Error(`</${m[2]}> closes <${open}>`);
    } else if (!m[4]) stack.push(m[2]);
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('> <')}>`);
}

/** The grid column a cell starts at, per row. */
export function cellStarts(row: Cell[]): number[] {
  let col = 0;
  return row.map((c) => {
    const start = col;
    col += c.span;
    return start;
  });
}
