// Exact decimals: a BigInt of digits and a count of digits after the point.
// Money must not drift (2,734,512元 is exactly 273.4512 万元), so scaling is
// done on digits, never by multiplying floats.
import { chineseToDecimalString } from './chineseNumber';

export interface Decimal {
  neg: boolean;
  /** All digits, point removed. */
  digits: bigint;
  /** Digits after the point as written (trailing zeros included). */
  scale: number;
}

const ARABIC = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

function fromParts(neg: boolean, int: string, frac: string): Decimal {
  return { neg, digits: BigInt(int + frac), scale: frac.length };
}

/** "1,234.5", "-3", "273.45"; thousands separators only in groups of three. */
export function parseArabic(s: string): Decimal | undefined {
  const m = ARABIC.exec(s);
  if (!m) return undefined;
  return fromParts(m[1] === '-', m[2].replace(/,/g, ''), m[3] ?? '');
}

/** Arabic or Chinese numeral, with 负/- for negatives. */
export function parseNumeral(s: string): Decimal | undefined {
  const arabic = parseArabic(s);
  if (arabic) return arabic;
  let neg = false;
  let body = s;
  if (body.startsWith('负') || body.startsWith('-')) {
    neg = true;
    body = body.slice(1);
  }
  const str = chineseToDecimalString(body);
  if (str === undefined) return undefined;
  const [int, frac = ''] = str.split('.');
  return fromParts(neg, int, frac);
}

const MULTIPLIERS: Record<string, number> = { 千: 3, 万: 4, 萬: 4, 十万: 5, 百万: 6, 千万: 7, 亿: 8, 億: 8 };

/** A numeral, also an Arabic one with a Chinese multiplier: "1.2万" → 12000. */
export function parseQuantity(s: string): Decimal | undefined {
  const direct = parseNumeral(s);
  if (direct) return direct;
  const m = /^(.+?)(十万|百万|千万|千|万|萬|亿|億)$/u.exec(s);
  if (!m) return undefined;
  const base = parseArabic(m[1]);
  return base ? shift(base, MULTIPLIERS[m[2]]) : undefined;
}

/** Multiply by 10^n exactly. */
export function shift(d: Decimal, n: number): Decimal {
  if (n <= d.scale) return { ...d, scale: d.scale - n };
  return { ...d, digits: d.digits * 10n ** BigInt(n - d.scale), scale: 0 };
}

/** The value × 10^scale as an integer, or undefined when that would lose digits. */
export function toScaled(d: Decimal, scale: number): bigint | undefined {
  const sign = d.neg ? -1n : 1n;
  if (d.scale <= scale) return sign * d.digits * 10n ** BigInt(scale - d.scale);
  const div = 10n ** BigInt(d.scale - scale);
  if (d.digits % div !== 0n) return undefined;
  return (sign * d.digits) / div;
}

/** Digits after the point that matter ("75.10" has 1). */
export function fractionDigits(d: Decimal): number {
  let { digits, scale } = d;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  return scale;
}

/** Integer × 10^-scale as a plain decimal string, trailing zeros kept down to minScale. */
export function scaledToString(n: bigint, scale: number, minScale = 0): string {
  const neg = n < 0n;
  const padded = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const int = padded.slice(0, padded.length - scale);
  let frac = padded.slice(padded.length - scale);
  while (frac.length > minScale && frac.endsWith('0')) frac = frac.slice(0, -1);
  const body = frac ? `${int}.${frac}` : int;
  return neg ? `-${body}` : body;
}

/** Number(...) of the exact decimal string: the double nearest the true value. */
export function scaledToNumber(n: bigint, scale: number): number {
  return Number(scaledToString(n, scale));
}

export function isZero(d: Decimal): boolean {
  return d.digits === 0n;
}

const NUMERAL_CHAR = /[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億点]/u;
const UNIT_CHAR = /[\p{Script=Han}%]/u;

/**
 * Drop a trailing unit word ("12个", "4.5分", "95%"): the unit is the
 * question's business, not the answer's. Numeral characters are kept.
 */
export function stripTrailingUnit(s: string): string {
  const chars = Array.from(s);
  let end = chars.length;
  while (end > 0 && UNIT_CHAR.test(chars[end - 1]) && !NUMERAL_CHAR.test(chars[end - 1])) end--;
  return chars.slice(0, end).join('');
}
