// Amounts in the unit of the form. A 万元 form and a 元 form differ by 10,000, and a
// figure copied from the other kind of form is the commonest way a table goes wrong:
// a figure typed without a unit that looks like the other unit is asked back, and a
// unit typed with the figure is converted exactly.
import { parseMoney } from './parse/money';
import { compact } from './parse/width';
import type { ParseContext, ParseResult } from './parse/types';

const WRITTEN_UNIT = /[元块万萬亿億]/u;

/** A 万元 amount; a bare figure of 10,000 or more (一亿元 and up) is asked back. */
export function parseWan(text: string, ctx: ParseContext = {}): ParseResult<number> {
  const r = parseMoney(text, ctx);
  if (!r.ok || WRITTEN_UNIT.test(compact(String(text ?? '')))) return r;
  if (r.value >= 10_000)
    return {
      ok: false,
      ambiguous: true,
      message: `${r.value} 万元就是 ${(r.value / 10_000).toLocaleString('zh-CN')} 亿元，是不是按元填的？这张表按万元填写，请带上单位再回复一次，例如：按元填的回复“${r.value}元”，确实是万元回复“${r.value}万元”`,
    };
  return r;
}

/** A 元 amount (the form is in 元); "273.45万元" converts, a bare figure under 1,000 is asked back. */
export function parseYuan(text: string, ctx: ParseContext = {}): ParseResult<number> {
  const s = compact(String(text ?? ''));
  const explicit = WRITTEN_UNIT.test(s);
  // parseMoney reads a bare figure as 万元: give it the 元 the form means
  const r = parseMoney(explicit ? text : `${s}元`, { ...ctx, max: undefined, example: ctx.example ?? '2734500 或 2,734,500元' });
  if (!r.ok) return { ...r, message: r.message.replace(/请按万元填写/gu, '请按元填写') };
  // 万元 with six decimals is exactly 分; two decimals of 元
  const yuan = Math.round(r.value * 1_000_000) / 100;
  if (ctx.max !== undefined && yuan > ctx.max) return { ok: false, message: `这个金额是 ${yuan} 元，超过了 ${ctx.max} 元，请检查` };
  if (!explicit && yuan < 1000 && yuan > 0)
    return {
      ok: false,
      ambiguous: true,
      message: `这张表按元填写，${yuan} 元很少见，是不是按万元填的？请带上单位再回复一次，例如：按万元填的回复“${s}万元”，确实是元回复“${s}元”`,
    };
  return { ok: true, value: yuan };
}
