// 整改汇总: every open 整改 item across evaluations, for leaders: a card (counts, the
// chart of open and overdue items by unit, the items with owner and deadline) and a
// spreadsheet with every item. Built from the items as the store holds them.
import type { DateString } from '../domain/calendar';
import { type RectItem, countByUnit, isOverdueItem, statusLabels } from '../domain/rectification';
import type { Card, CardBlock } from '../conversation/types';
import { CARD_ROWS } from './card';
import { rectUnitChart } from './charts';

export interface OpenRectRow extends RectItem {
  evaluationTitle: string; // '2024年度行政综合性经费'
}

export interface RectSummary {
  today: DateString;
  rows: OpenRectRow[]; // open items, overdue first, then by deadline
  overdue: number;
  evaluations: number;
}

export function buildRectSummary(items: readonly OpenRectRow[], today: DateString): RectSummary {
  const key = (i: OpenRectRow) => `${isOverdueItem(i, today) ? 0 : 1}|${i.dueDate ?? '9999'}|${String(i.evaluationId).padStart(9, '0')}|${String(i.seq).padStart(4, '0')}`;
  const rows = [...items].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return { today, rows, overdue: rows.filter((i) => isOverdueItem(i, today)).length, evaluations: new Set(rows.map((r) => r.evaluationId)).size };
}

export function rectSummaryCard(s: RectSummary): Card {
  const title = '整改汇总：未完成的整改事项';
  if (!s.rows.length) return { title, tone: 'green', blocks: [{ type: 'text', text: `截至 ${s.today}，没有未完成的整改事项。` }] };
  const blocks: CardBlock[] = [
    { type: 'text', text: `截至 ${s.today}，${s.evaluations} 个评价共有 **${s.rows.length}** 项整改未完成，其中逾期 **${s.overdue}** 项。` },
  ];
  const chart = rectUnitChart(countByUnit(s.rows, s.today));
  if (chart) blocks.push({ type: 'chart', chart });
  blocks.push({
    type: 'table',
    columns: ['评价', '序号', '问题描述', '责任单位', '责任人', '完成时限', '状态'],
    rows: s.rows.slice(0, CARD_ROWS).map((i) => [
      i.evaluationTitle,
      String(i.seq),
      i.description,
      i.unit || '—',
      i.owner?.name ?? '未指定',
      i.dueDate ?? '未设置',
      `${statusLabels[i.status]}${isOverdueItem(i, s.today) ? '（已逾期）' : ''}`,
    ]),
  });
  if (s.rows.length > CARD_ROWS) blocks.push({ type: 'text', text: `卡片只列出前 ${CARD_ROWS} 项（逾期的在前），全部 ${s.rows.length} 项见下方表格（xlsx）。` });
  return { title, tone: s.overdue ? 'red' : 'blue', blocks };
}

export const rectSummaryColumns = ['序号', '评价', '问题分类', '问题描述', '整改措施', '责任单位', '责任人', '完成时限', '状态', '是否逾期'] as const;

export async function rectSummaryXlsx(s: RectSummary): Promise<Uint8Array> {
  // loaded when first needed: exceljs is ~10 MB of memory the answering path never uses
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = '绩效自评助手';
  const sheet = wb.addWorksheet('未完成的整改', { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = [6, 28, 18, 40, 40, 24, 10, 12, 10, 9];
  sheet.columns = rectSummaryColumns.map((header, i) => ({ header, width: widths[i], style: { alignment: { wrapText: true, vertical: 'top' } } }));
  sheet.getRow(1).font = { bold: true };
  s.rows.forEach((i, n) =>
    sheet.addRow([n + 1, i.evaluationTitle, i.categoryLabel, i.description, i.measure, i.unit, i.owner?.name ?? '', i.dueDate ?? '', statusLabels[i.status], isOverdueItem(i, s.today) ? '是' : '否']),
  );
  const byUnit = wb.addWorksheet('按单位');
  byUnit.columns = [
    { header: '责任单位', width: 30 },
    { header: '未完成', width: 10 },
    { header: '已逾期', width: 10 },
  ];
  byUnit.getRow(1).font = { bold: true };
  for (const u of countByUnit(s.rows, s.today)) byUnit.addRow([u.unit, u.open, u.overdue]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export const rectSummaryFileName = (today: DateString) => `整改汇总_${today}.xlsx`;
