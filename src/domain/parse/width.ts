// Character-level normalisation shared by all parsers. Chinese IMEs switch
// between half- and full-width easily, so numbers often arrive as "２７３．４５".

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space → half-width. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/**
 * The form numeric parsers work on: half-width, no whitespace at all (people
 * write "273.45 万元"), typographic minus signs unified, a trailing full stop
 * dropped (IMEs add "。" when the answer is sent as a sentence).
 */
export function compact(s: string): string {
  const out = toHalfWidth(s)
    .replace(/[\s\u200b-\u200d\ufeff]+/gu, '')
    .replace(/[\u2212\u2012\u2013\u2014\ufe63]/gu, '-');
  return trimEndChars(out, '。');
}

/** Numeric answers are short: this many characters as typed, spaces included, before anything else looks at them. */
export const MAX_NUMERIC_INPUT = 1000;

/**
 * compact() for numeric parsers, or undefined when the text is too long to be a number.
 * The length is checked before any regex runs, so a 100 KB answer costs one comparison.
 */
export function compactNumeric(text: unknown): string | undefined {
  const s = String(text ?? '');
  return s.length > MAX_NUMERIC_INPUT ? undefined : compact(s);
}

/**
 * `s` without trailing characters from `chars`. A loop, not /[…]+$/: that regex retries
 * from every position of a long run and is quadratic (100 KB of dots took seconds).
 */
export function trimEndChars(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Length in characters as a person counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
