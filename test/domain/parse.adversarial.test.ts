// Every parser gets 100 KB of hostile input and must answer promptly: a quadratic
// regex here held every chat's acknowledgement for seconds (Lark allows 3).
// The bound is generous (a slow CI machine); `npm run bench` reports the real figures.
import { describe, expect, it } from 'vitest';
import { parseAnswer, parseChoice, parsePhone } from '../../src/domain/parse';
import { ADVERSARIAL, ADVERSARIAL_CONTEXT as ctx, KINDS, N } from './adversarial';

describe('parsers on 100 KB of adversarial input', () => {
  for (const kind of KINDS) {
    it(`${kind} answers promptly`, () => {
      for (const [name, text] of Object.entries(ADVERSARIAL)) {
        const started = performance.now();
        const r = parseAnswer(kind, text, ctx);
        const ms = performance.now() - started;
        expect(ms, `${kind} on ${name}`).toBeLessThan(250);
        expect(typeof r.ok).toBe('boolean');
      }
    });
  }

  it('a 100 KB reply of dots to a choice question is refused, not matched', () => {
    const r = parseChoice('.'.repeat(N) + 'x', ctx);
    expect(r.ok).toBe(false);
  });
});

describe('the phone round trip', () => {
  it('refuses a doubled international prefix instead of storing what it would refuse next time', () => {
    expect(parsePhone('00860086-75142769').ok).toBe(false);
    expect(parsePhone('0086-75142769').ok).toBe(false);
  });

  it('every accepted number parses back to itself', () => {
    for (const typed of ['00860086-75142769', '+86 871 63123456', '0086-13812345678', '008687163123456', '0871-63123456转12', '+8613812345678', '86-13812345678', '010 12345678']) {
      const first = parsePhone(typed);
      if (first.ok) expect(parsePhone(first.value), typed).toEqual(first);
    }
    expect(parsePhone('+86 871 63123456')).toEqual({ ok: true, value: '0871-63123456' });
  });
});
