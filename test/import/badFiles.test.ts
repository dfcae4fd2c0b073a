// Files that cannot be imported get one plain answer each, and nothing is read from them.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { defaultTemplate } from '../../src/domain/registry';
import { MAX_IMPORT_BYTES, importFile } from '../../src/import';
import { docxOf, para, table, zipOf } from './helpers';

const t = defaultTemplate();
const refused = async (bytes: Uint8Array, name: string) => {
  const r = await importFile(bytes, name, t);
  if (r.ok) throw new Error(`imported ${Object.keys(r.answers).length} answers from ${name}`);
  return r.message;
};

/** A compound (OLE) file header followed by directory entry names, as Word 97 and encrypted Office files are stored. */
function compoundFile(...streams: string[]): Uint8Array {
  const head = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  const names = streams.flatMap((s) => [...s].flatMap((c) => [c.charCodeAt(0), 0]));
  const out = new Uint8Array(4096);
  out.set(head);
  out.set(names, 1024);
  return out;
}

describe('bad files', () => {
  it('a file that is not Word or Excel', async () => {
    expect(await refused(new TextEncoder().encode('项目名称：行政综合性经费'), '自评.txt')).toContain('不是 Word（.docx）或 Excel（.xlsx）文件');
    expect(await refused(zipOf({ 'a.txt': new TextEncoder().encode('hello') }), '资料.zip')).toContain('不是 Word（.docx）或 Excel（.xlsx）文件');
  });

  it('an empty file', async () => {
    expect(await refused(new Uint8Array(0), '空.docx')).toContain('空文件');
  });

  it('a file over the size limit says how large it is and what the limit is', async () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1024 * 1024);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    const m = await refused(big, '大文件.docx');
    expect(m).toContain('11.0 MB');
    expect(m).toContain('10.0 MB');
  });

  it('an old Word .doc and an old Excel .xls are asked to be saved in the new format', async () => {
    expect(await refused(compoundFile('Root Entry', 'WordDocument', '1Table'), '自评.doc')).toContain('另存为” Word 文档（.docx）');
    expect(await refused(compoundFile('Root Entry', 'Workbook'), '自评.xls')).toContain('（.xlsx）');
  });

  it('a password-protected document, and a zip with encrypted entries', async () => {
    expect(await refused(compoundFile('Root Entry', 'EncryptionInfo', 'EncryptedPackage'), '加密.docx')).toContain('打开密码');
    const zip = zipOf({ 'word/document.xml': new TextEncoder().encode('<w:document/>') });
    zip[6] |= 1; // the local header's "encrypted" flag
    expect(await refused(zip, '加密.docx')).toContain('加密');
  });

  it('a zip bomb is refused before it fills memory', async () => {
    const bomb = zipOf({ '[Content_Types].xml': new Uint8Array(10), 'word/document.xml': new Uint8Array(12 * 1024 * 1024).fill(32) });
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(await refused(bomb, '炸弹.docx')).toContain('已拒绝');
  });

  it('a corrupt .docx', async () => {
    const good = await docxOf([para('项目名称：行政综合性经费')]);
    expect(await refused(good.slice(0, 300), '坏.docx')).toContain('损坏');
  });

  it('a Word file of a different form: says how little it recognised rather than filling nonsense', async () => {
    const other = await docxOf([
      para('会议纪要'),
      para('一、会议内容'),
      para('讨论了食堂菜单。'),
      table([
        ['姓名', '部门'],
        ['王五', '后勤'],
      ]),
      para('项目名称：食堂改造'),
    ]);
    const m = await refused(other, '会议纪要.docx');
    expect(m).toContain('对不上');
    expect(m).toContain('没有导入任何内容');
  });
});

describe('Excel', () => {
  it('reads the same labels cell by cell from an .xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('评价表');
    ws.addRows([
      ['项目名称', '行政综合性经费'],
      ['主管部门', '昆明市五华区人民政府', '项目实施单位', '五华区红云街道办事处'],
      ['项目类型', '一次性项目'],
      ['项目支出明细内容', '年初预算数（万元）', '实际到位数（万元）', '实际支出数（万元）'],
      ['办公设备购置', '12.5', '12.5', '10'],
      ['合计', '12.5', '12.5', '10'],
      ['单位基本情况', '红云街道办事处为五华区人民政府派出机构。'],
    ]);
    ws.mergeCells('B3:D3');
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const r = await importFile(bytes, '评价表.xlsx', t);
    if (!r.ok) throw new Error(r.message);
    expect(r.kind).toBe('xlsx');
    expect(r.answers).toMatchObject({
      'project.name': '行政综合性经费',
      'project.unit': '五华区红云街道办事处',
      'project.type': '一次性项目',
      'lineItems[0].name': '办公设备购置',
      'lineItems[0].budget': 12.5,
      'lineItems[0].spent': 10,
      'background.unitInfo': '红云街道办事处为五华区人民政府派出机构。',
    });
    expect(r.answers['lineItems[1].name']).toBeUndefined();
  });
});
