// Money answers, in 万元 (ten-thousand yuan) as the forms require. People also
// type yuan ("2,734,500元"), 亿, or Chinese numerals ("二十万"); all are
// converted exactly, to at most 0.01 元 = 0.000001 万元.
import { fractionDigits, parseArabic, parseNumeral, scaledToNumber, scaledToString, shift, toScaled, type Decimal } from './decimal';
import { ESTIMATE, MAX_NUMERIC_LENGTH, refuse, refuseEmpty, refuseEstimate } from './messages';
import type { ParseContext, ParseResult } from './types';
import { compactNumeric } from './width';

/** Digits after the point of a 万元 amount: 6 is one fen (0.01 元). */
const SCALE = 6;
/** Default upper bound: 1e7 万元 = 1000 亿元, far above any project. */
const DEFAULT_MAX = 1e7;

/** The amount in 元 or in 万元, read from the compacted text. */
function read(s: string): { amount: Decimal; inYuan: boolean } | undefined {
  let body = s;
  let inYuan = false;
  const unit = /(元|块钱|块)$/u.exec(body);
  if (unit) {
    inYuan = true;
    body = body.slice(0, -unit[1].length);
  }
  // "273.45万", "1.2亿": an Arabic number with a Chinese multiplier.
  const mult = /^(.+?)(万|萬|亿|億)$/u.exec(body);
  const base = mult ? parseArabic(mult[1]) : undefined;
  if (mult && base) return { amount: shift(base, mult[2] === '亿' || mult[2] === '億' ? 8 : 4), inYuan: true };
  const arabic = parseArabic(body);
  if (arabic) return { amount: arabic, inYuan };
  const chinese = parseNumeral(body);
  // "二十万" means 200000 元; a bare "二十" is 20 万元 like a bare "20".
  if (chinese) return { amount: chinese, inYuan: inYuan || /[万萬亿億]/u.test(body) };
  return undefined;
}

export function parseMoney(text: string, ctx: ParseContext = {}): ParseResult<number> {
  const s = compactNumeric(text);
  if (s === '') return refuseEmpty('money', ctx);
  if (s === undefined || s.length > MAX_NUMERIC_LENGTH) return refuse('money', ctx, '这个金额太长了，没看懂。请按万元填写');
  if (ESTIMATE.test(s)) return refuseEstimate('money', ctx);
  const body = s.replace(/^(?:人民币|RMB|CNY|[¥￥])/iu, '').replace(/整$/u, '');
  const read_ = read(body);
  if (!read_) return refuse('money', ctx, '没看懂这个金额。请按万元填写');
  const { amount, inYuan } = read_;
  if (amount.neg && amount.digits !== 0n) return refuse('money', ctx, '金额不能是负数。请按万元填写');
  // In 元 the last allowed digit is the fen (scale 2); in 万元 it is scale 6.
  const micro = toScaled({ ...amount, neg: false }, inYuan ? 2 : SCALE);
  if (micro === undefined) {
    const places = inYuan ? '元后 2 位小数' : '万元后 6 位小数';
    return refuse('money', ctx, `金额最多精确到分（${places}），这里的小数位太多了（${fractionDigits(amount)} 位）`);
  }
  const max = typeof ctx.max === 'number' && Number.isFinite(ctx.max) ? ctx.max : DEFAULT_MAX;
  const value = scaledToNumber(micro, SCALE);
  if (value > max) {
    return refuse(
      'money',
      ctx,
      `这个金额是 ${scaledToString(micro, SCALE, 2)} 万元，超过了 ${max} 万元，请检查单位是否写错（金额按万元填写）`,
    );
  }
  return { ok: true, value };
}

/** "273.45", "20.00", "273.4512": at least 2 decimals, as many as needed up to 6. */
export function formatMoney(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // toFixed(6) is exact for any multiple of 0.000001 below 2^53 / 1e6.
  const fixed = Math.abs(value) < 1e15 ? value.toFixed(SCALE) : String(value);
  return fixed.includes('.') ? fixed.replace(/(\.\d{2}\d*?)0+$/u, '$1') : fixed;
}
