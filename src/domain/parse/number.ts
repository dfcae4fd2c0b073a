// Plain numbers: targets and actuals of indicators ("95", "95.5", "1,234.5",
// "十二"). A unit after the number ("95%", "3公里") is accepted and dropped:
// the template already says what the unit is.
import { parseQuantity, scaledToNumber, stripTrailingUnit, toScaled } from './decimal';
import { ESTIMATE, MAX_NUMERIC_LENGTH, refuse, refuseEmpty, refuseEstimate } from './messages';
import type { ParseContext, ParseResult } from './types';
import { compactNumeric } from './width';

/** What String(number) prints for very small or large values ("1e-7"). */
const EXPONENT = /^-?\d+(?:\.\d+)?e[+-]?\d+$/iu;

export function parseNumber(text: string, ctx: ParseContext = {}): ParseResult<number> {
  const s = compactNumeric(text);
  if (s === '') return refuseEmpty('number', ctx);
  if (s === undefined || s.length > MAX_NUMERIC_LENGTH) return refuse('number', ctx, '没看懂这个数，请只填数字');
  if (ESTIMATE.test(s)) return refuseEstimate('number', ctx);
  let value: number | undefined;
  if (EXPONENT.test(s)) {
    value = Number(s);
  } else {
    const d = parseQuantity(stripTrailingUnit(s));
    const scaled = d ? toScaled(d, d.scale) : undefined;
    if (d && scaled !== undefined) value = scaledToNumber(scaled, d.scale);
  }
  if (value === undefined || !Number.isFinite(value)) return refuse('number', ctx, '没看懂这个数，请只填数字');
  if (Object.is(value, -0)) value = 0;
  if (typeof ctx.max === 'number' && value > ctx.max) return refuse('number', ctx, `这个数不能超过 ${ctx.max}，请检查`);
  return { ok: true, value };
}

/** String(value) round-trips every finite double, exponent form included. */
export function formatNumber(value: number): string {
  return String(value);
}
