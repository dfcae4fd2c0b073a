// Chinese numerals as people type them: 十二, 一百零五, 三千二 (= 3200), 两万,
// 一点五, 二〇二四 (read digit by digit), financial capitals (壹贰叁), and
// Arabic runs mixed with units (12万3千). Integers use BigInt so that large
// amounts stay exact.

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Record<string, bigint> = { 十: 10n, 拾: 10n, 百: 100n, 佰: 100n, 千: 1000n, 仟: 1000n };
const BIG_UNITS: Record<string, bigint> = { 万: 10_000n, 萬: 10_000n, 亿: 100_000_000n, 億: 100_000_000n };

/** Every character that can be part of a Chinese numeral (used to find numerals inside dates). */
export const CHINESE_NUMERAL_CHARS = '零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億';

type Token = { kind: 'digit'; value: bigint; zero: boolean } | { kind: 'small' | 'big'; value: bigint };

function tokenize(s: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  const chars = Array.from(s);
  while (i < chars.length) {
    const ch = chars[i];
    if (ch >= '0' && ch <= '9') {
      // An Arabic run counts as one digit token: "12万" is 12 × 万.
      let run = '';
      while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') run += chars[i++];
      tokens.push({ kind: 'digit', value: BigInt(run), zero: false });
      continue;
    }
    if (ch in DIGITS) tokens.push({ kind: 'digit', value: BigInt(DIGITS[ch]), zero: DIGITS[ch] === 0 });
    else if (ch in SMALL_UNITS) tokens.push({ kind: 'small', value: SMALL_UNITS[ch] });
    else if (ch in BIG_UNITS) tokens.push({ kind: 'big', value: BIG_UNITS[ch] });
    else return undefined;
    i++;
  }
  return tokens;
}

/** Integer part of a Chinese numeral, or undefined when it is not one. */
export function parseChineseInteger(s: string): bigint | undefined {
  const tokens = tokenize(s);
  if (!tokens || tokens.length === 0) return undefined;
  if (tokens.every((t) => t.kind === 'digit')) {
    // No units: a digit sequence such as 二〇二四, or a single digit.
    if (tokens.length === 1) return tokens[0].value;
    if (tokens.some((t) => t.value > 9n)) return undefined;
    return BigInt(tokens.map((t) => t.value.toString()).join(''));
  }
  let yi = 0n; // everything already multiplied by 亿
  let wan = 0n; // the 万 part below the last 亿
  let section = 0n; // below 万
  let digit: bigint | null = null;
  let sawZero = false;
  let lastSmall = 10_000n; // small units must decrease within a section
  let wanUsed = false;
  let lastUnit = 1n;
  let prev: Token | undefined;
  for (const t of tokens) {
    if (t.kind === 'digit') {
      if (t.zero && digit === null) {
        sawZero = true; // 一百零五: the zero only marks a gap
      } else if (digit !== null) {
        return undefined; // two digits in a row: 一二百
      } else {
        digit = t.value;
      }
    } else if (t.kind === 'small') {
      if (digit === null) {
        // 十二 / 十万: a leading 十 means 一十.
        if (t.value === 10n && section === 0n && (prev === undefined || prev.kind === 'big')) digit = 1n;
        else return undefined;
      }
      if (t.value >= lastSmall) return undefined;
      section += digit * t.value;
      lastSmall = t.value;
      lastUnit = t.value;
      digit = null;
      sawZero = false;
    } else if (t.value === 10_000n) {
      if (wanUsed) return undefined;
      const v = section + (digit ?? 0n);
      if (v === 0n) return undefined;
      wan = v * 10_000n;
      wanUsed = true;
      section = 0n;
      digit = null;
      lastSmall = 10_000n;
      lastUnit = 10_000n;
      sawZero = false;
    } else {
      const v = wan + section + (digit ?? 0n);
      if (v === 0n) return undefined;
      yi = (yi + v) * 100_000_000n;
      wan = 0n;
      wanUsed = false;
      section = 0n;
      digit = null;
      lastSmall = 10_000n;
      lastUnit = 100_000_000n;
      sawZero = false;
    }
    prev = t;
  }
  let tail = digit ?? 0n;
  // 三千二 = 3200, 两万五 = 25000: a final bare digit right after a unit is one unit lower.
  if (digit !== null && !sawZero && prev?.kind === 'digit' && lastUnit > 10n && digit < 10n) {
    const before = tokens[tokens.length - 2];
    if (before && before.kind !== 'digit') tail = digit * (lastUnit / 10n);
  }
  return yi + wan + section + tail;
}

/** A Chinese numeral with an optional 点 fraction, as an exact decimal string ("1.5"). */
export function chineseToDecimalString(s: string): string | undefined {
  const parts = s.split('点');
  if (parts.length > 2) return undefined;
  const int = parseChineseInteger(parts[0]);
  if (int === undefined) return undefined;
  if (parts.length === 1) return int.toString();
  let frac = '';
  for (const ch of parts[1]) {
    if (ch in DIGITS) frac += String(DIGITS[ch]);
    else if (ch >= '0' && ch <= '9') frac += ch;
    else return undefined;
  }
  if (frac === '') return undefined;
  return `${int}.${frac}`;
}

/** 十二→12, 二十→20, 一百零五→105, 三千二百→3200, 两万→20000, 一点五→1.5. */
export function parseChineseNumber(s: string): number | undefined {
  if (typeof s !== 'string') return undefined;
  const text = s.trim();
  if (text === '' || text.length > 100) return undefined;
  const d = chineseToDecimalString(text);
  return d === undefined ? undefined : Number(d);
}
