// What the fake platform checks in a card's `chart` elements (Lark card JSON 2.0 chart
// component): the element's own properties, at most five charts, a chart_spec of data
// only (no JavaScript), fields that the data has, and none of the VChart properties
// Lark says fail on mobile (texture, conical gradient, grid word cloud, repeated
// images, SVG backgrounds).
type Json = Record<string, unknown>;

const ELEMENT_KEYS = new Set(['tag', 'element_id', 'aspect_ratio', 'color_theme', 'chart_spec', 'preview', 'height', 'margin']);
const RATIOS = new Set(['1:1', '2:1', '4:3', '16:9']);
const TYPES = new Set(['bar', 'line', 'area', 'pie', 'scatter', 'wordCloud', 'radar', 'funnel', 'common']);

function chartsIn(x: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(x)) x.forEach((y) => chartsIn(y, out));
  else if (x && typeof x === 'object') {
    const o = x as Json;
    if (o.tag === 'chart') out.push(o);
    else Object.values(o).forEach((v) => chartsIn(v, out));
  }
  return out;
}

function mobileProblems(x: unknown, path: string, out: string[]): void {
  if (Array.isArray(x)) return x.forEach((y, i) => mobileProblems(y, `${path}[${i}]`, out));
  if (typeof x === 'string') {
    if (/function\s*\(|=>/.test(x)) out.push(`${path}: JavaScript is not allowed in chart_spec`);
    return;
  }
  if (!x || typeof x !== 'object') return;
  for (const [k, v] of Object.entries(x as Json)) {
    const p = `${path}.${k}`;
    if (k === 'texture') out.push(`${p}: texture fails on mobile`);
    if (k === 'gradient' && v === 'conical') out.push(`${p}: conical gradient fails on mobile`);
    if (k === 'layoutMode' && v === 'grid') out.push(`${p}: grid word cloud fails on mobile`);
    if (k === 'repeatX' || k === 'repeatY') out.push(`${p}: image repeat fails on mobile`);
    if (k === 'background' && typeof v === 'string' && v.includes('<svg')) out.push(`${p}: svg background fails on mobile`);
    mobileProblems(v, p, out);
  }
}

export function chartProblems(card: unknown): string[] {
  const out: string[] = [];
  const charts = chartsIn((card as Json)?.body);
  if (charts.length > 5) out.push(`${charts.length} charts in one card (at most 5)`);
  charts.forEach((c, i) => {
    const at = `chart ${i + 1}`;
    for (const k of Object.keys(c)) if (!ELEMENT_KEYS.has(k)) out.push(`${at}: unknown property ${k}`);
    if (c.element_id !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(String(c.element_id))) out.push(`${at}: bad element_id`);
    if (c.aspect_ratio !== undefined && !RATIOS.has(String(c.aspect_ratio))) out.push(`${at}: bad aspect_ratio ${String(c.aspect_ratio)}`);
    const spec = c.chart_spec as Json | undefined;
    if (!spec || typeof spec !== 'object') return out.push(`${at}: chart_spec missing`);
    if (!TYPES.has(String(spec.type))) out.push(`${at}: unknown chart type ${String(spec.type)}`);
    const data = spec.data as Json | Json[] | undefined;
    const values = (Array.isArray(data) ? data.flatMap((d) => (d.values as Json[]) ?? []) : ((data?.values as Json[]) ?? [])) as Json[];
    if (!values.length) out.push(`${at}: no data`);
    for (const f of ['xField', 'yField', 'categoryField', 'valueField', 'seriesField'])
      for (const name of ([] as unknown[]).concat(spec[f] ?? []))
        if (values.some((v) => !(String(name) in v))) out.push(`${at}: ${f} ${String(name)} is not in every data value`);
    mobileProblems(spec, `${at}.chart_spec`, out);
  });
  return out;
}
