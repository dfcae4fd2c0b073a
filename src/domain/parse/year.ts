// Years: 2024, 2024年, 二〇二四, 二零二四年度.
import { parseChineseInteger } from './chineseNumber';
import { MAX_NUMERIC_LENGTH, refuse, refuseEmpty } from './messages';
import type { ParseContext, ParseResult } from './types';
import { compactNumeric } from './width';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

export function parseYear(text: string, ctx: ParseContext = {}): ParseResult<number> {
  const s = compactNumeric(text);
  if (s === '') return refuseEmpty('year', ctx);
  if (s === undefined || s.length > MAX_NUMERIC_LENGTH) return refuse('year', ctx, '没看懂这个年份，请填写四位数的年份');
  const body = s.replace(/年度?$/u, '');
  const n = /^\d+$/u.test(body) ? BigInt(body) : parseChineseInteger(body);
  if (n === undefined) return refuse('year', ctx, '没看懂这个年份，请填写四位数的年份');
  if (n < BigInt(MIN_YEAR) || n > BigInt(MAX_YEAR)) {
    return refuse('year', ctx, `年份要在 ${MIN_YEAR} 到 ${MAX_YEAR} 之间，请检查`);
  }
  return { ok: true, value: Number(n) };
}

export function formatYear(value: number): string {
  return String(value);
}
