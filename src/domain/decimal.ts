// Exact arithmetic for amounts, rates and scores. Floats drift (0.1 + 0.2), and a
// finance reviewer adds the column by hand, so every sum is done in integers:
// money in 分 (0.01 元 = 0.000001 万元), scores and rates in hundredths.

/** 万元 → 分. Amounts arrive as numbers with at most 6 decimals (the parser enforces it). */
export function wanToFen(wan: number): bigint {
  return decimalToScaled(wan, 6);
}

/** A decimal number → integer scaled by 10^digits, exactly as written (no float multiply). */
export function decimalToScaled(value: number, digits: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const negative = value < 0;
  // toFixed(digits+2) on the float is enough to recover the decimal the user typed
  // for the magnitudes we accept (< 1e10), then we round half up at `digits`.
  const text = Math.abs(value).toFixed(digits + 2);
  const [whole, frac = ''] = text.split('.');
  const kept = BigInt(whole + frac.slice(0, digits));
  const rest = Number(frac.slice(digits));
  const rounded = rest >= 50 ? kept + 1n : kept;
  return negative ? -rounded : rounded;
}

/** Round half up of a / b for non-negative b > 0. */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('division by zero or negative');
  if (a >= 0n) return (2n * a + b) / (2n * b);
  return -((2n * -a + b) / (2n * b));
}

/** A number → hundredths, rounded half up (scores, weights, percentages). */
export function toHundredths(value: number): number {
  return Number(decimalToScaled(value, 2));
}

export function fromHundredths(h: number | bigint): number {
  return Number(h) / 100;
}

/** 12345n hundredths → "123.45". */
export function formatHundredths(h: number | bigint): string {
  const v = BigInt(h);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const s = `${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** 分 → "273.45" (万元, two decimals, half up). */
export function formatWan(fen: bigint): string {
  return formatHundredths(divRoundHalfUp(fen, 10_000n));
}

/** A score or weight for display: whole points bare ("97"), others with two decimals ("1.90"). */
export function formatScore(h: number): string {
  return h % 100 === 0 ? String(h / 100) : formatHundredths(h);
}
