// A small .xlsx writer for big plain tables (the leaders' summary of 10,000 rows):
// text and number cells, column widths, a frozen bold header, bold rows and two number
// formats. exceljs builds a whole object model first and took a second of CPU for
// 10,000 rows; this writes the SpreadsheetML text directly, a slice of rows at a time,
// handing the event loop back between slices, and ./zip deflates it natively.
// Runs on Node and in a Worker alike.
import { type ZipFile, zip } from './zip';

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

class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];
  count = 0;
  idOf(text: string): number {
    this.count++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(text, i);
      this.list.push(text);
    }
    return i;
  }
  *parts(): Generator<string> {
    yield `${XML_HEAD}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.count}" uniqueCount="${this.list.length}">`;
    for (let i = 0; i < this.list.length; i += 2000)
      yield this.list
        .slice(i, i + 2000)
        .map((t) => `<si><t${/^\s|\s$/.test(t) ? ' xml:space="preserve"' : ''}>${escapeXml(t)}</t></si>`)
        .join('');
    yield '</sst>';
  }
}

function rowXml(r: number, row: XlsxRow, sheet: XlsxSheet, names: readonly string[], strings: SharedStrings): string {
  const bold = !!row.bold;
  let cells = '';
  row.cells.forEach((v, c) => {
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return;
    const fmt = row.numFmts?.[c] ?? sheet.columns[c]?.numFmt;
    const s = styleOf(bold, fmt);
    const ref = `${names[c] ?? columnName(c)}${r}`;
    const style = s ? ` s="${s}"` : '';
    cells += typeof v === 'number' ? `<c r="${ref}"${style}><v>${v}</v></c>` : `<c r="${ref}"${style} t="s"><v>${strings.idOf(v)}</v></c>`;
  });
  return `<row r="${r}"${bold ? ' s="1" customFormat="1"' : ''}>${cells}</row>`;
}

async function* sheetParts(sheet: XlsxSheet, first: boolean, strings: SharedStrings): AsyncGenerator<string> {
  const names = sheet.columns.map((_, c) => columnName(c));
  const cols = sheet.columns.map((c, n) => `<col min="${n + 1}" max="${n + 1}" width="${c.width}" customWidth="1"/>`).join('');
  let text =
    `${XML_HEAD}<worksheet ${NS}><sheetViews><sheetView workbookViewId="0"${first ? ' tabSelected="1"' : ''}>` +
    `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>` +
    rowXml(1, { cells: sheet.header, bold: true }, { ...sheet, columns: [] }, names, strings);
  for (let r = 0; r < sheet.rows.length; r++) {
    text += rowXml(r + 2, sheet.rows[r], sheet, names, strings);
    if ((r + 1) % ROWS_PER_SLICE === 0) {
      yield text;
      text = '';
    }
  }
  yield `${text}</sheetData></worksheet>`;
}

/** Strings → UTF-8 parts. */
async function* encoded(parts: Iterable<string> | AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  for await (const p of parts) yield enc.encode(p);
}

const one = (text: string): Iterable<Uint8Array> => [new TextEncoder().encode(text)];

/** The .xlsx bytes of these sheets. */
export async function writeXlsx(sheets: readonly XlsxSheet[], opts: XlsxOptions = {}): Promise<Uint8Array> {
  const strings = new SharedStrings();
  const files: ZipFile[] = sheets.map((sheet, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, parts: encoded(sheetParts(sheet, i === 0, strings)) }));
  // read after the sheets are written (zip deflates the files in order): it holds their strings
  files.push({ name: 'xl/sharedStrings.xml', parts: encoded({ [Symbol.iterator]: () => strings.parts() }) });
  const sheetEntries = sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  files.push({ name: 'xl/workbook.xml', parts: one(`${XML_HEAD}<workbook ${NS}><bookViews><workbookView/></bookViews><sheets>${sheetEntries}</sheets></workbook>`) });
  const rels = sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  const n = sheets.length;
  rels.push(`<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`);
  rels.push(`<Relationship Id="rId${n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`);
  files.push({ name: 'xl/_rels/workbook.xml.rels', parts: one(`${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`) });
  files.push({ name: 'xl/styles.xml', parts: one(STYLES) });
  const created = (opts.created ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  files.push({
    name: 'docProps/core.xml',
    parts: one(
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        `<dc:creator>${escapeXml(opts.creator ?? '')}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created></cp:coreProperties>`,
    ),
  });
  files.push({
    name: '_rels/.rels',
    parts: one(
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    ),
  });
  const overrides = sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  files.unshift({
    name: '[Content_Types].xml',
    parts: one(
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}` +
        `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
        `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
        `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    ),
  });
  return zip(files, opts.pause);
}
