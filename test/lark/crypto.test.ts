import { describe, expect, it } from 'vitest';
import { decrypt, DecryptError, encrypt } from '../../src/channels/lark/decrypt';
import { computeSignature, safeEqual, verifySignature, verifyToken } from '../../src/channels/lark/verify';

describe('decrypt', () => {
  it('decrypts the published test vector', () => {
    expect(decrypt('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
  });

  it('round-trips with encrypt, Chinese included', () => {
    const text = JSON.stringify({ text: '项目支出绩效自评 ✅' });
    expect(decrypt(encrypt(text, 'k'), 'k')).toBe(text);
  });

  it('refuses garbage and a wrong key', () => {
    expect(() => decrypt('bm90IGVub3VnaA==', 'k')).toThrow(DecryptError);
    expect(() => decrypt(Buffer.alloc(48, 7).toString('base64'), 'k')).toThrow(DecryptError);
    const enc = encrypt('hello world, long enough to span blocks', 'right', Buffer.alloc(16, 1)); // fixed IV: deterministic
    expect(() => decrypt(enc, 'wrong')).toThrow(DecryptError);
  });
});

describe('verifySignature', () => {
  const key = 'enc-key';
  const body = '{"encrypt":"abc"}';
  const now = 1_700_000_000_000;
  const ts = String(now / 1000);

  it('accepts the signature Lark computes over the raw body', () => {
    const signature = computeSignature(ts, 'n1', key, body);
    expect(verifySignature({ timestamp: ts, nonce: 'n1', signature }, body, key, now)).toEqual({ ok: true });
    // hex case does not matter
    expect(verifySignature({ timestamp: ts, nonce: 'n1', signature: signature.toUpperCase() }, body, key, now)).toEqual({ ok: true });
  });

  it('refuses a changed body, key or nonce', () => {
    const signature = computeSignature(ts, 'n1', key, body);
    expect(verifySignature({ timestamp: ts, nonce: 'n1', signature }, body + ' ', key, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ timestamp: ts, nonce: 'n2', signature }, body, key, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ timestamp: ts, nonce: 'n1', signature }, body, 'other', now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ timestamp: ts, nonce: 'n1', signature: 'short' }, body, key, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses missing headers, timestamps older than the redelivery schedule (8 h) and more than 5 minutes ahead', () => {
    expect(verifySignature({ timestamp: ts, nonce: 'n' }, body, key, now)).toEqual({ ok: false, reason: 'missing' });
    for (const skew of [-8 * 3600 - 1, 301]) {
      const t = String(now / 1000 + skew);
      expect(verifySignature({ timestamp: t, nonce: 'n', signature: computeSignature(t, 'n', key, body) }, body, key, now)).toEqual({ ok: false, reason: 'stale' });
    }
    for (const skew of [-299, -7 * 3600, 299]) {
      const t = String(now / 1000 + skew);
      expect(verifySignature({ timestamp: t, nonce: 'n', signature: computeSignature(t, 'n', key, body) }, body, key, now).ok).toBe(true);
    }
    expect(verifySignature({ timestamp: 'soon', nonce: 'n', signature: 'x' }, body, key, now)).toEqual({ ok: false, reason: 'stale' });
  });

  it('compares safely', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('verifyToken', () => {
  it('reads header.token for 2.0 events and token for challenges', () => {
    expect(verifyToken({ header: { token: 't' } }, 't')).toBe(true);
    expect(verifyToken({ token: 't', type: 'url_verification' }, 't')).toBe(true);
    expect(verifyToken({ header: { token: 'x' } }, 't')).toBe(false);
    expect(verifyToken({}, 't')).toBe(false);
    expect(verifyToken({}, undefined)).toBe(true);
  });
});
