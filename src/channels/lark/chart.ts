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
