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

// What a run looks like once its style chain is applied: direct properties, then the
// paragraph's style and the styles it is based on, then the document defaults.
// Fonts and spacing merge attribute by attribute, as Word and LibreOffice do.

type Attrs = Record<string, string>;
interface StyleDef {
  basedOn?: string;
  p: Record<string, Attrs>;
  r: Record<string, Attrs>;
}

const attrsOf = (s: string): Attrs =>
  Object.fromEntries([...s.matchAll(/w:(\w+)="([^"]*)"/g)].map((m) => [m[1], decode(m[2])]));

/** The property elements of a w:pPr or w:rPr body, by name: <w:spacing w:line="579"/> → { spacing: { line: '579' } }. */
function propsOf(xml: string | undefined): Record<string, Attrs> {
  const out: Record<string, Attrs> = {};
  if (!xml) return out;
  for (const m of xml.matchAll(/<w:(\w+)((?:\s+[\w:]+="[^"]*")*)\s*\/>/g)) out[m[1]] = attrsOf(m[2]);
  return out;
}

function merge(into: Record<string, Attrs>, from: Record<string, Attrs>): Record<string, Attrs> {
  for (const [k, v] of Object.entries(from)) into[k] = { ...into[k], ...v };
  return into;
}

export interface Styles {
  defaults: { p: Record<string, Attrs>; r: Record<string, Attrs> };
  styles: Map<string, StyleDef>;
  defaultParagraphStyle?: string;
}

export function parseStyles(xml: string): Styles {
  const dd = /<w:docDefaults>([\s\S]*?)<\/w:docDefaults>/.exec(xml)?.[1] ?? '';
  const styles = new Map<string, StyleDef>();
  let defaultParagraphStyle: string | undefined;
  for (const m of xml.matchAll(/<w:style ([^>]*)>([\s\S]*?)<\/w:style>/g)) {
    const a = attrsOf(m[1]);
    const body = m[2];
    styles.set(a.styleId, {
      basedOn: /<w:basedOn w:val="([^"]+)"/.exec(body)?.[1],
      p: propsOf(/<w:pPr>([\s\S]*?)<\/w:pPr>/.exec(body)?.[1]),
      r: propsOf(/<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(body)?.[1]),
    });
    if (a.type === 'paragraph' && (a.default === '1' || a.default === 'true')) defaultParagraphStyle = a.styleId;
  }
  return {
    defaults: {
      p: propsOf(/<w:pPrDefault>([\s\S]*?)<\/w:pPrDefault>/.exec(dd)?.[1]),
      r: propsOf(/<w:rPrDefault>([\s\S]*?)<\/w:rPrDefault>/.exec(dd)?.[1]),
    },
    styles,
    defaultParagraphStyle,
  };
}

/** A style's properties with those of the styles it is based on underneath. */
function chainOf(s: Styles, id: string | undefined, kind: 'p' | 'r', seen = new Set<string>()): Record<string, Attrs> {
  const style = id === undefined ? undefined : s.styles.get(id);
  if (!style || seen.has(id!)) return {};
  seen.add(id!);
  return merge(chainOf(s, style.basedOn, kind, seen), style[kind]);
}

export interface EffectiveRun {
  text: string;
  paragraphStyle?: string;
  paragraph: Record<string, Attrs>;
  run: Record<string, Attrs>;
}

/** Every run of a part (document.xml, a footer) with its effective paragraph and run properties. */
export function effectiveRuns(partXml: string, stylesXml: string): EffectiveRun[] {
  const s = parseStyles(stylesXml);
  const out: EffectiveRun[] = [];
  for (const p of partXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    const pPr = /<w:pPr>([\s\S]*?)<\/w:pPr>/.exec(p[0])?.[1] ?? '';
    const style = /<w:pStyle w:val="([^"]+)"/.exec(pPr)?.[1] ?? s.defaultParagraphStyle;
    const paragraph = merge(merge(merge({}, s.defaults.p), chainOf(s, style, 'p')), propsOf(pPr.replace(/<w:rPr>[\s\S]*?<\/w:rPr>/, '')));
    for (const r of p[0].matchAll(/<w:r[ >][\s\S]*?<\/w:r>/g)) {
      const rPr = /<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(r[0])?.[1] ?? '';
      const charStyle = /<w:rStyle w:val="([^"]+)"/.exec(rPr)?.[1];
      const run = merge(merge(merge(merge({}, s.defaults.r), chainOf(s, style, 'r')), chainOf(s, charStyle, 'r')), propsOf(rPr));
      out.push({ text: textOf(r[0]), paragraphStyle: style, paragraph, run });
    }
  }
  return out;
}
