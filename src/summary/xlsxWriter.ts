// A small .xlsx writer for big plain tables (the leaders' summary of 10,000 rows):
// text and number cells, column widths, a frozen bold header, bold rows and two number
// formats. exceljs builds a whole object model first and took a second of CPU for
// 10,000 rows; this writes the SpreadsheetML text directly, a slice of rows at a time,
// handing the event loop back between slices, and ./zip deflates each slice on its own.
// Given a cache, a slice whose row objects are the very ones of the last call is not
// written or compressed again: one changed row costs one slice. Runs on Node and in a Worker alike.
import { type DeflateSync, type Segment, type SegmentedFile, deflateSegment, segmentDeflater, zipSegments } from './zip';

export type NumFmt = '0.00' | '0.00%';
export type CellValue = string | number | null | undefined;

export interface XlsxRow {
  cells: readonly CellValue[];
  bold?: boolean;
  /** Per cell, overriding the column's format. */
  numFmts?: readonly (NumFmt | undefined)[];
}

export interface XlsxSheet {
  name: string;
  columns: readonly { width: number; numFmt?: NumFmt }[];
  /** The first row is a bold header that stays in view when scrolling. */
  header: readonly string[];
  rows: readonly XlsxRow[];
}

export interface XlsxOptions {
  creator?: string;
  /** Awaited between slices of work: hand the event loop back (see pause.ts). */
  pause?: () => Promise<void>;
  /** Fixed document time (tests); default now. */
  created?: Date;
  /** Slices compressed by an earlier call, reused where unchanged (and updated). */
  cache?: XlsxCache;
}

const ROWS_PER_SLICE = 250;

// cellXfs: 0 plain, 1 bold, then 0.00 / 0.00% plain and bold
const NUMFMT_ID: Record<NumFmt, number> = { '0.00': 164, '0.00%': 165 };
const styleOf = (bold: boolean, fmt: NumFmt | undefined): number => (fmt ? 2 + (fmt === '0.00' ? 0 : 2) + (bold ? 1 : 0) : bold ? 1 : 0);

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="0.00"/><numFmt numFmtId="165" formatCode="0.00%"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="${NUMFMT_ID['0.00']}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="${NUMFMT_ID['0.00']}" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/><xf numFmtId="${NUMFMT_ID['0.00%']}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="${NUMFMT_ID['0.00%']}" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Text as XML character data; characters XML 1.0 cannot hold are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** 0 → A, 25 → Z, 26 → AA. */
function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function cellXml(ref: string, v: string | number, style: string): string {
  if (typeof v === 'number') return `<c r="${ref}"${style}><v>${v}</v></c>`;
  // inline, not shared strings: a slice of rows is then XML of its own, compressed once and reused while it is unchanged
  return `<c r="${ref}"${style} t="inlineStr"><is><t${/^\s|\s$/.test(v) ? ' xml:space="preserve"' : ''}>${escapeXml(v)}</t></is></c>`;
}

function rowXml(r: number, row: XlsxRow, sheet: Pick<XlsxSheet, 'columns'>, names: readonly string[]): string {
  const bold = !!row.bold;
  let cells = '';
  row.cells.forEach((v, c) => {
    // an empty text is an empty cell (an empty inline string reads back as no value anyway)
    if (v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) return;
    const fmt = row.numFmts?.[c] ?? sheet.columns[c]?.numFmt;
    const s = styleOf(bold, fmt);
    cells += cellXml(`${names[c] ?? columnName(c)}${r}`, v, s ? ` s="${s}"` : '');
  });
  return `<row r="${r}"${bold ? ' s="1" customFormat="1"' : ''}>${cells}</row>`;
}

/** Slices of rows compressed last time, per sheet: reused while the very same row objects are at the same place. */
export type XlsxCache = Map<string, { columns: string; slices: { first: number; rows: readonly XlsxRow[]; deflated: Segment }[] }>;
export const newXlsxCache = (): XlsxCache => new Map();

const enc = new TextEncoder();

async function sheetSegments(sheet: XlsxSheet, first: boolean, deflate: DeflateSync, pause: () => Promise<void>, cache: XlsxCache | undefined): Promise<Segment[]> {
  const names = sheet.columns.map((_, c) => columnName(c));
  const cols = sheet.columns.map((c, n) => `<col min="${n + 1}" max="${n + 1}" width="${c.width}" customWidth="1"/>`).join('');
  const head =
    `${XML_HEAD}<worksheet ${NS}><sheetViews><sheetView workbookViewId="0"${first ? ' tabSelected="1"' : ''}>` +
    `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>` +
    rowXml(1, { cells: sheet.header, bold: true }, { columns: [] }, names);
  const out = [deflateSegment(deflate, enc.encode(head))];
  const columns = JSON.stringify(sheet.columns);
  const before = cache?.get(sheet.name);
  const kept = before?.columns === columns ? before.slices : [];
  const slices: { first: number; rows: readonly XlsxRow[]; deflated: Segment }[] = [];
  for (let i = 0; i < sheet.rows.length; i += ROWS_PER_SLICE) {
    const rows = sheet.rows.slice(i, i + ROWS_PER_SLICE);
    const old = kept[slices.length];
    let deflated: Segment;
    if (old && old.first === i && old.rows.length === rows.length && old.rows.every((r, n) => r === rows[n])) deflated = old.deflated;
    else {
      await pause();
      let text = '';
      for (let n = 0; n < rows.length; n++) text += rowXml(i + n + 2, rows[n], sheet, names);
      deflated = deflateSegment(deflate, enc.encode(text));
    }
    slices.push({ first: i, rows, deflated });
    out.push(deflated);
  }
  cache?.set(sheet.name, { columns, slices });
  out.push(deflateSegment(deflate, enc.encode('</sheetData></worksheet>')));
  return out;
}

/** The .xlsx bytes of these sheets. */
export async function writeXlsx(sheets: readonly XlsxSheet[], opts: XlsxOptions = {}): Promise<Uint8Array> {
  const deflate = await segmentDeflater();
  const pause = opts.pause ?? (async () => {});
  const one = (text: string): Segment[] => [deflateSegment(deflate, enc.encode(text))];
  const files: SegmentedFile[] = [];
  for (let i = 0; i < sheets.length; i++)
    files.push({ name: `xl/worksheets/sheet${i + 1}.xml`, segments: await sheetSegments(sheets[i], i === 0, deflate, pause, opts.cache) });
  const sheetEntries = sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  files.push({ name: 'xl/workbook.xml', segments: one(`${XML_HEAD}<workbook ${NS}><bookViews><workbookView/></bookViews><sheets>${sheetEntries}</sheets></workbook>`) });
  const rels = sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  const n = sheets.length;
  rels.push(`<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`);
  files.push({ name: 'xl/_rels/workbook.xml.rels', segments: one(`${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`) });
  files.push({ name: 'xl/styles.xml', segments: one(STYLES) });
  const created = (opts.created ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  files.push({
    name: 'docProps/core.xml',
    segments: one(
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        `<dc:creator>${escapeXml(opts.creator ?? '')}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created></cp:coreProperties>`,
    ),
  });
  files.push({
    name: '_rels/.rels',
    segments: one(
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    ),
  });
  const overrides = sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  files.unshift({
    name: '[Content_Types].xml',
    segments: one(
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}` +
        `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
        `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    ),
  });
  await pause();
  return zipSegments(files);
}
