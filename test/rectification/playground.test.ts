// The playground draws a card's chart element as our own SVG: the spec Lark gets is
// read back into the same Chart, and the page's /api/chart.svg answers with the drawing.
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { chartFromSpec, chartSpec } from '../../src/channels/lark/chart';
import { startPlayground, type RunningPlayground } from '../../src/channels/playground/runtime';
import type { Chart } from '../../src/conversation/types';

const rates: Chart = { kind: 'bar', title: '预算执行率', categories: ['行政综合性经费', '社区<治理>经费'], series: [{ name: '预算执行率', values: [75.15, 96] }], unit: '%', threshold: { value: 90, label: '90%' } };
const units: Chart = { kind: 'bar', title: '各单位未完成的整改事项', categories: ['红云街道办事处'], series: [{ name: '未完成', values: [2] }, { name: '已逾期', values: [1] }], unit: '项' };
const grades: Chart = { kind: 'pie', title: '评价等次', categories: ['优', '良'], series: [{ name: '', values: [3, 1] }] };

describe('charts in the playground', () => {
  let pg: RunningPlayground | undefined;
  afterAll(async () => pg?.stop());

  it('reads a Lark chart spec back into the same chart', () => {
    for (const c of [rates, units, grades]) expect(chartFromSpec(chartSpec(c))).toEqual(c);
  });

  it('serves the SVG the page puts in place of the chart element', async () => {
    pg = await startPlayground({ dbPath: ':memory:', port: 0, createBot, logger: { info() {}, warn() {}, error() {} } });
    const res = await fetch(`${pg.url}/api/chart.svg`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chartSpec(rates)) });
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('社区&lt;治理&gt;');
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('>90%</text>');
  });
});
