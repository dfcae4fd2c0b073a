// The bot's Chart as a Lark card JSON 2.0 `chart` element: a VChart chart_spec made of
// data and plain options only. Lark runs no JavaScript in a spec, allows about five
// charts per card, and its mobile client fails on a few VChart properties (textures,
// conical gradients, grid word clouds, repeated images, SVG backgrounds); none is used.
import type { Chart } from '../../conversation/types';

type Json = Record<string, unknown>;

/** Lark's advice: at most five charts in one card. */
export const MAX_CHARTS_PER_CARD = 5;

export function chartSpec(chart: Chart): Json {
  const title = { visible: true, text: chart.title };
  if (chart.kind === 'pie') {
    const values = chart.categories.map((c, i) => ({ category: c, value: chart.series[0]?.values[i] ?? 0 }));
    return {
      type: 'pie',
      title,
      data: { values },
      categoryField: 'category',
      valueField: 'value',
      outerRadius: 0.8,
      innerRadius: 0.45,
      label: { visible: true },
      legends: { visible: true, orient: 'bottom' },
    };
  }
  const multi = chart.series.length > 1;
  const values = chart.series.flatMap((s) => chart.categories.map((c, i) => ({ x: c, y: s.values[i] ?? 0, series: s.name })));
  const spec: Json = {
    type: chart.kind,
    title,
    data: { values },
    xField: multi && chart.kind === 'bar' ? ['x', 'series'] : 'x',
    yField: 'y',
    ...(multi ? { seriesField: 'series', legends: { visible: true, orient: 'bottom' } } : {}),
    label: { visible: true },
    axes: [
      { orient: 'left', title: { visible: !!chart.unit, text: chart.unit ?? '' } },
      { orient: 'bottom', label: { autoRotate: true } },
    ],
  };
  if (chart.threshold)
    spec.markLine = [
      {
        y: chart.threshold.value,
        label: { visible: true, text: chart.threshold.label, position: 'end' },
        line: { style: { stroke: '#F54A45', lineDash: [4, 4] } },
      },
    ];
  return spec;
}

export function chartElement(chart: Chart, index: number): Json {
  return { tag: 'chart', element_id: `chart_${index}`, aspect_ratio: '16:9', chart_spec: chartSpec(chart) };
}

/** The Chart back from a spec made by chartSpec (the playground draws cards from their Lark JSON). */
export function chartFromSpec(spec: Json): Chart {
  const title = String((spec.title as Json | undefined)?.text ?? '');
  const values = (((spec.data as Json | undefined)?.values as Json[] | undefined) ?? []).filter((v) => v && typeof v === 'object');
  if (spec.type === 'pie') return { kind: 'pie', title, categories: values.map((v) => String(v.category)), series: [{ name: '', values: values.map((v) => Number(v.value) || 0) }] };
  const categories = [...new Set(values.map((v) => String(v.x)))];
  const names = [...new Set(values.map((v) => String(v.series ?? '')))];
  const series = names.map((name) => ({ name, values: categories.map((c) => Number(values.find((v) => String(v.x) === c && String(v.series ?? '') === name)?.y) || 0) }));
  const mark = (spec.markLine as Json[] | undefined)?.[0];
  const unit = ((spec.axes as Json[] | undefined)?.[0]?.title as Json | undefined)?.text;
  return {
    kind: spec.type === 'line' ? 'line' : 'bar',
    title,
    categories,
    series,
    ...(typeof unit === 'string' && unit ? { unit } : {}),
    ...(mark && typeof mark.y === 'number' ? { threshold: { value: mark.y, label: String((mark.label as Json | undefined)?.text ?? '') } } : {}),
  };
}
