// Targets and actuals as the national form writes them: "≥95%", "≤5次", "=100%",
// "12项", "按时限完成", "显著提升". What was written is kept as written (the answer is
// that text); this module reads it into an operator, a number and a unit, or finds
// only words (a qualitative value, scored by band).
import { compact } from './parse/width';

export type Operator = '≥' | '≤' | '=' | '>' | '<';

export interface Measure {
  text: string; // as written
  op?: Operator;
  value?: number; // the number, when there is one
  unit?: string; // what follows the number: %, 次, 项, 万元…
}

const OPERATORS: [RegExp, Operator][] = [
  [/^(?:≥|>=|＞=|不低于|不少于|大于等于|至少)/u, '≥'],
  [/^(?:≤|<=|＜=|不高于|不多于|不超过|小于等于|至多)/u, '≤'],
  [/^(?:>|＞|大于|高于|多于)/u, '>'],
  [/^(?:<|＜|小于|低于|少于)/u, '<'],
  [/^(?:=|＝|等于)/u, '='],
];

/** Read a written value. A number needs digits; "无上访" or "有效" are words only. */
export function readMeasure(written: string | number | boolean | undefined): Measure | undefined {
  if (written === undefined || written === '') return undefined;
  if (typeof written === 'number') return { text: String(written), value: written };
  const text = String(written).trim();
  let s = compact(text);
  let op: Operator | undefined;
  for (const [re, o] of OPERATORS) {
    const m = re.exec(s);
    if (m) {
      op = o;
      s = s.slice(m[0].length);
      break;
    }
  }
  const m = /^(\d+(?:\.\d+)?)(.*)$/u.exec(s.replace(/,/g, ''));
  if (!m) return { text };
  const unit = m[2].replace(/^(?:以上|以内|以下)$/u, '').trim();
  // "95%以上" reads as ≥ 95%, "5次以内" as ≤ 5次
  if (!op && /以上$/u.test(m[2])) op = '≥';
  if (!op && /(?:以内|以下)$/u.test(m[2])) op = '≤';
  const cleanUnit = unit.replace(/(?:以上|以内|以下)$/u, '');
  return { text, op, value: Number(m[1]), unit: cleanUnit || undefined };
}

/** The direction a target's operator implies: ≥ and > are 正向, ≤ and < 反向, = 等于; words are 定性. */
export function directionOf(target: Measure | undefined): '正向' | '反向' | '等于' | '定性' | undefined {
  if (!target) return undefined;
  if (target.value === undefined) return '定性';
  if (target.op === '≤' || target.op === '<') return '反向';
  if (target.op === '=') return '等于';
  return '正向'; // "≥95%", and a bare "12项" as forms mean it: at least
}

/** An actual that only repeats its target: the operator and the target's number written as the result. */
export function repeatsTarget(target: Measure | undefined, actual: Measure | undefined): boolean {
  return !!target && !!actual && actual.op !== undefined && target.op !== undefined && actual.value !== undefined && actual.value === target.value;
}
