// The indicator table, row by row: the 二级指标 column says which second-level
// indicator the row is under (two may share a name, so they are taken in the
// template's order), the 三级指标 column names a fixed indicator or one the
// department set, and the 分值/得分 columns give its weight and self-score.
import type { Level2, Template } from '../domain/template';
import type { Block } from './blocks';
import type { Found } from './found';
import { norm } from './labels';

// The column headers of the national form's indicator table (财预〔2020〕10号 附件).
const HEAD = { level2: '二级指标', level3: '三级指标', weight: '分值', score: '得分' };
const END = /^(总分|合计)$/u;

/** Per second-level indicator id, the department's own indicators found: 行政综合运转… → ind.outputQuantity[0]. */
export type CustomNames = Map<string, Map<string, string>>;

export function readIndicatorTables(template: Template, blocks: Block[], found: Found): CustomNames {
  const level2s: Level2[] = template.indicators.flatMap((l1) => l1.children);
  const custom: CustomNames = new Map();
  for (const b of blocks) {
    if (b.type !== 'table') continue;
    const rows = b.rows;
    const h = rows.findIndex((r) => r.some((c) => norm(c) === HEAD.level3) && r.some((c) => norm(c) === HEAD.score));
    if (h < 0) continue;
    const head = rows[h].map(norm);
    const c2 = head.indexOf(HEAD.level2);
    const c3 = head.indexOf(HEAD.level3);
    const cs = head.indexOf(HEAD.score);
    const cw = head.slice(0, cs).lastIndexOf(HEAD.weight);
    let at = -1; // index in level2s of the current second-level indicator
    const counts = new Map<string, number>();
    for (const row of rows.slice(h + 1)) {
      if (END.test(norm(row.find((c) => c.trim()) ?? ''))) break;
      const name2 = c2 >= 0 ? norm(row[c2] ?? '') : '';
      if (name2) {
        const i = level2s.findIndex((l, k) => k > at && norm(l.name) === name2);
        at = i >= 0 ? i : level2s.findIndex((l) => norm(l.name) === name2);
      }
      const l2 = level2s[at];
      const name3 = norm(row[c3] ?? '');
      if (!l2 || !name3) continue;
      const score = cs >= 0 ? row[cs] ?? '' : '';
      const fixed = l2.children?.find((l3) => norm(l3.name) === name3);
      if (fixed) {
        found.add(`ind.${fixed.id}.score`, score);
        continue;
      }
      if (!l2.custom || name3 === norm(l2.custom.placeholder ?? '')) continue;
      const index = counts.get(l2.id) ?? 0;
      if (index >= l2.custom.max) continue;
      counts.set(l2.id, index + 1);
      const item = `ind.${l2.id}[${index}]`;
      if (!custom.has(l2.id)) custom.set(l2.id, new Map());
      custom.get(l2.id)!.set(name3, item);
      found.add(`${item}.name`, row[c3]);
      if (cw >= 0) found.add(`${item}.weight`, row[cw] ?? '');
      found.add(`${item}.score`, score);
    }
  }
  return custom;
}
