// Reading command arguments and labels a person typed (up to 150 KB) in one pass each.
// The regexes these replace (`^(.*?)\s*(\d{4})…$`, `（[^）]*）`) backtrack quadratically or
// worse on long input: a 150 KB 新建评价 or 修改 held the bot for minutes.

const isSpace = (c: string) => /\s/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** Index after trailing whitespace is dropped from s[0, end). */
function trimmedEnd(s: string, end: number): number {
  while (end > 0 && isSpace(s[end - 1])) end--;
  return end;
}

/**
 * "行政综合性经费 2024年度" → name and year: a trailing four-digit year (then 年, 度) is split
 * off, with or without a space before it; the name is the rest, trimmed.
 */
export function nameAndYear(args: string): { name: string; year?: number } {
  let end = trimmedEnd(args, args.length);
  if (args[end - 1] === '度') end--;
  if (args[end - 1] === '年') end--;
  end = trimmedEnd(args, end);
  const start = end - 4;
  if (start >= 0 && [0, 1, 2, 3].every((i) => isDigit(args[start + i]))) return { name: args.slice(0, start).trim(), year: Number(args.slice(start, end)) };
  return { name: args.trim() };
}

/** "资金来源 2" → the text and the number after its last space; undefined without both. */
export function trailingNumber(args: string): { text: string; n: number } | undefined {
  let digits = args.length;
  while (digits > 0 && isDigit(args[digits - 1])) digits--;
  if (digits === args.length) return undefined;
  const text = trimmedEnd(args, digits);
  if (text === digits) return undefined; // digits glued to the text: "第2" is not "第 2"
  return { text: args.slice(0, text), n: Number(args.slice(digits)) };
}

/** The text before and after the first `word`, each trimmed; undefined when it is not there. */
export function splitAtWord(args: string, word: string): { before: string; after: string } | undefined {
  const at = args.indexOf(word);
  return at < 0 ? undefined : { before: args.slice(0, at).trim(), after: args.slice(at + word.length).trim() };
}

/**
 * The text without its bracketed parts, full-width （…） and half-width (…): "年初预算数（万元）"
 * → "年初预算数". An opening bracket with no closing one stays. Each character is looked at a
 * bounded number of times (a failed search for a closing bracket is not repeated).
 */
export function dropBracketed(s: string): string {
  let out = '';
  let kept = 0; // s[kept, i) is kept, not yet copied
  const unclosed = { '）': false, ')': false };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const close = c === '（' ? '）' : c === '(' ? ')' : undefined;
    if (!close || unclosed[close]) continue;
    const j = s.indexOf(close, i + 1);
    if (j < 0) {
      unclosed[close] = true; // no closing bracket anywhere after here: none after any later one either
      continue;
    }
    out += s.slice(kept, i);
    kept = j + 1;
    i = j;
  }
  return out + s.slice(kept);
}

/** What a person typed, quoted back in a reply: at most `max` characters, then "…". A 150 KB argument echoed whole would pass Lark's text limit. */
export function quoted(s: string, max = 40): string {
  if (s.length <= max) return s;
  // whole characters, never half a surrogate pair; max + 1 of them fit in 2 (max + 1) code units
  const chars = Array.from(s.slice(0, 2 * (max + 1)));
  return chars.length <= max ? s : `${chars.slice(0, max).join('')}…`;
}
