// Scores of an indicator: 0 up to its weight, at most two decimals.
import { fractionDigits, parseNumeral, scaledToNumber, stripTrailingUnit, toScaled } from './decimal';
import { MAX_NUMERIC_LENGTH, refuse, refuseEmpty } from './messages';
import { trimFixed } from './percent';
import type { ParseContext, ParseResult } from './types';
import { compactNumeric } from './width';

/** Without a weight (template gap), 100 is the most a score can be. */
const DEFAULT_MAX_SCORE = 100;

export function parseScore(text: string, context: ParseContext = {}): ParseResult<number> {
  const weight =
    typeof context.weight === 'number' && Number.isFinite(context.weight) && context.weight >= 0
      ? context.weight
      : DEFAULT_MAX_SCORE;
  // The default example must fit this indicator: its full marks.
  const ctx = context.example ? context : { ...context, example: trimFixed(weight, 2) };
  const range = `得分要在 0 到 ${weight} 分之间`;
  const s = compactNumeric(text);
  if (s === '') return refuseEmpty('score', ctx);
  if (s === undefined || s.length > MAX_NUMERIC_LENGTH) return refuse('score', ctx, `没看懂这个得分，请只填数字，${range}`);
  const d = parseNumeral(stripTrailingUnit(s));
  if (!d) return refuse('score', ctx, `没看懂这个得分，请只填数字，${range}`);
  if (d.neg && d.digits !== 0n) return refuse('score', ctx, `得分不能是负数，${range}`);
  const hundredths = toScaled({ ...d, neg: false }, 2);
  if (hundredths === undefined) return refuse('score', ctx, `得分最多保留两位小数，这里有 ${fractionDigits(d)} 位`);
  const value = scaledToNumber(hundredths, 2);
  if (value > weight) return refuse('score', ctx, `${range}，${trimFixed(value, 2)} 分超过了`);
  return { ok: true, value };
}

export function formatScore(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return trimFixed(value, 2);
}
