// Phone numbers, normalised for printing on the form: mobiles as 11 digits
// ("13812345678"), landlines as area-local ("0871-63123456"), with "转123"
// for an extension.
import { refuse, refuseEmpty } from './messages';
import type { ParseContext, ParseResult } from './types';
import { toHalfWidth } from './width';

const MOBILE = /^1[3-9]\d{9}$/u;
const SEPARATORS = /[\s\u200b-\u200d\ufeff\-()（）.·—_]+/gu;

/** Split "0871 63123456" into area code and local number; area codes 01x/02x have 3 digits. */
function landline(digits: string): string | undefined {
  // area codes start 01–09: "00…" is an international prefix, never an area code
  if (!/^0[1-9]\d{8,10}$/u.test(digits)) return undefined;
  const areaLength = /^0[12]/u.test(digits) ? 3 : 4;
  const area = digits.slice(0, areaLength);
  const local = digits.slice(areaLength);
  if (!/^[2-9]\d{6,7}$/u.test(local)) return undefined;
  return `${area}-${local}`;
}

export function parsePhone(text: string, ctx: ParseContext = {}): ParseResult<string> {
  const typed = String(text ?? '');
  if (typed.length > 200) return refuse('phone', ctx, '没看懂这个电话号码，请只填一个手机号或带区号的座机号');
  const s = toHalfWidth(typed).trim();
  if (s === '') return refuseEmpty('phone', ctx);
  if (s.length > 60) return refuse('phone', ctx, '没看懂这个电话号码，请只填一个手机号或带区号的座机号');
  const parts = s.split(/转|分机|ext\.?/iu);
  if (parts.length > 2) return refuse('phone', ctx, '没看懂这个电话号码，请只填一个号码');
  const main = parts[0].replace(SEPARATORS, '');
  const ext = parts[1]?.replace(SEPARATORS, '') ?? '';
  if (parts.length === 2 && !/^\d{1,6}$/u.test(ext)) return refuse('phone', ctx, '分机号只能是数字，例如 0871-63123456转123');

  let national = main;
  // after +86 / 0086 comes the number without its trunk 0, so it never starts with 0
  const intl = /^(?:\+|00)86([1-9]\d*)$/u.exec(main) ?? /^86(1[3-9]\d{9})$/u.exec(main);
  if (intl) national = /^[1-9]/u.test(intl[1]) && !MOBILE.test(intl[1]) ? `0${intl[1]}` : intl[1];
  if (!/^\d+$/u.test(national)) return refuse('phone', ctx, '电话号码里只能有数字，请只填一个手机号或带区号的座机号');

  if (MOBILE.test(national)) {
    if (ext) return refuse('phone', ctx, '手机号没有分机号，请只填手机号');
    return { ok: true, value: national };
  }
  const fixed = landline(national);
  if (fixed) return { ok: true, value: ext ? `${fixed}转${ext}` : fixed };
  if (/^[2-9]\d{6,7}$/u.test(national)) return refuse('phone', ctx, '座机号请加上区号');
  if (/^1\d*$/u.test(national)) return refuse('phone', ctx, `手机号应是 11 位，这里是 ${national.length} 位，请检查`);
  return refuse('phone', ctx, '没看懂这个电话号码，请填写手机号或带区号的座机号');
}

export function formatPhone(value: string): string {
  return value;
}
