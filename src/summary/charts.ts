// The leaders' charts, built from the same figures the cards show: grades of the
// scored evaluations, execution rates against the 90% line, and open / overdue
// 整改 items by responsible unit. In the bot's Chart terms; channels draw them.
import type { UnitCount } from '../domain/rectification';
import { type Summary, UNDER_RATE } from '../domain/summary';
import type { Chart } from '../conversation/types';

/** A chart with more bars than this is unreadable on a phone; the lowest rates / most items are kept. */
export const CHART_MAX_BARS = 20;

/** How many evaluations got each grade (only when some are scored). */
export function gradeChart(s: Pick<Summary, 'byGrade' | 'filling'>): Chart | undefined {
  if (!s.byGrade.length) return undefined;
  const slices = [...s.byGrade.map((g) => ({ name: g.grade, n: g.count })), ...(s.filling ? [{ name: '填写中', n: s.filling }] : [])];
  return { kind: 'pie', title: '评价等次', categories: slices.map((x) => x.name), series: [{ name: '评价数', values: slices.map((x) => x.n) }], unit: '项' };
}

/** Each evaluation's execution rate (支出/到位) in %, against the 90% line; lowest first when there are many. */
export function executionChart(s: Pick<Summary, 'rows'>): Chart | undefined {
  const rated = s.rows.filter((r) => r.executionRate !== undefined);
  if (!rated.length) return undefined;
  const shown = rated.length > CHART_MAX_BARS ? [...rated].sort((a, b) => a.executionRate! - b.executionRate!).slice(0, CHART_MAX_BARS) : rated;
  const label = (name: string, unit: string) => (shown.filter((r) => r.projectName === name).length > 1 && unit ? `${name}（${unit}）` : name);
  return {
    kind: 'bar',
    title: rated.length > shown.length ? `预算执行率最低的 ${shown.length} 项（共 ${rated.length} 项）` : '预算执行率',
    categories: shown.map((r) => label(r.projectName, r.unit)),
    series: [{ name: '预算执行率', values: shown.map((r) => r.executionRate! / 100) }],
    unit: '%',
    threshold: { value: UNDER_RATE / 100, label: '90%' },
  };
}

/** Open and overdue 整改 items per responsible unit, most open first. */
export function rectUnitChart(units: readonly UnitCount[]): Chart | undefined {
  if (!units.length) return undefined;
  const shown = units.slice(0, CHART_MAX_BARS);
  return {
    kind: 'bar',
    title: units.length > shown.length ? `未完成整改最多的 ${shown.length} 个单位（共 ${units.length} 个）` : '各单位未完成的整改事项',
    categories: shown.map((u) => u.unit),
    series: [
      { name: '未完成', values: shown.map((u) => u.open) },
      { name: '已逾期', values: shown.map((u) => u.overdue) },
    ],
    unit: '项',
  };
}
