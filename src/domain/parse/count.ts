// Counts: whole, non-negative numbers of things ("12个", "十二项", "两千").
import { fractionDigits, parseQuantity, stripTrailingUnit, toScaled } from './decimal';
import { ESTIMATE, MAX_NUMERIC_LENGTH, refuse, refuseEmpty, refuseEstimate } from './messages';
import type { ParseContext, ParseResult } from './types';
import { compactNumeric } from './width';

export function parseCount(text: string, ctx: ParseContext = {}): ParseResult<number> {
  const s = compactNumeric(text);
  if (s === '') return refuseEmpty('count', ctx);
  if (s === undefined || s.length > MAX_NUMERIC_LENGTH) return refuse('count', ctx, '没看懂这个数，请只填数字');
  if (ESTIMATE.test(s)) return refuseEstimate('count', ctx);
  const d = parseQuantity(stripTrailingUnit(s));
  if (!d) return refuse('count', ctx, '没看懂这个数，请只填数字');
  if (d.neg && d.digits !== 0n) return refuse('count', ctx, '个数不能是负数');
  if (fractionDigits(d) > 0) return refuse('count', ctx, '个数要是整数，不能有小数');
  const n = toScaled({ ...d, neg: false }, 0) ?? 0n;
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return refuse('count', ctx, '这个数太大了，请检查');
  const value = Number(n);
  if (typeof ctx.max === 'number' && value > ctx.max) return refuse('count', ctx, `这个数不能超过 ${ctx.max}，请检查`);
  return { ok: true, value };
}

export function formatCount(value: number): string {
  return String(value);
}
