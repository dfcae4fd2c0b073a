// Percent answers, stored as the percentage (75.15 means 75.15%). A bare 0.75
// could be a fraction or a tiny percentage, so it is asked back, not guessed.
import { fractionDigits, parseNumeral, scaledToNumber, scaledToString, shift, toScaled } from './decimal';
import { ESTIMATE, MAX_NUMERIC_LENGTH, refuse, refuseEmpty, refuseEstimate } from './messages';
import type { ParseContext, ParseResult } from './types';
import { compactNumeric } from './width';

/** Highest accepted percentage: execution rates above this are typos. */
const MAX_PERCENT = 1000;

export function parsePercent(text: string, ctx: ParseContext = {}): ParseResult<number> {
  const s = compactNumeric(text);
  if (s === '') return refuseEmpty('percent', ctx);
  if (s === undefined || s.length > MAX_NUMERIC_LENGTH) return refuse('percent', ctx, '这个百分比太长了，没看懂。请填写百分数');
  if (ESTIMATE.test(s)) return refuseEstimate('percent', ctx);
  let body = s;
  let marked = false;
  if (body.startsWith('百分之')) {
    body = body.slice(3);
    marked = true;
  }
  if (body.endsWith('%')) {
    body = body.slice(0, -1);
    marked = true;
  }
  const d = parseNumeral(body);
  if (!d) return refuse('percent', ctx, '没看懂这个百分比。请填写百分数');
  if (d.neg && d.digits !== 0n) return refuse('percent', ctx, '百分比不能是负数');
  const abs = { ...d, neg: false };
  const hundredths = toScaled(abs, 2);
  // Bare "0.75": 0.75% or 75%? Only a written decimal point in (0, 1] is unclear.
  if (!marked && d.scale > 0 && d.digits !== 0n && d.digits <= 10n ** BigInt(d.scale)) {
    const times100 = toScaled(shift(abs, 2), 2);
    if (times100 !== undefined) {
      const as = scaledToString(times100, 2);
      return {
        ok: false,
        ambiguous: true,
        message: `“${body}”是指 ${body}% 还是 ${as}%？请带上百分号再答一次，例如：${as}%`,
      };
    }
  }
  if (hundredths === undefined) {
    return refuse('percent', ctx, `百分比最多保留两位小数，这里有 ${fractionDigits(d)} 位，请四舍五入到两位后再填`);
  }
  if (hundredths > BigInt(MAX_PERCENT * 100)) {
    return refuse('percent', ctx, `百分比不能超过 ${MAX_PERCENT}%，请检查是否多写了数字`);
  }
  return { ok: true, value: scaledToNumber(hundredths, 2) };
}

/** "75.15%", "75%", "0.5%". */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return `${trimFixed(value, 2)}%`;
}

/** value.toFixed(places) without trailing zeros. */
export function trimFixed(value: number, places: number): string {
  const fixed = Math.abs(value) < 1e15 ? value.toFixed(places) : String(value);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/u, '') : fixed;
}
