// The indicator table of the form, by the template's columns: the seed's
// 一级|分值|二级|分值|三级|分值|得分, or the national form's
// 一级|二级|三级|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施. Level names and
// weights are merged down their rows; a 一级 block is kept on one page.
import { AlignmentType } from 'docx';
import { formatScore } from '../domain/decimal';
import type { Assessment } from '../domain/evaluate';
import type { ScoredIndicator } from '../domain/scoring';
import type { FormBlock } from '../domain/template';
import { fonts, sizes } from './styles';
import { type CellTextStyle, type GridRow, textCell } from './table';

type IndicatorsBlock = Extract<FormBlock, { type: 'indicators' }>;
type Field = IndicatorsBlock['columns'][number]['field'];

const small: CellTextStyle = { size: sizes.xiaosi };
const bold: CellTextStyle = { ...small, font: fonts.heiti };
const note: CellTextStyle = { size: sizes.wu, align: AlignmentType.LEFT, line: 252 };
const rowHeight = 440;

const merges: Partial<Record<Field, 'level1' | 'level2'>> = { level1: 'level1', level1Weight: 'level1', level2: 'level2', level2Weight: 'level2' };

function indicatorText(field: Field, ind: ScoredIndicator | undefined): string {
  if (!ind) return '';
  switch (field) {
    case 'name':
      return ind.name;
    case 'target':
      return ind.targetText ?? (ind.target === undefined ? '' : `${ind.target}${ind.unit ?? ''}`);
    case 'actual':
      return ind.actualText ?? (ind.actual === undefined ? '' : `${ind.actual}${ind.unit ?? ''}`);
    case 'weight':
      return formatScore(ind.weight);
    case 'score':
      return ind.scored ? formatScore(ind.score) : '';
    case 'reason':
      return ind.reason ?? '';
    default:
      return '';
  }
}

export function indicatorRows(width: number, block: IndicatorsBlock, a: Assessment): GridRow[] {
  const cols = block.columns;
  const sum = cols.reduce((n, c) => n + c.width, 0);
  if (sum !== width) throw new Error(`indicator columns add up to ${sum} twips, the table is ${width}`);
  const rows: GridRow[] = [];
  // the heading rows go with the first block, never alone at a page foot
  if (block.title)
    rows.push({ cells: [textCell(width, block.title, { ...bold, align: AlignmentType.LEFT })], minHeight: rowHeight, keepNext: true });
  rows.push({ cells: cols.map((c) => textCell(c.width, c.label, bold)), minHeight: rowHeight, keepNext: true });
  const anyScored = a.scores.indicators.some((i) => i.scored);
  for (const level of a.scores.levels) {
    if (block.skipLevels.includes(level.id)) continue;
    let firstOfLevel = true;
    const start = rows.length;
    for (const l2 of a.scores.level2.filter((x) => x.level1Id === level.id)) {
      const list = l2.indicators.length ? l2.indicators : [undefined];
      list.forEach((ind, k) => {
        const restart = { level1: firstOfLevel, level2: k === 0 };
        rows.push({
          cells: cols.map((c) => {
            const m = merges[c.field];
            if (m) {
              const text = !restart[m]
                ? ''
                : c.field === 'level1'
                  ? level.name
                  : c.field === 'level1Weight'
                    ? formatScore(level.weight)
                    : c.field === 'level2'
                      ? l2.name
                      : formatScore(l2.weight);
              return textCell(c.width, text, small, restart[m] ? 'restart' : 'continue');
            }
            const style = c.field === 'reason' ? note : c.field === 'name' && !ind ? { ...small, align: AlignmentType.LEFT } : small;
            return textCell(c.width, indicatorText(c.field, ind), style);
          }),
          minHeight: rowHeight,
        });
        firstOfLevel = false;
      });
    }
    for (let r = start; r < rows.length - 1; r++) rows[r].keepNext = true;
  }
  // the 总分 row: the level weights' total, the sum of the rows' weights, the total score
  const level2Sum = a.scores.level2.reduce((s, l) => s + l.weight, 0);
  const itemsSum = a.scores.indicators.reduce((s, i) => s + i.weight, 0);
  const totalOf: Partial<Record<Field, string>> = {
    level1Weight: formatScore(a.scores.totalWeight),
    level2Weight: formatScore(level2Sum),
    weight: formatScore(itemsSum),
    score: anyScored ? formatScore(a.scores.total) : '',
  };
  const labelAt = cols.findIndex((c) => !['level1Weight', 'level2Weight', 'weight', 'score'].includes(c.field));
  rows.push({
    cells: cols.map((c, i) => textCell(c.width, i === labelAt ? block.totalLabel : (totalOf[c.field] ?? ''))),
    minHeight: rowHeight,
  });
  return rows;
}
