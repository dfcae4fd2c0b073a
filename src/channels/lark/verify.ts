// Is this request really from Lark? Checks run over the raw body bytes as they
// arrived (the SDK re-serialises the parsed JSON, which need not match byte for byte).
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * How old a signed request may be. Lark redelivers an unanswered event after about 15 s,
 * 5 min, 1 h and 6 h; neither the SDK (it checks no timestamp at all) nor the documentation
 * says that a redelivery is signed with a fresh timestamp, so a redelivery may carry its
 * first one, up to about 7 h 5 min old. The window covers that schedule; a replayed request
 * inside it is stopped by the dedupe keys, which are kept 7 days (store/prune.ts).
 */
export const MAX_AGE_MS = 8 * 3600_000;
/** A timestamp from the future only comes from clock drift, which is small. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

export interface SignatureHeaders {
  timestamp?: string | null;
  nonce?: string | null;
  signature?: string | null;
}

export type SignatureResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** hex(sha256(timestamp + nonce + encryptKey + rawBody)): what Lark sends in X-Lark-Signature. */
export function computeSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey)
    .update(rawBody)
    .digest('hex');
}

export function verifySignature(headers: SignatureHeaders, rawBody: string, encryptKey: string, now: number): SignatureResult {
  const { timestamp, nonce, signature } = headers;
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing' };
  // The timestamp is in seconds. A stale one means a captured request being replayed.
  const seconds = Number(timestamp);
  const age = now - seconds * 1000;
  if (!Number.isFinite(seconds) || age > MAX_AGE_MS || -age > MAX_SKEW_MS) return { ok: false, reason: 'stale' };
  const expected = computeSignature(timestamp, nonce, encryptKey, rawBody);
  return safeEqual(expected, signature.toLowerCase()) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/**
 * Constant-time string comparison. timingSafeEqual needs equal lengths, so both
 * sides are hashed first: the length of a secret leaks nothing then either.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/**
 * The Verification Token: in header.token for schema 2.0 events (and card.action.trigger),
 * at the top level for url_verification challenges and old-style card callbacks.
 */
export function tokenOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { header?: { token?: unknown }; token?: unknown };
  const token = b.header?.token ?? b.token;
  return typeof token === 'string' ? token : undefined;
}

export function verifyToken(body: unknown, expected: string | undefined): boolean {
  // No token configured (long-connection mode without one): nothing to compare against.
  if (!expected) return true;
  const token = tokenOf(body);
  return token !== undefined && safeEqual(token, expected);
}
