// A chart as a small self-contained SVG, for channels that draw cards as HTML (the
// playground). Same Chart as the Lark card's VChart spec and the terminal's text bars.
import type { Chart } from '../conversation/types';

const W = 640;
const H = 320;
const COLORS = ['#3370FF', '#F54A45', '#34C724', '#FF8800', '#7F3BF5', '#14C0FF'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

export function chartSvg(chart: Chart): string {
  const body = chart.kind === 'pie' ? pie(chart) : bars(chart);
  const legend = chart.series.length > 1 ? chart.series.map((s, i) => `<rect x="${20 + i * 110}" y="${H - 18}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${34 + i * 110}" y="${H - 9}" font-size="12">${esc(s.name)}</text>`).join('') : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" role="img" aria-label="${esc(chart.title)}" font-family="sans-serif"><text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(chart.title)}</text>${body}${legend}</svg>`;
}

function bars(chart: Chart): string {
  const left = 40;
  const top = 36;
  const bottom = H - 70;
  const plotW = W - left - 20;
  const max = Math.max(chart.threshold?.value ?? 0, ...chart.series.flatMap((s) => s.values), 1) * 1.1;
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  const slot = plotW / Math.max(1, chart.categories.length);
  // bars at most 48 wide, the group centred in its slot (one category would otherwise fill the chart)
  const bw = Math.max(2, Math.min(48, (slot * 0.7) / chart.series.length));
  const out: string[] = [`<line x1="${left}" y1="${bottom}" x2="${W - 20}" y2="${bottom}" stroke="#999"/>`];
  chart.categories.forEach((c, i) => {
    const x0 = left + i * slot + (slot - bw * chart.series.length) / 2;
    chart.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const color = COLORS[j % COLORS.length];
      if (chart.kind === 'bar') out.push(`<rect x="${(x0 + j * bw).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(bottom - y(v)).toFixed(1)}" fill="${color}"><title>${esc(`${c} ${s.name} ${fmt(v)}${chart.unit ?? ''}`)}</title></rect>`);
      out.push(`<text x="${(x0 + j * bw + bw / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" font-size="10">${fmt(v)}</text>`);
    });
    out.push(`<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${bottom + 14}" text-anchor="middle" font-size="11">${esc(c.length > 8 ? `${c.slice(0, 8)}…` : c)}</text>`);
  });
  if (chart.kind === 'line')
    chart.series.forEach((s, j) => {
      const pts = s.values.map((v, i) => `${(left + i * slot + slot / 2).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${pts}" fill="none" stroke="${COLORS[j % COLORS.length]}" stroke-width="2"/>`);
    });
  if (chart.threshold) {
    const ty = y(chart.threshold.value).toFixed(1);
    out.push(`<line x1="${left}" y1="${ty}" x2="${W - 20}" y2="${ty}" stroke="#F54A45" stroke-dasharray="4 4"/><text x="${W - 22}" y="${Number(ty) - 4}" text-anchor="end" font-size="11" fill="#F54A45">${esc(chart.threshold.label)}</text>`);
  }
  return out.join('');
}

function pie(chart: Chart): string {
  const values = chart.series[0]?.values ?? [];
  const total = values.reduce((a, b) => a + b, 0);
  if (!total) return '';
  const cx = W / 2;
  const cy = H / 2 + 5;
  const r = 100;
  let angle = -Math.PI / 2;
  return values
    .map((v, i) => {
      const a = (v / total) * Math.PI * 2;
      const [x1, y1] = [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
      const mid = angle + a / 2;
      angle += a;
      const [x2, y2] = [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
      const color = COLORS[i % COLORS.length];
      const shape = v === total ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${color}"/>` : `<path d="M${cx},${cy} L${x1.toFixed(1)},${y1.toFixed(1)} A${r},${r} 0 ${a > Math.PI ? 1 : 0} 1 ${x2.toFixed(1)},${y2.toFixed(1)} Z" fill="${color}"/>`;
      const label = `<text x="${(cx + (r + 18) * Math.cos(mid)).toFixed(1)}" y="${(cy + (r + 18) * Math.sin(mid)).toFixed(1)}" text-anchor="middle" font-size="12">${esc(`${chart.categories[i]} ${fmt(v)}${chart.unit ?? ''}`)}</text>`;
      return shape + label;
    })
    .join('');
}
