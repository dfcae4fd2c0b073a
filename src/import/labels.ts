// How labels and headings are compared. People's Word files differ from ours in width
// (（ vs (), spacing ("合      计"), a trailing colon, and in whether the unit
// "（万元）" is part of the label; none of that should stop a match.
import { toHalfWidth } from '../domain/parse';

/** Comparison form: half-width, no whitespace, no trailing colon or full stop. */
export function norm(s: string): string {
  return toHalfWidth(s)
    .replace(/[\s\u200b-\u200d\ufeff]+/gu, '')
    .replace(/[:：。.]+$/u, '');
}

const paren = /\([^()]*\)/gu;

/** A label and the shorter forms it is printed as: without its parenthesised parts, and the aliases. */
export function variants(label: string, aliases: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const l of [label, ...aliases]) {
    const n = norm(l);
    if (!n) continue;
    out.add(n);
    const bare = n.replace(paren, '');
    if (bare.length >= 2) out.add(bare);
  }
  return [...out];
}

export function matchesAny(text: string, vs: readonly string[]): boolean {
  const n = norm(text);
  return n !== '' && vs.includes(n);
}

/** Numbered headings of Chinese official documents: 一、 （一） 1. （1）, as levels 1–4. */
const headingForms: [RegExp, number][] = [
  [/^[一二三四五六七八九十]+、/u, 1],
  [/^\([一二三四五六七八九十]+\)/u, 2],
  [/^\d+[.、](?!\d)/u, 3],
  [/^\(\d+\)/u, 4],
];

export interface Heading {
  level: number;
  /** the heading's words without the number, in comparison form */
  title: string;
}

export function headingOf(text: string): Heading | undefined {
  const n = norm(text);
  for (const [re, level] of headingForms) {
    const m = re.exec(n);
    if (m) return { level, title: n.slice(m[0].length) };
  }
  return undefined;
}

/** A heading's title names the label: "项目完成情况（项目完成情况是根据…）" names 项目完成情况. */
export function titleNames(title: string, vs: readonly string[]): boolean {
  return vs.some((v) => title === v || (title.startsWith(v) && /^[(:：，,]/u.test(title.slice(v.length))));
}
