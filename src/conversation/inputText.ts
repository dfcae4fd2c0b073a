// What every channel does to typed text before the bot sees it, so a command or an
// answer means the same whether it came from Lark, the terminal or the playground.

import { stripInvisible } from '../domain/parse/invisible';

/** Lark's text messages are at most 150 KB; more is not a message a person typed. */
export const MAX_TEXT_CHARS = 150_000;

/** The input boundary: bounded length, invisible and control characters dropped, runs of spaces folded. */
export function cleanText(raw: string): string {
  const bounded = raw.length > MAX_TEXT_CHARS ? raw.slice(0, MAX_TEXT_CHARS) : raw;
  return stripInvisible(bounded)
    .replace(/[ \u00a0\t]{2,}/g, ' ')
    .trim();
}
