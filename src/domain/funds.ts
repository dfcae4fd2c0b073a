// The funds table: line items and sources, their totals, and the three rates,
// each labelled with what it divides so that no one confuses them again.
import { type Answers, items, num, str } from './answers';
import { divRoundHalfUp, formatHundredths, formatWan, wanToFen } from './decimal';
import type { RateId, Template } from './template';

export interface Amounts {
  budget: bigint; // 分
  arrived: bigint;
  spent: bigint;
}
export interface FundsLine extends Amounts {
  name: string;
  complete: boolean; // all three amounts answered
}
export interface SourceLine extends Amounts {
  id: string;
  label: string;
  present: boolean;
}

/** A rate in hundredths of a percent (7515 = 75.15%), or undefined when the divisor is zero. */
export interface Rate {
  id: RateId;
  name: string;
  definition: string; // what it divides, in words
  value?: number; // hundredths of a percent
}
export type Rates = Record<RateId, Rate>;

export interface Funds {
  lines: FundsLine[];
  total: Amounts;
  sources: SourceLine[]; // all template sources, in template order
  sourceTotal: Amounts;
  rates: Rates;
  sourceRates: Record<string, Rates>;
  breakdown: { name: string; amount: bigint }[];
  breakdownTotal: bigint;
}

export const rateNames: Record<RateId, { name: string; definition: string }> = {
  arrivalRate: { name: '资金到位率', definition: '实际到位数/年初预算数' },
  executionRate: { name: '预算执行率', definition: '实际支出数/实际到位数' },
  spendRate: { name: '预算支出率', definition: '实际支出数/年初预算数' },
};

const fen = (v: unknown): bigint => (typeof v === 'number' ? wanToFen(v) : 0n);
const zero = (): Amounts => ({ budget: 0n, arrived: 0n, spent: 0n });
const add = (a: Amounts, b: Amounts): Amounts => ({
  budget: a.budget + b.budget,
  arrived: a.arrived + b.arrived,
  spent: a.spent + b.spent,
});

/** Percentage in hundredths, half up: 12994/17291 → 7515. */
export function percentOf(part: bigint, whole: bigint): number | undefined {
  if (whole <= 0n) return undefined;
  return Number(divRoundHalfUp(part * 10_000n, whole));
}

export function ratesOf(a: Amounts): Rates {
  const make = (id: RateId, part: bigint, whole: bigint): Rate => ({ id, ...rateNames[id], value: percentOf(part, whole) });
  return {
    arrivalRate: make('arrivalRate', a.arrived, a.budget),
    executionRate: make('executionRate', a.spent, a.arrived),
    spendRate: make('spendRate', a.spent, a.budget),
  };
}

export function computeFunds(template: Template, answers: Answers): Funds {
  const lines: FundsLine[] = items(answers, 'lineItems').map((it) => ({
    name: str(it.name) ?? '',
    budget: fen(it.budget),
    arrived: fen(it.arrived),
    spent: fen(it.spent),
    complete: [it.budget, it.arrived, it.spent].every((v) => num(v) !== undefined),
  }));
  const total = lines.reduce<Amounts>((s, l) => add(s, l), zero());

  const answered = items(answers, 'sources');
  const sources: SourceLine[] = template.sources.map((s) => {
    const mine = answered.filter((it) => it.source === s.label || it.source === s.id);
    const sum = mine.reduce<Amounts>(
      (acc, it) => add(acc, { budget: fen(it.budget), arrived: fen(it.arrived), spent: fen(it.spent) }),
      zero(),
    );
    return { id: s.id, label: s.label, present: mine.length > 0, ...sum };
  });
  const sourceTotal = sources.reduce<Amounts>((s, l) => add(s, l), zero());

  const breakdown = items(answers, 'breakdown').map((it) => ({ name: str(it.name) ?? '', amount: fen(it.amount) }));
  const sourceRates: Record<string, Rates> = {};
  for (const s of sources) if (s.present) sourceRates[s.id] = ratesOf(s);
  return {
    lines,
    total,
    sources,
    sourceTotal,
    rates: ratesOf(total),
    sourceRates,
    breakdown,
    breakdownTotal: breakdown.reduce((s, b) => s + b.amount, 0n),
  };
}

/** "75.15%" or "—" when the divisor is zero. */
export function formatRate(r: Rate | number | undefined): string {
  const v = typeof r === 'object' ? r.value : r;
  return v === undefined ? '—' : `${formatHundredths(v)}%`;
}

export { formatWan };
