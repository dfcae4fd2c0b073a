// Answer parsers: what a person types in the chat → a typed value, or a
// Simplified-Chinese message saying what was wrong and showing a good answer.
// All functions are pure and never throw.
import type { QuestionKind } from '../template';
import { formatChoice, parseChoice } from './choice';
import { formatCount, parseCount } from './count';
import { formatDate, parseDate } from './date';
import { exampleFor } from './messages';
import { formatMoney, parseMoney } from './money';
import { formatNumber, parseNumber } from './number';
import { formatPercent, parsePercent } from './percent';
import { formatPhone, parsePhone } from './phone';
import { formatScore, parseScore } from './score';
import { stripInvisible as stripInvisibleChars } from './invisible';
import { parseLongText, parseText } from './text';
import type { AnswerValue, ParseContext, ParseResult } from './types';
import { formatYear, parseYear } from './year';
import { parseWan, parseYuan } from '../amount';

export type { AnswerValue, ParseContext, ParseResult } from './types';
export { toHalfWidth } from './width';
export { stripInvisible } from './invisible';
export { parseChineseNumber } from './chineseNumber';
export { parseMoney, formatMoney } from './money';
export { parsePercent, formatPercent } from './percent';
export { parseDate } from './date';
export { parseChoice } from './choice';
export { parseCount } from './count';
export { parseNumber } from './number';
export { parseScore, formatScore } from './score';
export { parsePhone } from './phone';
export { parseYear } from './year';
export { parseText, parseLongText } from './text';

const PARSERS: Record<QuestionKind, (text: string, ctx: ParseContext) => ParseResult> = {
  text: parseText,
  longText: parseLongText,
  money: parseWan,
  yuan: parseYuan,
  value: (text, ctx) => parseText(text, ctx),
  percent: parsePercent,
  date: parseDate,
  choice: parseChoice,
  count: parseCount,
  number: parseNumber,
  score: parseScore,
  phone: parsePhone,
  year: parseYear,
};

export function parseAnswer(kind: QuestionKind, text: string, ctx: ParseContext = {}): ParseResult {
  const parser = PARSERS[kind] ?? parseText;
  try {
    // invisible characters are dropped at every channel's boundary; again here for any other caller
    return parser(stripInvisibleChars(typeof text === 'string' ? text : String(text ?? '')), ctx ?? {});
  } catch {
    // A parser bug must not take the conversation down; ask again instead.
    return { ok: false, message: `没看懂这个回答，请换个写法再发一次，例如：${exampleFor(kind in PARSERS ? kind : 'text', ctx)}` };
  }
}

/** Human form of a stored value; parseAnswer(kind, formatAnswer(kind, v)) gives v back. */
export function formatAnswer(kind: QuestionKind, value: AnswerValue): string {
  if (typeof value === 'boolean') return formatChoice(value);
  if (typeof value === 'number') {
    switch (kind) {
      case 'money':
        // from 10,000 万元 a bare figure is asked back as looking like 元, so say the unit
        return value >= 10_000 ? `${formatMoney(value)}万元` : formatMoney(value);
      case 'yuan':
        return value.toFixed(2);
      case 'percent':
        return formatPercent(value);
      case 'score':
        return formatScore(value);
      case 'count':
        return formatCount(value);
      case 'year':
        return formatYear(value);
      default:
        return formatNumber(value);
    }
  }
  switch (kind) {
    case 'date':
      return formatDate(value);
    case 'phone':
      return formatPhone(value);
    case 'choice':
      return formatChoice(value);
    default:
      return value;
  }
}
