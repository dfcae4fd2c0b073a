// How people say yes, no, and "just chatting" in a group. Pure word lists: the
// engine asks "是或否" questions and must not take "好的" as an answer to 主管部门.
import { toHalfWidth } from '../domain/parse';

const YES = new Set(['是', '是的', '好', '好的', '行', '可以', '对', '对的', '嗯', '嗯嗯', '要', '需要', '有', '还有', '继续', '添加', '确定', '确认', '没问题', 'ok', 'okay', 'y', 'yes', '1', '要的', '有的', '好嘞', '当然']);
const NO = new Set(['否', '不', '不是', '不要', '不用', '不用了', '不需要', '没有', '没有了', '没了', '无', '算了', '完成', '完了', '结束', '好了', '就这些', '就这样', '没有别的', 'n', 'no', '2', '不对', '不行', '不了']);
const CHAT = new Set(['谢谢', '谢谢你', '多谢', '收到', '哈哈', '哈哈哈', '稍等', '等一下', '等等', '了解', '知道了', '明白', '明白了', '辛苦了', '在吗', '你好', '您好', '👍', '🙏', 'hi', 'hello', '嗯哼', '哦', '噢', '好吧', '行吧', '等会', '一会儿']);

/** Lowercase, half-width, without trailing punctuation, particles and emoji padding. */
function bare(text: string): string {
  return toHalfWidth(text)
    .trim()
    .toLowerCase()
    .replace(/[\s.!?,;~。！？，、；…]+$/u, '')
    .replace(/^[\s.!?,;~。！？，、；…]+/u, '')
    .replace(/(吧|啊|呀|哈|呢|啦|的呢)$/u, (m, _p, offset: number) => (offset > 0 ? '' : m));
}

export function yesNo(text: string): 'yes' | 'no' | undefined {
  const t = bare(text);
  if (!t) return undefined;
  if (YES.has(t)) return 'yes';
  if (NO.has(t)) return 'no';
  return undefined;
}

/** A short reply that is plainly conversation, not an answer to a form question. */
export function isCasual(text: string): boolean {
  const t = bare(text);
  if (!t || t.length > 6 || /^\d+$/.test(t)) return false;
  return YES.has(t) || NO.has(t) || CHAT.has(t) || /^[\p{Extended_Pictographic}\s]+$/u.test(t);
}

const NUMBER = String.raw`[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const FIGURE = new RegExp(`^${NUMBER}(?:亿元|万元|亿|万|元|%|‰|个|分|人|项|次|天|年|月|日|号)?$`, 'u');
const DATE = /^\d{4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?$/u;

/** Only a number, an amount, a percentage or a date: not what a question asking for a name or a sentence wants. */
export function isFigure(text: string): boolean {
  const t = toHalfWidth(text).replace(/\s+/gu, '').replace(/[。.]$/u, '');
  return t.length > 0 && t.length <= 40 && (FIGURE.test(t) || DATE.test(t));
}
