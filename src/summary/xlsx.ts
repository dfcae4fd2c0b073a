// The summary as a spreadsheet: every row (the card shows only the first ones), a
// totals row, and a second sheet with the count by grade and the evaluations under
// 90% execution. Written by ./xlsxWriter a slice of rows at a time (10,000 rows must
// not hold the event loop), reusing the slices whose rows did not change; nothing touches the disk.
import { divRoundHalfUp } from '../domain/decimal';
import type { Summary, SummaryRow } from '../domain/summary';
import { scopeText } from './card';
import { slicer } from './pause';
import { type XlsxCache, type XlsxRow, newXlsxCache, writeXlsx } from './xlsxWriter';

/** 分 → 万元 as a number with two decimals (half up), for a cell formatted '0.00'. */
export const wanNumber = (fen: bigint): number => Number(divRoundHalfUp(fen, 10_000n)) / 100;
/** hundredths of a percent → a fraction for a '0.00%' cell (7515 → 0.7515). */
const rateNumber = (h: number | undefined): number | null => (h === undefined ? null : h / 10_000);

export const summaryColumns = [
  { header: '序号', width: 6 },
  { header: '项目名称', width: 28 },
  { header: '实施单位', width: 26 },
  { header: '年度', width: 7 },
  { header: '年初预算数（万元）', width: 16, numFmt: '0.00' },
  { header: '实际到位数（万元）', width: 16, numFmt: '0.00' },
  { header: '实际支出数（万元）', width: 16, numFmt: '0.00' },
  { header: '预算执行率', width: 12, numFmt: '0.00%' },
  { header: '得分', width: 8, numFmt: '0.00' },
  { header: '等次', width: 6 },
  { header: '填写进度', width: 18 },
  { header: '截止日期', width: 12 },
  { header: '是否逾期', width: 9 },
] as const;

function rowValues(r: SummaryRow, i: number): (string | number | null)[] {
  return [
    i + 1,
    r.projectName,
    r.unit,
    r.year,
    wanNumber(r.amounts.budget),
    wanNumber(r.amounts.arrived),
    wanNumber(r.amounts.spent),
    rateNumber(r.executionRate),
    r.scored ? r.score! / 100 : null,
    r.scored ? (r.grade ?? '') : '',
    r.scored ? '已评分' : `已完成 ${r.sectionsDone}/${r.sectionsTotal} 部分`,
    r.deadline ?? '',
    r.overdue ? '是' : '否',
  ];
}

/** Rows made for earlier spreadsheets, so that an unchanged summary row is the very same sheet row (./xlsxWriter reuses its slice). */
export interface SummaryXlsxCache {
  sheets: XlsxCache;
  rows: WeakMap<SummaryRow, { i: number; row: XlsxRow }>;
  stats: WeakMap<SummaryRow, XlsxRow>;
}
export const newSummaryXlsxCache = (): SummaryXlsxCache => ({ sheets: newXlsxCache(), rows: new WeakMap(), stats: new WeakMap() });

function sheetRow(r: SummaryRow, i: number, cache: SummaryXlsxCache | undefined): XlsxRow {
  const hit = cache?.rows.get(r);
  if (hit?.i === i) return hit.row;
  const row = { cells: rowValues(r, i) };
  cache?.rows.set(r, { i, row });
  return row;
}

function statsRow(r: SummaryRow, cache: SummaryXlsxCache | undefined): XlsxRow {
  let row = cache?.stats.get(r);
  if (!row) {
    row = { cells: [`${r.projectName}${r.unit ? `（${r.unit}）` : ''}`, rateNumber(r.executionRate)], numFmts: [undefined, '0.00%'] };
    cache?.stats.set(r, row);
  }
  return row;
}

/** The .xlsx of `s`; with a cache, only the slices of rows that changed since the last one are written again. */
export async function summaryXlsx(s: Summary, cache?: SummaryXlsxCache): Promise<Uint8Array> {
  const pause = slicer();
  const rows: XlsxRow[] = [];
  for (let i = 0; i < s.rows.length; i++) {
    if (i % 250 === 0) await pause(); // a row's figures take microseconds; 10,000 of them do not
    rows.push(sheetRow(s.rows[i], i, cache));
  }
  rows.push({
    bold: true,
    cells: [
      '合计',
      `${s.rows.length} 项`,
      '',
      null,
      wanNumber(s.totals.budget),
      wanNumber(s.totals.arrived),
      wanNumber(s.totals.spent),
      rateNumber(s.executionRate),
      null,
      '',
      '',
      '',
      `${s.overdue.length} 项逾期`,
    ],
  });
  const stats: XlsxRow[] = [
    { cells: ['范围', scopeText(s)] },
    { cells: ['截至日期', s.today] },
    ...s.byGrade.map((g) => ({ cells: [`等次：${g.grade}`, g.count] })),
    { cells: ['填写中', s.filling] },
    { cells: ['逾期', s.overdue.length] },
    { cells: [] },
    { cells: ['预算执行率低于90%的评价', '预算执行率'], bold: true },
  ];
  for (let i = 0; i < s.underNinety.length; i++) {
    if (i % 250 === 0) await pause();
    stats.push(statsRow(s.underNinety[i], cache));
  }
  return writeXlsx(
    [
      { name: '汇总', header: summaryColumns.map((c) => c.header), columns: summaryColumns.map((c) => ('numFmt' in c ? { width: c.width, numFmt: c.numFmt } : { width: c.width })), rows },
      { name: '统计', header: ['项目', '数量 / 执行率'], columns: [{ width: 30 }, { width: 16 }], rows: stats },
    ],
    { creator: '绩效自评助手', pause, cache: cache?.sheets },
  );
}

export function summaryFileName(s: Pick<Summary, 'year' | 'unit' | 'today'>): string {
  return `绩效自评汇总_${scopeText(s).replace(/[·\\/:*?"<>|]/g, '_')}_${s.today}.xlsx`;
}
