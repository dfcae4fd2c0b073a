// packDocx writes document.xml itself and takes the other parts from a package docx
// made once per page layout: every file must still be what docx's own Packer writes.
import { ExternalHyperlink, FileChild, type IXmlableObject, Packer, Paragraph, TextRun } from 'docx';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { formDocument } from '../../src/documents/form';
import { type DocxSpec, gongwenDocument, packDocx } from '../../src/documents/pack';
import { problemListDocument } from '../../src/documents/problemList';
import { rectificationDocument } from '../../src/documents/rectification';
import { reportDocument } from '../../src/documents/report';
import { sectionProperties } from '../../src/documents/styles';
import { assess } from '../../src/domain/evaluate';
import type { RectItem } from '../../src/domain/rectification';
import { defaultTemplate, examples, findTemplate } from '../../src/domain/registry';

const utf8 = new TextDecoder();
// core.xml carries the moment it was written
const undated = (s: string) => s.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'DATE');

function files(bytes: Uint8Array): [string, string][] {
  return Object.entries(unzipSync(bytes)).map(([name, data]) => [name, undated(utf8.decode(data))]);
}

/** Each side gets its own build: docx changes some children as it writes them. */
async function expectAsDocx(spec: () => DocxSpec) {
  const ours = files(await packDocx(spec()));
  const theirs = files(await Packer.pack(gongwenDocument(spec()), 'uint8array'));
  expect(ours.map(([n]) => n)).toEqual(theirs.map(([n]) => n));
  for (const [i, [name, xml]] of ours.entries()) expect(xml, name).toBe(theirs[i][1]);
}

const specs: Record<string, () => DocxSpec> = {};
for (const seed of Object.values(examples)) {
  const t = findTemplate(seed.template) ?? defaultTemplate();
  const a = assess(t, seed.answers, seed.problems);
  for (const draft of [undefined, '草稿：还有 3 题没有答完']) {
    const name = `${seed.template}${draft ? ' draft' : ''}`;
    specs[`${name} 评价表`] = () => formDocument(t, seed.answers, a, seed.year, draft);
    if (t.report) specs[`${name} 报告`] = () => reportDocument(t, seed.answers, a, seed.year, draft);
    specs[`${name} 问题清单`] = () => problemListDocument(t, seed.answers, a, draft);
  }
}
const item: RectItem = {
  id: 1,
  evaluationId: 1,
  seq: 1,
  category: 'funds',
  categoryLabel: '资金管理',
  description: '预算执行率 <100% & "未达标"',
  measure: "加快支付'进度'",
  unit: '财政所',
  dueDate: '2025-06-30',
  status: 'doing',
  statusNote: '',
  sourceKey: '',
};
specs['整改情况表 (landscape)'] = () =>
  rectificationDocument({ title: '2024年度行政综合性经费', unit: '红云街道', items: [item], lastEvidence: new Map([[1, '已付\u0001 80%']]) });

describe('packDocx', () => {
  for (const [name, spec] of Object.entries(specs)) it(`writes the files docx writes: ${name}`, () => expectAsDocx(spec));

  it('writes text that needs escaping, and drops the control characters XML cannot hold, as docx does', async () => {
    const text = `a & b <c> "d" 'e' \u0001f\u001Fg {default-bullet-numbering-0} {x}`;
    const spec = (): DocxSpec => ({ title: text, sections: [{ properties: sectionProperties(), pageNumbers: true, children: [new Paragraph({ children: [new TextRun(text)] })] }] });
    await expectAsDocx(spec);
    const xml = utf8.decode(unzipSync(await packDocx(spec()))['word/document.xml']);
    expect(xml).toContain('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; fg 1 {x}');
  });

  it("writes the old xml package's quirks as docx does: text in place of the item before it, attributes after children, CDATA, empty and null", async () => {
    // a component that hands the writer these shapes as they are
    class Shapes extends FileChild {
      constructor(private readonly shapes: IXmlableObject) {
        super('w:p');
      }
      override prepForXml(): IXmlableObject {
        return this.shapes;
      }
    }
    const shapes: IXmlableObject[] = [
      { 'w:p': [{ 'w:r': [{ 'w:t': [{ _attr: { 'xml:space': 'preserve' } }, 'a < b'] }] }, 'replaces the run', { 'w:r': {} }, 'and this the run after it'] },
      { 'w:p': [{ 'w:pPr': [] }, { _attr: { 'w:rsidR': '00AB', 'w:n': 3, 'w:b': false } }, { 'w:x': { _attr: { 'w:val': `q"'&` } } }] },
      { 'w:p': [{ 'w:t': 'text & more' }, { 'w:n': 5 }, { 'w:u': undefined }, { 'w:nul': null }, { 'w:c': { _cdata: 'x]]>y' } }, { 'w:e': [] }] },
    ] as never;
    const spec = (): DocxSpec => ({ title: '', sections: [{ properties: sectionProperties(), pageNumbers: false, children: shapes.map((s) => new Shapes(s)) }] });
    await expectAsDocx(spec);
  });

  it('leaves a document that adds a relationship as it is written (a link) to docx, which writes it whole', async () => {
    const link = new ExternalHyperlink({ link: 'https://example.com/', children: [new TextRun('链接')] });
    const spec: DocxSpec = { title: '', sections: [{ properties: sectionProperties(), pageNumbers: true, children: [new Paragraph({ children: [link] })] }] };
    const f = unzipSync(await packDocx(spec));
    const id = /<w:hyperlink [^>]*r:id="([^"]+)"/.exec(utf8.decode(f['word/document.xml']))?.[1];
    expect(id).toBeTruthy();
    expect(utf8.decode(f['word/_rels/document.xml.rels'])).toContain(`Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.com/"`);
  });
});
