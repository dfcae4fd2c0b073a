// A document's .docx bytes. docx writes every part of the package for each document
// (styles, theme, settings, numbering, footers, relationships: some 40 KB of XML) and
// deflates all of it in JavaScript. Ours differ only in word/document.xml and
// docProps/core.xml, so the other parts are taken, already deflated, from docx's own
// package of the same document without its content (a shell with the same sections
// and footers, which decide the relationship ids document.xml names), made once per
// page layout. document.xml and core.xml are written per document and deflated with
// native zlib (synchronous: a stream costs more to set up than a part takes to deflate).
import { Document, type FileChild, type ISectionPropertiesOptions, Packer } from 'docx';
import { unzipSync } from 'fflate';
import { type DeflateSync, type SegmentedFile, deflateSegment, segmentDeflater, zipSegments } from '../summary/zip';
import './docxAttributes';
import { documentStyles, pageNumberFooters } from './styles';
import { partXml } from './xml';

export interface DocxSection {
  properties: ISectionPropertiesOptions;
  /** the page numbers (odd pages right, even pages left) */
  pageNumbers: boolean;
  children: FileChild[];
}

/** What a document is made of: its title (in the file's properties) and its sections. */
export interface DocxSpec {
  title: string;
  sections: DocxSection[];
}

/** A 公文 as docx models it: our creator and styles, odd and even page footers. */
export function gongwenDocument(spec: DocxSpec): Document {
  return new Document({
    creator: '绩效自评助手',
    title: spec.title,
    styles: documentStyles,
    evenAndOddHeaderAndFooters: true,
    sections: spec.sections.map((s) => ({
      properties: s.properties,
      ...(s.pageNumbers ? { footers: pageNumberFooters() } : {}),
      children: s.children,
    })),
  });
}

const DOCUMENT = 'word/document.xml';
const CORE = 'docProps/core.xml';

interface Shell {
  /** the package's files in docx's order, deflated; the two written per document by name */
  parts: (SegmentedFile | typeof DOCUMENT | typeof CORE)[];
  /** document.xml's relationships in the shell: a document that has more (a link) is packed by docx */
  relationships: number;
  deflate: DeflateSync;
}

// one per page layout: the documents have a handful
const shells = new Map<string, Promise<Shell>>();

async function makeShell(spec: DocxSpec): Promise<Shell> {
  const doc = gongwenDocument({ title: '', sections: spec.sections.map((s) => ({ ...s, children: [] })) });
  const files = unzipSync(await Packer.pack(doc, 'uint8array'));
  const deflate = await segmentDeflater();
  const parts = Object.entries(files).map(([name, bytes]) =>
    name === DOCUMENT || name === CORE ? name : { name, segments: [deflateSegment(deflate, bytes)] },
  );
  return { parts, relationships: doc.Document.Relationships.RelationshipCount, deflate };
}

function shellOf(spec: DocxSpec): Promise<Shell> {
  const key = JSON.stringify(spec.sections.map((s) => [s.properties, s.pageNumbers]));
  let shell = shells.get(key);
  if (!shell) {
    shell = makeShell(spec);
    shells.set(key, shell);
    shell.catch(() => shells.delete(key));
  }
  return shell;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** docx writes a list's number id as a {reference-instance} placeholder and fills it in when it packs; so do we. */
function numbered(xml: string, doc: Document): string {
  if (!xml.includes('{')) return xml;
  const ids = new Map(
    doc.Numbering.ConcreteNumbering.map((n) => [
      n.restartedListId === undefined ? `${n.reference}-${n.instance}` : `${n.reference}-restart ${n.restartedListId}`,
      String(n.numId),
    ]),
  );
  return xml.replace(PLACEHOLDER, (p, key: string) => ids.get(key) ?? p);
}

/** The .docx bytes, the same files docx's Packer writes (document.xml byte for byte). */
export async function packDocx(spec: DocxSpec): Promise<Uint8Array> {
  const shell = await shellOf(spec);
  const doc = gongwenDocument(spec);
  const context = () => ({ file: doc, viewWrapper: doc.Document, stack: [] });
  const body = numbered(partXml(doc.Document.View, context(), true), doc);
  // writing it added a relationship or an image: docx writes the whole package (its children are changed
  // as they are written, a link made concrete, so this same document, not a new one from the spec)
  if (doc.Document.Relationships.RelationshipCount !== shell.relationships || doc.Media.Array.length > 0)
    return Packer.pack(doc, 'uint8array');
  const core = partXml(doc.CoreProperties, context(), true);
  const utf8 = new TextEncoder();
  const fresh = (name: string, xml: string): SegmentedFile => ({ name, segments: [deflateSegment(shell.deflate, utf8.encode(xml))] });
  return zipSegments(shell.parts.map((p) => (p === DOCUMENT ? fresh(p, body) : p === CORE ? fresh(p, core) : p)));
}
