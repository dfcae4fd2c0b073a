// Free text. One-line answers go into a single cell of the form, so line
// breaks become spaces; long answers keep their paragraphs.
import { refuse } from './messages';
import type { ParseContext, ParseResult } from './types';
import { charCount } from './width';

export const MAX_TEXT = 500;
export const MAX_LONG_TEXT = 20000;

function refuseBlank(kind: 'text' | 'longText', ctx: ParseContext) {
  const which = ctx.label ? `“${ctx.label}”` : '这一题';
  return refuse(kind, ctx, `${which}不能空着，请填写内容`);
}

/** Far over any limit: refused by counting alone, before splitting or regexes. */
function overLong(raw: string, max: number): number | undefined {
  return raw.length > 4 * max + 1000 ? charCount(raw) : undefined;
}

export function parseText(text: string, ctx: ParseContext = {}): ParseResult<string> {
  const long = overLong(String(text ?? ''), MAX_TEXT);
  if (long !== undefined) return refuse('text', ctx, `这一题最多 ${MAX_TEXT} 字，现在有 ${long} 字，请精简一些；较长的说明可以分开写`);
  const value = String(text ?? '')
    .split(/\r\n|\r|\n|\u2028|\u2029/u)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  if (value === '') return refuseBlank('text', ctx);
  const n = charCount(value);
  if (n > MAX_TEXT) return refuse('text', ctx, `这一题最多 ${MAX_TEXT} 字，现在有 ${n} 字，请精简一些；较长的说明可以分开写`);
  return { ok: true, value };
}

export function parseLongText(text: string, ctx: ParseContext = {}): ParseResult<string> {
  const long = overLong(String(text ?? ''), MAX_LONG_TEXT);
  if (long !== undefined) return refuse('longText', ctx, `这一题最多 ${MAX_LONG_TEXT} 字，现在有 ${long} 字，请精简一些`);
  const value = String(text ?? '')
    .replace(/\r\n?/gu, '\n')
    .trim();
  if (value === '') return refuseBlank('longText', ctx);
  const n = charCount(value);
  if (n > MAX_LONG_TEXT) return refuse('longText', ctx, `这一题最多 ${MAX_LONG_TEXT} 字，现在有 ${n} 字，请精简一些`);
  return { ok: true, value };
}
