// A chart drawn in the terminal: one bar of █ per value, scaled to the largest, the
// reference line (90%) marked on each bar's scale. Good enough to see the picture.
import type { Chart } from '../../conversation/types';

const WIDTH = 24;

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

export function chartText(chart: Chart): string[] {
  const unit = chart.unit ?? '';
  const lines = [`📊 ${chart.title}`];
  if (chart.kind === 'pie') {
    const values = chart.series[0]?.values ?? [];
    const total = values.reduce((a, b) => a + b, 0) || 1;
    const nameWidth = Math.max(...chart.categories.map(width));
    chart.categories.forEach((c, i) => {
      const v = values[i] ?? 0;
      lines.push(`${pad(c, nameWidth)} ${'█'.repeat(Math.round((v / total) * WIDTH)) || '▏'} ${fmt(v)}${unit}（${Math.round((v / total) * 100)}%）`);
    });
    return lines;
  }
  const max = Math.max(chart.threshold?.value ?? 0, ...chart.series.flatMap((s) => s.values), 1);
  const mark = chart.threshold ? Math.round((chart.threshold.value / max) * WIDTH) : -1;
  const nameWidth = Math.max(...chart.categories.map(width));
  const multi = chart.series.length > 1;
  chart.categories.forEach((c, i) => {
    chart.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const n = Math.round((v / max) * WIDTH);
      const bar = [...Array(WIDTH + 1)].map((_, k) => (k < n ? '█' : k === mark ? '┆' : ' ')).join('').trimEnd() || '▏';
      lines.push(`${pad(j === 0 ? c : '', nameWidth)} ${bar} ${fmt(v)}${unit}${multi ? ` ${s.name}` : ''}`);
    });
  });
  if (chart.threshold) lines.push(`（┆ 为 ${chart.threshold.label} 参考线）`);
  return lines;
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}
