// The 汇总 and 逾期 cards, in the bot's own Card terms. Cards must stay small
// (Lark refuses ~30 KB), so a long summary shows its first rows and points to the
// spreadsheet, which always has every row.
import { formatWan, formatScore } from '../domain/decimal';
import { formatRate } from '../domain/funds';
import { beijingDate } from '../domain/calendar';
import type { OverdueItem, Summary, SummaryRow } from '../domain/summary';
import { escapeCardMarkdown } from '../conversation/escape';
import type { Card, CardBlock } from '../conversation/types';
import type { RectCounts } from '../domain/rectification';
import { executionChart, gradeChart } from './charts';

export const CARD_ROWS = 50;
const LIST_MAX = 30;

const pts = formatScore;

export function scoreOrProgress(r: SummaryRow): string {
  return r.scored ? `${pts(r.score!)}分 ${r.grade ?? ''}`.trim() : `已完成 ${r.sectionsDone}/${r.sectionsTotal} 部分`;
}

export function scopeText(s: Pick<Summary, 'year' | 'unit'>): string {
  return `${s.year ? `${s.year}年度` : '全部年度'}${s.unit ? `·${s.unit}` : ''}`;
}

export function gradeCountText(s: Summary): string {
  const graded = s.byGrade.map((g) => `${g.grade} ${g.count} 项`).join('、');
  return `${graded || '暂无已评分的评价'}；填写中 ${s.filling} 项`;
}

/** 整改 per evaluation as a cell: '2/1' = 2 open, 1 of them overdue. */
const rectCell = (c: RectCounts | undefined) => (!c || !c.total ? '—' : c.open ? `${c.open}${c.overdue ? `（逾期${c.overdue}）` : ''}` : '已完成');

export function summaryCard(s: Summary, rect?: ReadonlyMap<number, RectCounts>): Card {
  if (!s.rows.length)
    return { title: `绩效自评汇总：${scopeText(s)}`, tone: 'grey', blocks: [{ type: 'text', text: '没有符合条件的评价。可以发送“汇总 2024”或“汇总 2024 红云街道”按年度、单位查看。' }] };
  const rows = s.rows.slice(0, CARD_ROWS).map((r) => [
    r.projectName,
    r.unit || '—',
    formatWan(r.amounts.budget),
    formatWan(r.amounts.arrived),
    formatWan(r.amounts.spent),
    formatRate(r.executionRate),
    scoreOrProgress(r),
    r.deadline ?? '—',
    r.overdue ? '⚠️ 逾期' : '否',
    ...(rect ? [rectCell(rect.get(r.id))] : []),
  ]);
  const rectOpen = rect ? [...rect.values()].reduce((n, c) => n + c.open, 0) : 0;
  const rectOverdue = rect ? [...rect.values()].reduce((n, c) => n + c.overdue, 0) : 0;
  rows.push([
    '合计', `${s.rows.length} 项`, formatWan(s.totals.budget), formatWan(s.totals.arrived), formatWan(s.totals.spent), formatRate(s.executionRate), '', '', `${s.overdue.length} 项`,
    ...(rect ? [rectCell({ total: rectOpen, open: rectOpen, overdue: rectOverdue, closed: 0 })] : []),
  ]);
  const charts = [gradeChart(s), executionChart(s)].flatMap((chart) => (chart ? [{ type: 'chart' as const, chart }] : []));
  const blocks: CardBlock[] = [
    {
      type: 'text',
      text: `共 **${s.rows.length}** 项评价（截至 ${s.today}）：${gradeCountText(s)}；逾期 **${s.overdue.length}** 项。\n合计预算 ${formatWan(s.totals.budget)} 万元，到位 ${formatWan(s.totals.arrived)} 万元，支出 ${formatWan(s.totals.spent)} 万元，预算执行率（${s.executionDefinition?.replace(/实际|年初|全年|数/g, '') ?? '各表口径'}）${formatRate(s.executionRate)}。`,
    },
    ...charts,
    { type: 'table', columns: ['项目', '实施单位', '预算(万元)', '到位(万元)', '支出(万元)', '预算执行率', '得分/进度', '截止日期', '逾期', ...(rect ? ['未完成整改'] : [])], rows },
  ];
  if (s.rows.length > CARD_ROWS) blocks.push({ type: 'text', text: `卡片只列出前 ${CARD_ROWS} 项，全部 ${s.rows.length} 项见下方汇总表（xlsx）。` });
  blocks.push({ type: 'divider' });
  blocks.push({ type: 'text', text: underNinetyText(s) });
  const confirmed = s.rows.filter((r) => r.warningsConfirmed);
  if (confirmed.length)
    blocks.push({
      type: 'text',
      text: `**审核提示经确认后生成报告的评价（${confirmed.length} 项）**\n${confirmed
        .slice(0, LIST_MAX)
        .map((r) => `${r.projectName}：${r.warningsConfirmed!.count} 条，${r.warningsConfirmed!.name} 于 ${beijingDateTime(r.warningsConfirmed!.at)} 确认`)
        .join('\n')}`,
    });
  return { title: `绩效自评汇总：${scopeText(s)}`, tone: s.overdue.length ? 'orange' : 'blue', blocks };
}

function underNinetyText(s: Summary): string {
  if (!s.underNinety.length) return '预算执行率都不低于 90%。';
  const names = s.underNinety.slice(0, LIST_MAX).map((r) => `${escapeCardMarkdown(r.projectName)}${r.unit ? `（${escapeCardMarkdown(r.unit)}）` : ''} ${formatRate(r.executionRate)}`);
  const more = s.underNinety.length > LIST_MAX ? `\n……另有 ${s.underNinety.length - LIST_MAX} 项，见汇总表。` : '';
  return `**预算执行率低于 90% 的评价（${s.underNinety.length} 项）**\n${names.join('\n')}${more}`;
}

/** `items`: the overdue evaluations to list, earliest deadline first; `total`: how many there are in all. */
export function overdueCard(items: readonly OverdueItem[], today: string, total = items.length): Card {
  if (!total) return { title: '逾期的绩效自评', tone: 'green', blocks: [{ type: 'text', text: `截至 ${today}，没有逾期未完成的评价。` }] };
  const rows = items.slice(0, CARD_ROWS).map((it) => [
    `${it.year}年度${it.projectName}`,
    it.unit || '—',
    it.deadline,
    `${it.sectionsDone}/${it.sectionsTotal}`,
    it.gaps
      .map((g) => `${g.title}（${g.assignee?.name ?? '未分配'}）`)
      .join('、'),
  ]);
  const blocks: CardBlock[] = [
    { type: 'text', text: `截至 ${today}，共 **${total}** 项评价已过截止日期仍未完成。` },
    { type: 'table', columns: ['评价', '实施单位', '截止日期', '已完成部分', '未完成的部分（负责人）'], rows },
  ];
  if (total > rows.length) blocks.push({ type: 'text', text: `只列出截止最早的 ${CARD_ROWS} 项；发送“汇总”可获取全部评价的汇总表。` });
  return { title: '逾期的绩效自评', tone: 'red', blocks };
}

/** "2025-05-10 10:00", Beijing time */
function beijingDateTime(ms: number): string {
  const t = new Date(ms + 8 * 3600_000).toISOString();
  return `${beijingDate(ms)} ${t.slice(11, 16)}`;
}
