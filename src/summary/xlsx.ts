// The summary as a spreadsheet: every row (the card shows only the first ones), a
// totals row, and a second sheet with the count by grade and the evaluations under
// 90% execution. Written by ./xlsxWriter a slice of rows at a time (10,000 rows must
// not hold the event loop); nothing touches the disk.
import { divRoundHalfUp } from '../domain/decimal';
import type { Summary, SummaryRow } from '../domain/summary';
import { scopeText } from './card';
import { slicer } from './pause';
import { type XlsxRow, writeXlsx } from './xlsxWriter';

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

export async function summaryXlsx(s: Summary): Promise<Uint8Array> {
  const rows: XlsxRow[] = s.rows.map((r, i) => ({ cells: rowValues(r, i) }));
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
    ...s.underNinety.map((r) => ({ cells: [`${r.projectName}${r.unit ? `（${r.unit}）` : ''}`, rateNumber(r.executionRate)], numFmts: [undefined, '0.00%' as const] })),
  ];
  return writeXlsx(
    [
      { name: '汇总', header: summaryColumns.map((c) => c.header), columns: summaryColumns.map((c) => ('numFmt' in c ? { width: c.width, numFmt: c.numFmt } : { width: c.width })), rows },
      { name: '统计', header: ['项目', '数量 / 执行率'], columns: [{ width: 30 }, { width: 16 }], rows: stats },
    ],
    { creator: '绩效自评助手', pause: slicer() },
  );
}

/** The last spreadsheets written, by a digest of everything they show. */
const written = new Map<string, Uint8Array>();
const KEEP = 4;

/** What the spreadsheet of `s` shows, as one digest (a slice of rows at a time). */
async function contentKey(s: Summary, pause: () => Promise<void>): Promise<string> {
  const parts = [scopeText(s), s.today, String(s.filling), String(s.overdue.length), JSON.stringify(s.byGrade), String(s.totals.budget), String(s.totals.arrived), String(s.totals.spent), String(s.executionRate)];
  for (let i = 0; i < s.rows.length; i++) {
    if (i % 1000 === 999) await pause();
    parts.push(JSON.stringify(rowValues(s.rows[i], i)));
  }
  for (const r of s.underNinety) parts.push(String(r.id));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\n')));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * summaryXlsx, reusing the bytes when a leader asks again and nothing the sheet shows
 * has changed (answers to questions the summary does not show change nothing here).
 */
export async function summaryXlsxReused(s: Summary): Promise<Uint8Array> {
  const key = await contentKey(s, slicer());
  const hit = written.get(key);
  if (hit) return hit;
  const bytes = await summaryXlsx(s);
  written.set(key, bytes);
  if (written.size > KEEP) written.delete(written.keys().next().value!);
  return bytes;
}

export function summaryFileName(s: Pick<Summary, 'year' | 'unit' | 'today'>): string {
  return `绩效自评汇总_${scopeText(s).replace(/[·\\/:*?"<>|]/g, '_')}_${s.today}.xlsx`;
}
