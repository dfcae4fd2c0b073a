// A .docx as paragraphs and tables. The body XML (word/document.xml) is read with
// fast-xml-parser in document order; only text, tabs, breaks and table structure
// matter here, so there is no need for a full Word model.
import { XMLParser } from 'fast-xml-parser';
import type { Block } from './blocks';

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
});

const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: Node) => (n[tagOf(n)] as Node[] | undefined) ?? [];

/** Text a node holds: runs, tabs and breaks; deleted text and field codes are not text. */
function textOf(nodes: Node[]): string {
  let out = '';
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === '#text') out += String(n['#text']);
    else if (tag === 'w:t') out += textOf(kids(n));
    else if (tag === 'w:tab') out += '\t';
    else if (tag === 'w:br' || tag === 'w:cr') out += '\n';
    else if (tag === 'w:delText' || tag === 'w:instrText' || tag === 'w:del' || tag === 'w:rPr' || tag === 'w:pPr') continue;
    else out += textOf(kids(n));
  }
  return out;
}

const child = (n: Node, tag: string) => kids(n).find((k) => tagOf(k) === tag);

function cells(row: Node): string[] {
  const out: string[] = [];
  for (const tc of kids(row)) {
    if (tagOf(tc) !== 'w:tc') continue;
    const pr = child(tc, 'w:tcPr');
    const span = Number(pr && child(pr, 'w:gridSpan')?.[':@']?.['w:val']) || 1;
    const vMerge = pr && child(pr, 'w:vMerge');
    // a continued vertical merge is printed empty: its text belongs to the cell above
    const continued = vMerge && vMerge[':@']?.['w:val'] !== 'restart';
    const text = continued
      ? ''
      : kids(tc)
          .filter((p) => tagOf(p) === 'w:p' || tagOf(p) === 'w:tbl')
          .map((p) => textOf(kids(p)))
          .join('\n');
    out.push(text, ...Array<string>(span - 1).fill(''));
  }
  return out;
}

function blocksOf(nodes: Node[], out: Block[]): void {
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === 'w:p') out.push({ type: 'paragraph', text: textOf(kids(n)) });
    else if (tag === 'w:tbl') out.push({ type: 'table', rows: kids(n).filter((r) => tagOf(r) === 'w:tr').map(cells) });
    else if (tag === 'w:sdt' || tag === 'w:sdtContent' || tag === 'w:customXml') blocksOf(kids(n), out);
  }
}

/** The paragraphs and tables of word/document.xml, in order. */
export function docxBlocks(documentXml: string): Block[] {
  const tree = parser.parse(documentXml) as Node[];
  const doc = tree.find((n) => tagOf(n) === 'w:document');
  const body = doc && child(doc, 'w:body');
  const out: Block[] = [];
  if (body) blocksOf(kids(body), out);
  return out;
}
