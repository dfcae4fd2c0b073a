// From the bytes of a file to paragraphs and tables, or a plain answer saying why not.
// The bytes decide what a file is, not its name: a .docx renamed .doc is read, an old
// .doc renamed .docx is recognised as one.
import type { Block } from './blocks';
import { docxBlocks } from './docx';
import { xlsxBlocks } from './xlsx';
import { defaultZipLimits, readZip } from './zip';

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export type ReadResult = { ok: true; kind: 'docx' | 'xlsx'; blocks: Block[] } | { ok: false; message: string };

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A name as UTF-16LE bytes, as stream names are stored in a compound (OLE) file. */
function hasStream(bytes: Uint8Array, name: string): boolean {
  const needle = new Uint8Array(name.length * 2);
  for (let i = 0; i < name.length; i++) needle[i * 2] = name.charCodeAt(i);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function compound(bytes: Uint8Array, name: string): string {
  if (hasStream(bytes, 'EncryptedPackage'))
    return `“${name}”设置了打开密码，机器人无法读取。请在 Word / Excel / WPS 里取消密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空后保存）再发送。`;
  if (hasStream(bytes, 'WordDocument'))
    return `“${name}”是旧版 Word（.doc）文件，机器人读不了。请在 Word 或 WPS 里“另存为” Word 文档（.docx）后再发送。`;
  if (hasStream(bytes, 'Workbook') || hasStream(bytes, 'Book'))
    return `“${name}”是旧版 Excel（.xls）文件，机器人读不了。请在 Excel 或 WPS 里“另存为” Excel 工作簿（.xlsx）后再发送。`;
  return `“${name}”不是 Word（.docx）或 Excel（.xlsx）文件，无法导入。`;
}

export function tooLarge(name: string, size: number, maxBytes = MAX_IMPORT_BYTES): string {
  return `“${name}”有 ${mb(size)}，超过了导入上限 ${mb(maxBytes)}。请删去文件里的图片后再发送，或只发送评价表和报告。`;
}

export async function readFile(bytes: Uint8Array, name: string, maxBytes = MAX_IMPORT_BYTES): Promise<ReadResult> {
  const fail = (message: string): ReadResult => ({ ok: false, message });
  if (bytes.length === 0) return fail(`“${name}”是空文件（0 字节），没有可以导入的内容。`);
  if (bytes.length > maxBytes) return fail(tooLarge(name, bytes.length, maxBytes));
  if (CFB.every((b, i) => bytes[i] === b)) return fail(compound(bytes, name));
  const notOffice = `“${name}”不是 Word（.docx）或 Excel（.xlsx）文件，无法导入。请发送评价表或绩效评价报告的 .docx 或 .xlsx 文件。`;
  const zip = readZip(bytes, (n) => n === 'word/document.xml' || n.startsWith('xl/'));
  if (!zip.ok) {
    if (zip.reason === 'notZip') return fail(notOffice);
    if (zip.reason === 'encrypted') return fail(`“${name}”是加密的压缩文件，机器人无法读取。请去掉密码后再发送。`);
    if (zip.reason === 'bomb')
      return fail(`“${name}”解压后超过 ${mb(defaultZipLimits.maxInflated)}，或压缩比异常，不像正常的 Word/Excel 文件，已拒绝，没有导入任何内容。`);
    return fail(`“${name}”已损坏，打不开。请在 Word 或 Excel 里打开确认后重新保存再发送。`);
  }
  const doc = zip.files.get('word/document.xml');
  if (doc) return { ok: true, kind: 'docx', blocks: docxBlocks(new TextDecoder().decode(doc)) };
  if (zip.names.includes('xl/workbook.xml')) {
    try {
      return { ok: true, kind: 'xlsx', blocks: await xlsxBlocks(bytes) };
    } catch {
      return fail(`“${name}”已损坏，打不开。请在 Excel 里打开确认后重新保存再发送。`);
    }
  }
  return fail(notOffice);
}
