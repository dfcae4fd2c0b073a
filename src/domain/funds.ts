// The funds table as the template declares it: its columns (年初预算数, 全年预算数,
// 实际到位数, 实际支出数/全年执行数, with the form's own labels, some allowed to stay
// blank), its rows (line items, and fund sources or kinds under 其中), its unit
// (万元 or 元) and its rates, each labelled with what it divides. A blank is missing,
// never 0: a rate that divides by a blank is not computed.
import { type Answers, items, takeDerivation, num, str } from './answers';
import { decimalToScaled, divRoundHalfUp, formatHundredths, formatWan } from './decimal';
import type { FundsBlock, RateDef, Template } from './template';

/** The columns a funds table can have; a template picks and labels them. */
export const fundsColumns = ['budget', 'adjusted', 'arrived', 'spent'] as const;
export type FundsColumn = (typeof fundsColumns)[number];

/** Amounts in 分; a column not answered is 0 here and listed in `blank`. */
export interface Amounts {
  budget: bigint;
  adjusted?: bigint; // only on forms with a 全年预算数 column
  arrived: bigint;
  spent: bigint;
  blank?: FundsColumn[];
}
export interface FundsLine extends Amounts {
  name: string;
  complete: boolean; // every column the template requires answered
}
export interface SourceLine extends Amounts {
  id: string;
  label: string;
  present: boolean;
}

/** A rate in hundredths of a percent (7515 = 75.15%), or undefined when the divisor is zero or blank. */
export interface Rate {
  id: string;
  name: string;
  definition: string; // what it divides, in words
  value?: number; // hundredths of a percent
}
export type Rates = Record<string, Rate>;

export interface Funds {
  block: FundsBlock;
  lines: FundsLine[];
  total: Amounts;
  sources: SourceLine[]; // all template sources, in template order
  sourceTotal: Amounts;
  rates: Rates;
  sourceRates: Record<string, Rates>;
  breakdown: { name: string; amount: bigint }[];
  breakdownTotal: bigint;
}

/** The seed's funds table: what a template without a `funds` block gets. */
export const defaultFundsBlock: FundsBlock = {
  title: '项目资金',
  unit: '万元',
  columns: [
    { id: 'budget', label: '年初预算数', optional: false },
    { id: 'arrived', label: '实际到位数', optional: false },
    { id: 'spent', label: '实际支出数', optional: false },
  ],
  rates: [
    { id: 'arrivalRate', name: '资金到位率', numerator: 'arrived', denominator: 'budget' },
    { id: 'executionRate', name: '预算执行率', numerator: 'spent', denominator: 'arrived' },
    { id: 'spendRate', name: '预算支出率', numerator: 'spent', denominator: 'budget' },
  ],
  itemsSection: 'lineItems',
  sourcesSection: 'sources',
  totalLabel: '合      计',
  itemsLabel: '项目支出明细内容',
  sourcesLead: '其中：',
  show: ['executionRate'],
};

export const fundsBlockOf = (t: Template): FundsBlock => t.funds ?? defaultFundsBlock;

export const columnLabel = (block: FundsBlock, c: FundsColumn): string =>
  block.columns.find((x) => x.id === c)?.label ?? c;

export const rateDefinition = (block: FundsBlock, r: RateDef): string =>
  `${columnLabel(block, r.numerator)}/${columnLabel(block, r.denominator)}`;

/** An amount as answered (in the template's unit) → 分, exactly. */
export function toFen(value: number, unit: FundsBlock['unit']): bigint {
  return unit === '元' ? decimalToScaled(value, 2) : decimalToScaled(value, 6);
}

/** 分 → "273.45" in the template's unit, two decimals. */
export function formatAmount(fen: bigint, unit: FundsBlock['unit']): string {
  return unit === '元' ? formatHundredths(fen) : formatWan(fen);
}

const zero = (): Amounts => ({ budget: 0n, arrived: 0n, spent: 0n });
const add = (a: Amounts, b: Amounts): Amounts => {
  const blank = [...new Set([...(a.blank ?? []), ...(b.blank ?? [])])];
  return {
    budget: a.budget + b.budget,
    ...(a.adjusted !== undefined || b.adjusted !== undefined ? { adjusted: (a.adjusted ?? 0n) + (b.adjusted ?? 0n) } : {}),
    arrived: a.arrived + b.arrived,
    spent: a.spent + b.spent,
    ...(blank.length ? { blank } : {}),
  };
};

/** Percentage in hundredths, half up: 12994/17291 → 7515. */
export function percentOf(part: bigint, whole: bigint): number | undefined {
  if (whole <= 0n) return undefined;
  return Number(divRoundHalfUp(part * 10_000n, whole));
}

