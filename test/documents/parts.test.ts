// The small pure pieces: text helpers, the grid builder's checks, seats and rows.
import { describe, expect, it } from 'vitest';
import { Paragraph } from 'docx';
import { categoryRows } from '../../src/documents/problemList';
import { evaluatorSeats } from '../../src/documents/report';
import { seedCover } from '../../src/domain/outline';
import { gridOf, gridTable } from '../../src/documents/table';
import { chineseDate, chineseNumber, clean, paragraphsOf, projectStem, safeFileStem, wanText } from '../../src/documents/text';
import type { Problem } from '../../src/domain/problems';

describe('text helpers', () => {
  it('formats dates, numbers and amounts as the documents print them', () => {
    expect(chineseDate('2025-05')).toBe('2025年5月');
    expect(chineseDate('2025-05-09')).toBe('2025年5月9日');
    expect(chineseDate('2025年5月')).toBe('2025年5月');
    expect(chineseDate(undefined)).toBe('');
    expect([1, 4, 8, 10, 12, 20, 21].map(chineseNumber)).toEqual(['一', '四', '八', '十', '十二', '二十', '二十一']);
    expect(wanText(65_000_000n)).toBe('65'); // 分 → 万元
    expect(wanText(26_950_000n)).toBe('26.95');
    expect(wanText(1_500_000n)).toBe('1.5');
    expect(wanText(0n)).toBe('0');
    expect(projectStem('行政综合性项目')).toBe('行政综合性');
    expect(projectStem('行政综合性经费')).toBe('行政综合性经费');
  });

  it('splits answers into paragraphs and cleans what XML cannot hold', () => {
    expect(paragraphsOf('一\r\n\n  二  \r三\u2028四')).toEqual(['一', '二', '三', '四']);
    expect(paragraphsOf(undefined)).toEqual([]);
    expect(clean('a\u0007b\tc\ud83d')).toBe('ab c');
    expect(clean('😀')).toBe('😀');
    expect(safeFileStem(' 项目/名称:2024 ')).toBe('项目名称2024');
  });
});

describe('gridTable', () => {
  const p = () => [new Paragraph({})];
  it('takes the union of the cell edges as the grid', () => {
    const { edges, columnWidths } = gridOf(
      [{ cells: [{ width: 100, paragraphs: p() }, { width: 200, paragraphs: p() }] }, { cells: [{ width: 250, paragraphs: p() }, { width: 50, paragraphs: p() }] }],
      300,
    );
    expect(edges).toEqual([0, 100, 250, 300]);
    expect(columnWidths).toEqual([100, 150, 50]);
  });

  it('refuses rows of the wrong width and merges that do not line up', () => {
    expect(() => gridTable([{ cells: [{ width: 100, paragraphs: p() }] }], { width: 200 })).toThrow(/add up to 100/);
    expect(() =>
      gridTable(
        [
          { cells: [{ width: 100, paragraphs: p(), merge: 'restart' }, { width: 100, paragraphs: p() }] },
          { cells: [{ width: 150, paragraphs: p(), merge: 'continue' }, { width: 50, paragraphs: p() }] },
        ],
        { width: 200 },
      ),
    ).toThrow(/no merged cell above/);
  });
});

describe('evaluatorSeats', () => {
  const person = (name: string, role: string) => ({ name, role, title: '', unit: '' });
  const team = seedCover.team!;
  it('fills the seed\'s 组长, 副组长 ×2, 成员 ×2 by role, and adds rows for more', () => {
    const seats = evaluatorSeats([person('甲', '成员'), person('乙', '组长'), person('丙', '成员'), person('丁', '成员'), person('戊', '副组长')], team);
    expect(seats.map((s) => `${s.role}:${s.person?.name ?? ''}`)).toEqual(['组长:乙', '副组长:戊', '副组长:', '成员:甲', '成员:丙', '成员:丁']);
    expect(evaluatorSeats([], team).map((s) => s.role)).toEqual(['组长', '副组长', '副组长', '成员', '成员']);
  });
  it('takes the seats from the template: another district\'s roles and how many of each', () => {
    const other = { ...team, seats: ['组长', '组员', '组员', '组员'] };
    const seats = evaluatorSeats([person('甲', '组员'), person('乙', ''), person('丙', '组长'), person('丁', '组员'), person('戊', '组员')], other);
    // one without a role takes the last kind of seat
    expect(seats.map((s) => `${s.role}:${s.person?.name ?? ''}`)).toEqual(['组长:丙', '组员:甲', '组员:乙', '组员:丁', '组员:戊']);
  });
});

describe('categoryRows', () => {
  const problem = (description: string): Problem => ({ category: 'funds', categoryLabel: '', unit: '单位', description, source: 'manual' });
  it('numbers the problems, pads to 1, 2 and ends with .....', () => {
    expect(categoryRows([])).toEqual([['1', '', ''], ['2', '', ''], ['.....', '', '']]);
    expect(categoryRows([problem('甲')])).toEqual([['1', '单位', '甲'], ['2', '', ''], ['.....', '', '']]);
    expect(categoryRows([problem('甲'), problem('乙'), problem('丙')]).map((r) => r[0])).toEqual(['1', '2', '3', '.....']);
  });
});
