import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAnswer, parseAnswer, toHalfWidth } from '../../src/domain/parse';
import type { QuestionKind } from '../../src/domain/template';

/** The full-width spelling of an ASCII string (what a Chinese IME in full-width mode types). */
function toFullWidth(s: string): string {
  return Array.from(s, (ch) => {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0x20) return '\u3000';
    return c >= 0x21 && c <= 0x7e ? String.fromCodePoint(c + 0xfee0) : ch;
  }).join('');
}

const kinds: QuestionKind[] = ['text', 'longText', 'money', 'percent', 'date', 'choice', 'count', 'number', 'score', 'phone', 'year'];
const ctx = { year: 2025, weight: 10, options: ['达成', '部分达成', '未达成'] };

const dateArb = fc
  .record({ y: fc.integer({ min: 1900, max: 2100 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => ({ y, m, d: Math.min(d, new Date(Date.UTC(y, m, 0)).getUTCDate()) }));
const leapDayArb = fc
  .integer({ min: 475, max: 525 })
  .map((q) => q * 4)
  .filter((y) => y % 100 !== 0 || y % 400 === 0)
  .map((y) => ({ y, m: 2, d: 29 }));
const pad = (n: number) => String(n).padStart(2, '0');

const decimalText = (maxInt: number, maxFrac: number) =>
  fc
    .record({ int: fc.integer({ min: 0, max: maxInt }), frac: fc.integer({ min: 0, max: 10 ** maxFrac - 1 }), places: fc.integer({ min: 0, max: maxFrac }) })
    .map(({ int, frac, places }) => (places === 0 ? String(int) : `${int}.${String(frac % 10 ** places).padStart(places, '0')}`));

describe('full-width and half-width input give the same value', () => {
  const inputs: Record<string, fc.Arbitrary<string>> = {
    // a bare figure of 10,000 万元 or more is asked back (looks like 元), so those carry their unit
    money: fc
      .tuple(decimalText(9_999_999, 6), fc.constantFrom('', '万', '万元', ' 万元'))
      .map(([n, u]) => (u === '' && Number(n) >= 10_000 ? `${n}万元` : n + u)),
    percent: fc.tuple(decimalText(999, 2), fc.constantFrom('%', ' %')).map(([n, u]) => n + u),
    count: fc.tuple(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom('', '个', '项')).map(([n, u]) => `${n}${u}`),
    number: fc.tuple(fc.boolean(), decimalText(1e9, 4)).map(([neg, n]) => (neg ? `-${n}` : n)),
    score: decimalText(10, 2).filter((s) => Number(s) <= 10),
    date: fc
      .tuple(dateArb, fc.constantFrom('-', '/', '.'))
      .map(([{ y, m, d }, sep]) => `${y}${sep}${m}${sep}${d}`),
  };
  for (const [kind, arb] of Object.entries(inputs)) {
    it(kind, () => {
      fc.assert(
        fc.property(arb, (half) => {
          const full = toFullWidth(half);
          expect(toHalfWidth(full)).toBe(half);
          const a = parseAnswer(kind as QuestionKind, half, ctx);
          expect(a.ok).toBe(true);
          expect(parseAnswer(kind as QuestionKind, full, ctx)).toEqual(a);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('formatting and re-parsing a valid value gives it back', () => {
  const roundTrip = (kind: QuestionKind, arb: fc.Arbitrary<string | number>) =>
    fc.assert(
      fc.property(arb, (v) => {
        expect(parseAnswer(kind, formatAnswer(kind, v), ctx)).toEqual({ ok: true, value: v });
      }),
      { numRuns: 500 },
    );

  it('money: multiples of 0.000001 万元 up to 1e7', () => {
    roundTrip('money', fc.integer({ min: 0, max: 1e13 }).map((micro) => micro / 1e6));
  });
  it('money: exact from yuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (fen) => {
        const yuan = `${Math.floor(fen / 100)}.${pad(fen % 100)}元`;
        expect(parseAnswer('money', yuan)).toEqual({ ok: true, value: fen / 1e6 });
      }),
      { numRuns: 500 },
    );
  });
  it('percent: two decimals', () => {
    roundTrip('percent', fc.integer({ min: 0, max: 100_000 }).map((h) => h / 100));
  });
  it('date: across years, leap days included', () => {
    roundTrip('date', fc.oneof(dateArb, leapDayArb).map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`));
    roundTrip('date', dateArb.map(({ y, m }) => `${y}-${pad(m)}`));
  });
  it('count', () => {
    roundTrip('count', fc.nat({ max: Number.MAX_SAFE_INTEGER }));
  });
  it('score: two decimals within the weight', () => {
    roundTrip('score', fc.integer({ min: 0, max: 1000 }).map((h) => h / 100));
  });
  it('number: any finite double', () => {
    roundTrip('number', fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)));
  });
  it('year', () => {
    roundTrip('year', fc.integer({ min: 2000, max: 2100 }));
  });
  it('choice', () => {
    roundTrip('choice', fc.constantFrom(...ctx.options));
  });
});

describe('parseAnswer never throws', () => {
  const check = (arb: fc.Arbitrary<string>) =>
    fc.assert(
      fc.property(fc.constantFrom(...kinds), arb, (kind, s) => {
        const r = parseAnswer(kind, s, ctx);
        expect(typeof r.ok).toBe('boolean');
        // The safety net in parseAnswer must not be what answered: parsers themselves do not throw.
        if (!r.ok) expect(r.message).not.toMatch(/^没看懂这个回答，请换个写法/);
        if (!r.ok) expect(r.message).toMatch(/例如：|是指/);
      }),
      { numRuns: 1000 },
    );
  it('the unit guard asks back with an example (found by this property: 700百, 10千)', () => {
    for (const s of ['700百', '10千', '2734500']) {
      const r = parseAnswer('money', s, ctx);
      expect(!r.ok && r.message).toMatch(/例如：/);
    }
  });
  it('on arbitrary strings', () => check(fc.string()));
  it('on arbitrary unicode', () => check(fc.string({ unit: 'grapheme' })));
  it('on arbitrary code points', () => check(fc.string({ unit: 'binary' })));
  it('on strings made of numeral-ish characters', () =>
    check(fc.string({ unit: fc.constantFrom(...'0123456789.,%-+万元亿十百千零一二两点年月日/个分转()（）０１．', '百分之'), maxLength: 30 })));
  it('without a context', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.string(), (kind, s) => {
        expect(typeof parseAnswer(kind, s).ok).toBe('boolean');
      }),
    );
  });
});