export function ratesOf(a: Amounts, block: FundsBlock = defaultFundsBlock): Rates {
  const out: Rates = {};
  for (const r of block.rates) {
    const blank = a.blank?.includes(r.numerator) || a.blank?.includes(r.denominator);
    out[r.id] = {
      id: r.id,
      name: r.name,
      definition: rateDefinition(block, r),
      value: blank ? undefined : percentOf(a[r.numerator] ?? 0n, a[r.denominator] ?? 0n),
    };
  }
  return out;
}

function amountsOf(it: Record<string, unknown>, block: FundsBlock): Amounts {
  const a = zero();
  const blank: FundsColumn[] = [];
  for (const c of block.columns) {
    const v = num(it[c.id] as never);
    if (v === undefined) blank.push(c.id);
    a[c.id] = v === undefined ? 0n : toFen(v, block.unit);
  }
  return blank.length ? { ...a, blank } : a;
}

/** Funds by template and the answers they are computed from: the engine asks several times a message. */
const computed = new WeakMap<Template, Map<string, Funds>>();
const KEPT_PER_TEMPLATE = 4000;

/** The answers the funds are computed from (line items, sources, breakdown), as one string. */
function fundsKey(template: Template, answers: Answers): string {
  const prefixes = fundsPrefixes(template);
  let key = '';
  for (const path in answers) if (prefixes.some((p) => path.startsWith(p))) key += `${path}\u0000${JSON.stringify(answers[path])}\u0000`;
  return key;
}

/** The last funds computed from an answers object: the same object is asked about several times a message. */
const byObject = new WeakMap<Answers, { template: Template; funds: Funds }>();

/** Shared between callers: do not mutate. */
export function computeFunds(template: Template, answers: Answers): Funds {
  // only for frozen answers (the bot's snapshot, withAnswers): one that changes afterwards must be read again
  if (!Object.isFrozen(answers)) return fundsByKey(template, answers);
  const same = byObject.get(answers);
  if (same?.template === template) return same.funds;
  const funds = fundsOfParent(template, answers) ?? fundsByKey(template, answers);
  byObject.set(answers, { template, funds });
  return funds;
}

/** Answers made from others by changes that touch no funds path have the others' funds: no need to read them all again. */
function fundsOfParent(template: Template, answers: Answers): Funds | undefined {
  const link = takeDerivation(answers);
  if (!link) return undefined;
  const parent = byObject.get(link.from);
  if (parent?.template !== template) return undefined;
  const prefixes = fundsPrefixes(template);
  return link.changed.some((path) => prefixes.some((p) => path.startsWith(p))) ? undefined : parent.funds;
}

const prefixesOf = new WeakMap<Template, string[]>();
function fundsPrefixes(template: Template): string[] {
  let prefixes = prefixesOf.get(template);
  if (!prefixes) {
    const block = fundsBlockOf(template);
    prefixes = [block.itemsSection, block.sourcesSection, 'breakdown'].filter((p): p is string => !!p).map((p) => `${p}[`);
    prefixesOf.set(template, prefixes);
  }
  return prefixes;
}

function fundsByKey(template: Template, answers: Answers): Funds {
  let kept = computed.get(template);
  if (!kept) computed.set(template, (kept = new Map()));
  const key = fundsKey(template, answers);
  let funds = kept.get(key);
  if (!funds) {
    if (kept.size >= KEPT_PER_TEMPLATE) kept.delete(kept.keys().next().value!);
    kept.set(key, (funds = fundsFrom(template, answers)));
  }
  return funds;
}

function fundsFrom(template: Template, answers: Answers): Funds {
  const block = fundsBlockOf(template);
  const required = block.columns.filter((c) => !c.optional).map((c) => c.id);
  const lines: FundsLine[] = block.itemsSection
    ? items(answers, block.itemsSection).map((it) => {
        const a = amountsOf(it, block);
        return { name: str(it.name) ?? '', ...a, complete: required.every((c) => !a.blank?.includes(c)) };
      })
    : [];

  const answered = block.sourcesSection ? items(answers, block.sourcesSection) : [];
  const sources: SourceLine[] = template.sources.map((s) => {
    const mine = answered.filter((it) => it.source === s.label || it.source === s.id);
    const sum = mine.reduce<Amounts>((acc, it) => add(acc, amountsOf(it, block)), zero());
    return { id: s.id, label: s.label, present: mine.length > 0, ...sum };
  });
  const sourceTotal = sources.filter((s) => s.present).reduce<Amounts>((s, l) => add(s, l), zero());
  // A form without line items (the national form) totals its fund kinds.
  const total = block.itemsSection ? lines.reduce<Amounts>((s, l) => add(s, l), zero()) : sourceTotal;

  const breakdown = items(answers, 'breakdown').map((it) => ({ name: str(it.name) ?? '', amount: toFen(num(it.amount) ?? 0, block.unit) }));
  const sourceRates: Record<string, Rates> = {};
  for (const s of sources) if (s.present) sourceRates[s.id] = ratesOf(s, block);
  return {
    block,
    lines,
    total,
    sources,
    sourceTotal,
    rates: ratesOf(total, block),
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
