// The engine's answers are shared read-only between messages: each change makes a new,
// frozen copy (withAnswers), and figures read from one copy carry over to the next when
// the change does not touch what they read.
import { describe, expect, it } from 'vitest';
import { copyAnswers, itemCount, withAnswers } from '../../src/domain/answers';
import { computeFunds } from '../../src/domain/funds';
import { seedAnswers, seedTemplate } from './fixtures';

describe('withAnswers', () => {
  it('makes a frozen copy with the changes, a null removing a path, and leaves the original as it was', () => {
    const before = Object.freeze({ a: 1, b: '乙', c: true });
    const after = withAnswers(before, [
      ['a', 2],
      ['c', null],
      ['d', '丁'],
    ]);
    expect(after).toEqual({ a: 2, b: '乙', d: '丁' });
    expect(Object.keys(after)).toEqual(['a', 'b', 'd']);
    expect(before).toEqual({ a: 1, b: '乙', c: true });
    expect(Object.isFrozen(after)).toBe(true);
    const copy = copyAnswers(after);
    copy.e = 5;
    expect(copy).toEqual({ a: 2, b: '乙', d: '丁', e: 5 });
    expect(after).not.toHaveProperty('e');
  });

  it('gives the copy it made again for the same changes (the engine and the store both ask), and a new one for others', () => {
    const base = Object.freeze({ a: 1, b: 2 });
    const one = withAnswers(base, [['a', 5]]);
    expect(withAnswers(base, [['a', 5]])).toBe(one);
    expect(withAnswers(base, [['a', 6]])).toEqual({ a: 6, b: 2 });
    expect(withAnswers(base, [['a', 5], ['b', null]])).toEqual({ a: 5 });
    expect(withAnswers(base, [['b', 5]])).toEqual({ a: 1, b: 5 });
    expect(one).toEqual({ a: 5, b: 2 });
  });
});

describe('figures carried from one copy to the next', () => {
  const template = seedTemplate();

  it('keeps the funds when the change is not a funds answer, and computes them again when it is', () => {
    const v0 = Object.freeze(seedAnswers());
    const f0 = computeFunds(template, v0);
    const v1 = withAnswers(v0, [['goals.achieved', '全部完成']]);
    expect(computeFunds(template, v1)).toBe(f0);

    const v2 = withAnswers(v1, [['lineItems[0].spent', 100]]);
    const f2 = computeFunds(template, v2);
    // the same as funds computed from scratch from a plain copy of those answers
    expect(f2).toEqual(computeFunds(template, { ...seedAnswers(), 'goals.achieved': '全部完成', 'lineItems[0].spent': 100 }));
    expect(f2.total.spent).not.toBe(f0.total.spent);
    expect(f2.total.spent).toBe(100_000_000n); // 100 万元 = 1,000,000 元, in 分

    // a removed source line is a funds change too
    const v3 = withAnswers(v2, [['sources[0].spent', null]]);
    expect(computeFunds(template, v3).sources.find((s) => s.present)?.blank).toContain('spent');
  });

  it('counts the items of a group once per copy, and each copy by its own answers', () => {
    const v0 = Object.freeze(seedAnswers());
    expect(itemCount(v0, 'breakdown')).toBe(13);
    const v1 = withAnswers(v0, [['breakdown[13].name', '新增'], ['breakdown[13].amount', 1]]);
    expect(itemCount(v1, 'breakdown')).toBe(14);
    expect(itemCount(v0, 'breakdown')).toBe(13);
    const v2 = withAnswers(v1, [['breakdown[13].name', null], ['breakdown[13].amount', null]]);
    expect(itemCount(v2, 'breakdown')).toBe(13);
    // answers being built (not frozen) are counted as they are at each call
    const building = copyAnswers(v2);
    expect(itemCount(building, 'lineItems')).toBe(1);
    building['lineItems[1].name'] = '二';
    expect(itemCount(building, 'lineItems')).toBe(2);
  });
});
