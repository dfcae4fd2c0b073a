// The funds block of the form, as the template's funds block declares it: its
// columns and unit, line items and fund sources or kinds, the rates it shows and a
// rate scored in place (the national form: 分值 | 执行率 | 得分).
import { AlignmentType } from 'docx';
import { formatScore } from '../domain/decimal';
import type { Assessment } from '../domain/evaluate';
import { type Amounts, formatAmount, formatRate, ratesOf } from '../domain/funds';
import { sizes } from './styles';
import { type CellTextStyle, type GridCell, type GridRow, textCell } from './table';

const small: CellTextStyle = { size: sizes.xiaosi };
const left: CellTextStyle = { ...small, align: AlignmentType.LEFT };
const rowHeight = 440;

/** Column widths: the label and name columns, then the values; the seed's four value columns as they always were. */
function widthsOf(width: number, values: number): number[] {
  // more value columns (the national form's six): narrower label and name columns so that amounts stay on one line
  const label = values > 4 ? 1100 : 1600;
  const name = values > 4 ? 1700 : 2080;
  const rest = width - label - name;
  if (values === 4 && rest === 5160) return [label, name, 1260, 1260, 1280, 1360];
  const each = Math.floor(rest / values);
  return [label, name, ...Array.from({ length: values }, (_, i) => (i === values - 1 ? rest - each * (values - 1) : each))];
}

/** "实际支出数/实际到位数" → "支出/到位": the column is narrow. */
function shortDefinition(definition: string): string {
  return definition.replace(/实际|年初|全年|数/g, '');
}

export function fundsRows(width: number, a: Assessment): GridRow[] {
  const { block } = a.funds;
  const scored = block.scoredIndicator ? a.scores.indicators.find((i) => i.id === block.scoredIndicator) : undefined;
  const shown = block.show.filter((id) => a.funds.rates[id]);
  const valueCount = block.columns.length + shown.length + (scored ? 2 : 0);
  const [label, name, ...nums] = widthsOf(width, valueCount);
  const merged = (first: boolean): GridCell =>
    first ? textCell(label, `${block.title}\n（${block.unit}）`, small, 'restart') : textCell(label, '', small, 'continue');
  const row = (first: boolean, title: string, values: string[], style: CellTextStyle = small, numStyle = small): GridRow => ({
    cells: [merged(first), textCell(name, title, style), ...nums.map((w, i) => textCell(w, values[i], numStyle))],
    minHeight: rowHeight,
  });
  const rateLabel = (id: string) => {
    const r = a.funds.rates[id];
    return scored ? r.name : `${r.name.replace(/^预算/, '')}（${shortDefinition(r.definition)}）`;
  };
  const heads = [
    ...block.columns.map((c) => c.label),
    ...(scored ? ['分值'] : []),
    ...shown.map(rateLabel),
    ...(scored ? ['得分'] : []),
  ];
  /** A line's values; a blank column prints blank (a blank is not a zero), and so does a rate that divides by it. */
  const values = (x: Amounts | undefined, total = false): string[] => {
    if (!x) return heads.map(() => '');
    const rates = ratesOf(x, block);
    const amounts = block.columns.map((c) => (x.blank?.includes(c.id) ? '' : formatAmount(x[c.id] ?? 0n, block.unit)));
    const def = (id: string) => block.rates.find((d) => d.id === id)!;
    const blankIn = (id: string) => x.blank?.includes(def(id).numerator) || x.blank?.includes(def(id).denominator);
    const r = shown.map((id) => (blankIn(id) ? '' : formatRate(rates[id])));
    if (!scored) return [...amounts, ...r];
    return [...amounts, total ? formatScore(scored.weight) : '—', ...r, total ? (scored.scored ? formatScore(scored.score) : '') : '—'];
  };
  // 五号 in the heading row so that 年初预算数 fits its column on one line
  const rows: GridRow[] = [row(true, block.itemsSection ? block.itemsLabel : '', heads, small, { size: sizes.wu })];
  if (block.itemsSection) {
    a.funds.lines.forEach((x) => rows.push(row(false, x.name, values(x))));
    for (let i = a.funds.lines.length; i < 3; i++) rows.push(row(false, '', values(undefined)));
  }
  const anyAmount = block.itemsSection ? a.funds.lines.length > 0 : a.funds.sources.some((s) => s.present);
  rows.push(row(false, block.totalLabel, anyAmount ? values(a.funds.total, true) : values(undefined)));
  // the lead ("其中：") once, the other sources indented under it so the labels line up
  a.funds.sources.forEach((s, i) => {
    const style: CellTextStyle = { ...left, indentLeft: i === 0 ? 0 : 720 };
    rows.push(row(false, `${i === 0 ? block.sourcesLead : ''}${s.label}`, s.present ? values(s) : values(undefined), style));
  });
  return rows;
}
