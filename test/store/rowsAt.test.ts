// Answer rows by version: each made from the one before and a message's changes, read as one map.
import { describe, expect, it } from 'vitest';
import { RowsAt } from '../../src/store/rowsAt';
import type { AnswerRow } from '../../src/store/types';

const row = (path: string, value: string | number, by = 'ou_a'): AnswerRow => ({ path, value, updatedBy: by, updatedByName: by, updatedAt: 1, messageId: null });
const plain = (rows: ReadonlyMap<string, AnswerRow>) => Object.fromEntries([...rows].map(([p, r]) => [p, r.value]));

describe('RowsAt', () => {
  it('reads changes over the version they were made from, which stays as it was', () => {
    const v0 = RowsAt.of([row('a', 1), row('b', 2)]);
    const v1 = v0.with(new Map([['a', row('a', 10, 'ou_b')], ['c', row('c', 3)], ['b', null]]));
    expect(plain(v1)).toEqual({ a: 10, c: 3 });
    expect(v1.size).toBe(2);
    expect(v1.get('a')?.updatedBy).toBe('ou_b');
    expect(v1.get('b')).toBeUndefined();
    expect(v1.has('b')).toBe(false);
    expect([...v1.keys()].sort()).toEqual(['a', 'c']);
    expect(plain(v0)).toEqual({ a: 1, b: 2 });
    expect(v0.size).toBe(2);
    // removed, then given again
    const v2 = v1.with(new Map([['b', row('b', 20)], ['zz', null]]));
    expect(plain(v2)).toEqual({ a: 10, b: 20, c: 3 });
    expect(v2.size).toBe(3);
  });

  it('stays right through many versions, across the fold into a new base', () => {
    let rows = RowsAt.of(Array.from({ length: 150 }, (_, i) => row(`p${i}`, i)));
    const expected = new Map(Array.from({ length: 150 }, (_, i) => [`p${i}`, i as string | number]));
    for (let n = 0; n < 200; n++) {
      const path = `p${(n * 7) % 170}`;
      if (n % 5 === 4) {
        rows = rows.with(new Map([[path, null]]));
        expected.delete(path);
      } else {
        rows = rows.with(new Map([[path, row(path, `v${n}`)]]));
        expected.set(path, `v${n}`);
      }
      expect(rows.size).toBe(expected.size);
    }
    expect(plain(rows)).toEqual(Object.fromEntries(expected));
    let seen = 0;
    rows.forEach((r, p) => {
      expect(r.value).toBe(expected.get(p));
      seen++;
    });
    expect(seen).toBe(expected.size);
  });
});
