// Choice answers: the value is always the option text itself. People reply
// with the text, its number ("2", "第2个", "②"), a yes/no word ("对", "×"),
// or a fragment that identifies one option.
import { parseChineseInteger } from './chineseNumber';
import type { ParseContext, ParseResult } from './types';
import { toHalfWidth, trimEndChars } from './width';

/** Options are short; a reply this long is no option (checked before any regex runs). */
const MAX_CHOICE_INPUT = 1000;

/** Comparison key: width, spaces, case and closing punctuation do not matter. */
function key(s: string): string {
  return trimEndChars(toHalfWidth(s).replace(/[\s\u200b-\u200d\ufeff]+/gu, ''), '。.!！~').toLowerCase();
}

const CIRCLED_ONE = 0x2460; // ① .. ⑳
const DINGBAT_ONE = 0x2776; // ❶ .. ❿

/** "2", "第2个", "②", "(2)", "二": the 1-based number the person means, if any. */
function readIndex(k: string): number | undefined {
  const chars = Array.from(k);
  if (chars.length === 1) {
    const c = chars[0].codePointAt(0) ?? 0;
    if (c >= CIRCLED_ONE && c < CIRCLED_ONE + 20) return c - CIRCLED_ONE + 1;
    if (c >= DINGBAT_ONE && c < DINGBAT_ONE + 10) return c - DINGBAT_ONE + 1;
  }
  const m = /^(?:第|选)?[(（]?([0-9零〇一二两三四五六七八九十]{1,4})[)）]?(?:个|项|条|种|号|个选项|、|\.)?$/u.exec(k);
  if (!m) return undefined;
  const n = parseChineseInteger(m[1]);
  return n === undefined || n > 1000n ? undefined : Number(n);
}

type Polarity = 'yes' | 'no' | 'partial';

const YES_OPTIONS = new Set(['是', '是的', '有', '对', '达成', '已达成', '全部达成', '完成', '已完成', '全部完成', '符合', '满意', '同意', '通过', 'yes']);
const NO_OPTIONS = new Set(['否', '不是', '无', '没有', '未达成', '未完成', '不符合', '不满意', '不同意', '未通过', 'no']);
const YES_WORDS = new Set(['是', '是的', '对', '对的', '√', '✓', '✔', '☑', '有', 'yes', 'y', '达成', '已达成', '完成', '已完成', '好', '嗯']);
const NO_WORDS = new Set(['否', '不是', '×', '✗', '✘', 'x', '无', '没有', '没', '不', 'no', 'n', '未达成', '未完成']);
const PARTIAL_WORDS = new Set(['部分', '一部分', '部分是', '部分达成', '部分完成', '有些']);

function optionPolarity(option: string): Polarity | undefined {
  const k = key(option);
  if (k.includes('部分')) return 'partial';
  if (YES_OPTIONS.has(k)) return 'yes';
  if (NO_OPTIONS.has(k)) return 'no';
  return undefined;
}

function wordPolarity(k: string): Polarity | undefined {
  if (PARTIAL_WORDS.has(k)) return 'partial';
  if (YES_WORDS.has(k)) return 'yes';
  if (NO_WORDS.has(k)) return 'no';
  return undefined;
}

function numbered(options: readonly string[]): string {
  return options.map((o, i) => `${i + 1}. ${o}`).join('\n');
}

function refuseChoice(options: readonly string[], ctx: ParseContext, lead: string, ambiguous = false): ParseResult<string> {
  const example = ctx.example?.trim() || `1 或 ${options[0]}`;
  const message = `${lead}请回复序号或选项文字：\n${numbered(options)}\n例如：${example}`;
  return ambiguous ? { ok: false, ambiguous: true, message } : { ok: false, message };
}

/** The one option meant by `k`, matched as a fragment; several → ambiguous. */
function fuzzy(options: readonly string[], k: string): string[] {
  const keys = options.map(key);
  const prefixed = options.filter((_, i) => keys[i].startsWith(k));
  if (prefixed.length > 0) return prefixed;
  const containing = options.filter((_, i) => keys[i].includes(k));
  if (containing.length > 0) return containing;
  // "我选部分达成": options inside the reply; the longest wins over its own parts.
  const inside = options.filter((_, i) => keys[i] !== '' && k.includes(keys[i]));
  return inside.filter((o) => !inside.some((p) => p !== o && key(p).includes(key(o))));
}

export function parseChoice(text: string, ctx: ParseContext = {}): ParseResult<string> {
  const options = (ctx.options ?? []).filter((o): o is string => typeof o === 'string');
  if (String(text ?? '').length > MAX_CHOICE_INPUT && options.length > 0) return refuseChoice(options, ctx, '没有找到这个选项。');
  const raw = String(text ?? '').trim();
  if (raw === '' || key(raw) === '') {
    const which = ctx.label ? `“${ctx.label}”` : '这一题';
    if (options.length === 0) return { ok: false, message: `${which}还没有回答，请直接回复答案` };
    return refuseChoice(options, ctx, `${which}还没有回答，`);
  }
  // Without options there is nothing to match against; keep what was typed.
  if (options.length === 0) return { ok: true, value: raw };
  if (options.includes(raw)) return { ok: true, value: raw };
  const k = key(raw);
  const same = options.filter((o) => key(o) === k);
  if (same.length >= 1) return { ok: true, value: same[0] };

  const index = readIndex(k);
  if (index !== undefined) {
    if (index >= 1 && index <= options.length) return { ok: true, value: options[index - 1] };
    return refuseChoice(options, ctx, `没有第 ${index} 个选项。`);
  }

  const polarity = wordPolarity(k);
  if (polarity) {
    const matches = options.filter((o) => optionPolarity(o) === polarity);
    if (matches.length === 1) return { ok: true, value: matches[0] };
  }

  if (k.length <= 200) {
    const found = fuzzy(options, k);
    if (found.length === 1) return { ok: true, value: found[0] };
    if (found.length > 1) {
      return refuseChoice(options, ctx, `“${raw}”可能是 ${found.map((o) => `“${o}”`).join('或')}，请说得具体一些。`, true);
    }
  }
  return refuseChoice(options, ctx, '没有找到这个选项。');
}

export function formatChoice(value: string | boolean): string {
  if (typeof value === 'boolean') return value ? '是' : '否';
  return value;
}
