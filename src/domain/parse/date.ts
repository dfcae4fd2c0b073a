// Dates, stored as 'YYYY-MM-DD' (or 'YYYY-MM' when only a month is given).
// People write 2025年5月31日, 2025/5/31, 5月31日 (the year is the evaluation
// year) or even 二〇二五年五月三十一日.
import { CHINESE_NUMERAL_CHARS, parseChineseInteger } from './chineseNumber';
import { MAX_NUMERIC_LENGTH, refuse, refuseEmpty } from './messages';
import type { ParseContext, ParseResult } from './types';
import { compactNumeric } from './width';

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
const CHINESE_RUN = new RegExp(`[${CHINESE_NUMERAL_CHARS}]+`, 'gu');

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Replace each Chinese numeral run by its Arabic value: 五月三十一日 → 5月31日. */
function arabize(s: string): string {
  return s.replace(CHINESE_RUN, (run) => parseChineseInteger(run)?.toString() ?? run);
}

function exampleFor(ctx: ParseContext): ParseContext {
  // Default example with the evaluation year, when known, reads more naturally.
  return ctx.example || !ctx.year ? ctx : { ...ctx, example: `${ctx.year}-05-31 或 ${ctx.year}年5月31日` };
}

function build(ctx: ParseContext, year: number, month: number, day?: number): ParseResult<string> {
  if (year < MIN_YEAR || year > MAX_YEAR) return refuse('date', ctx, `年份“${year}”看起来不对，请检查`);
  if (month < 1 || month > 12) return refuse('date', ctx, `没有 ${month} 月，请检查月份`);
  if (day === undefined) return { ok: true, value: `${year}-${pad(month)}` };
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return refuse('date', ctx, `${year}年${month}月没有 ${day} 日（这个月只有 ${last} 天），请检查日期`);
  return { ok: true, value: `${year}-${pad(month)}-${pad(day)}` };
}

export function parseDate(text: string, context: ParseContext = {}): ParseResult<string> {
  const ctx = exampleFor(context);
  const raw = compactNumeric(text);
  if (raw === '') return refuseEmpty('date', ctx);
  if (raw === undefined || raw.length > MAX_NUMERIC_LENGTH) return refuse('date', ctx, '没看懂这个日期');
  const s = arabize(raw);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/u.exec(s))) return build(ctx, +m[1], +m[2], +m[3]);
  if ((m = /^(\d{4})(\d{2})(\d{2})$/u.exec(s))) return build(ctx, +m[1], +m[2], +m[3]);
  if ((m = /^(\d{4})[-/.年](\d{1,2})月?份?$/u.exec(s))) return build(ctx, +m[1], +m[2]);
  const noYear = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/u.exec(s) ?? /^(\d{1,2})月份?$/u.exec(s);
  if (noYear) {
    const year = context.year;
    if (typeof year !== 'number' || !Number.isInteger(year)) {
      return refuse('date', ctx, '这个日期缺了年份，请把年份也写上');
    }
    return build(ctx, year, +noYear[1], noYear[2] === undefined ? undefined : +noYear[2]);
  }
  return refuse('date', ctx, '没看懂这个日期，请按“年-月-日”填写');
}

export function formatDate(value: string): string {
  return value;
}
