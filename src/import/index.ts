// Importing a file: what it would fill in an evaluation of a template. Pure apart
// from reading the bytes given: nothing is applied here; the conversation shows the
// result and applies it only when a person confirms.
import type { Answers } from '../domain/answers';
import type { Template } from '../domain/template';
import { type Unread, matchBlocks } from './match';
import { readFile } from './read';

export type { Unread } from './match';
export { MAX_IMPORT_BYTES, tooLarge } from './read';

/** Fewer answers than this and the file is taken to be some other form. */
export const MIN_MATCHES = 5;

export type Imported =
  | { ok: true; kind: 'docx' | 'xlsx'; answers: Answers; unmatched: Unread[] }
  | { ok: false; message: string };

export async function importFile(
  bytes: Uint8Array,
  fileName: string,
  template: Template,
  opts: { year?: number; maxBytes?: number } = {},
): Promise<Imported> {
  const read = await readFile(bytes, fileName, opts.maxBytes);
  if (!read.ok) return read;
  const { answers, unmatched } = matchBlocks(template, read.blocks, opts.year ?? template.year);
  const n = Object.keys(answers).length;
  if (n < MIN_MATCHES)
    return {
      ok: false,
      message:
        `“${fileName}”和《${template.title}》对不上：只认出了${n}项，不像这张评价表或它的绩效评价报告。没有导入任何内容。` +
        '请发送按这张表填写的 Word 或 Excel 文件。',
    };
  return { ok: true, kind: read.kind, answers, unmatched };
}
