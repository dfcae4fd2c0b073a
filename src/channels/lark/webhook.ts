// Checking and answering one webhook request, whatever carries it: the Hono app (app.ts;
// Workers, tests) and the Node receiver thread's plain HTTP server both call this. Everything
// that proves a request came from Lark happens before the body is trusted or the core sees
// it: signature over the raw bytes, timestamp window, decryption, token.
import type { LarkCore, Logger } from './core';
import { decrypt, DecryptError } from './decrypt';
import type { Envelope } from './events';
import { verifySignature, verifyToken } from './verify';

/**
 * Largest request body accepted, counted while it streams in (413 past it, before anything
 * is parsed). Lark's events are small: the largest is a text message of at most 150 KB,
 * which JSON-escaped inside the event and then encrypted (base64, ×4/3) stays under
 * about 500 KB. 1 MiB leaves room and bounds what one request can cost.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** An unsigned request is only ever the URL-verification challenge (about 200 bytes). */
export const MAX_UNSIGNED_BYTES = 4096;

export interface WebhookRequest {
  raw: string;
  timestamp?: string;
  nonce?: string;
  signature?: string;
}

export interface WebhookCheck {
  core: Pick<LarkCore, 'handleEvent'>;
  /** Without it, requests cannot be signature-checked: only allowed for local experiments. */
  encryptKey?: string;
  verificationToken?: string;
  now: number;
  log: Logger;
}

/** The status and JSON body to answer with. */
export type WebhookAnswer = { status: 200 | 400 | 401 | 500; body: unknown };

export async function answerWebhook(req: WebhookRequest, o: WebhookCheck): Promise<WebhookAnswer> {
  const { raw } = req;
  const { encryptKey, verificationToken } = o;
  const refuse = (status: 400 | 401, why: string): WebhookAnswer => {
    o.log.warn(`[lark] refused request (${status}): ${why}`);
    return { status, body: { error: status === 401 ? 'unauthorized' : 'bad request' } };
  };
  const signed = Boolean(req.timestamp || req.nonce || req.signature);

  // 1. A signature, when present, is checked before anything else is read.
  if (signed) {
    if (!encryptKey) return refuse(401, 'signed request but no Encrypt Key configured');
    const result = verifySignature({ timestamp: req.timestamp, nonce: req.nonce, signature: req.signature }, raw, encryptKey, o.now);
    if (!result.ok) return refuse(401, `signature ${result.reason}`);
  }

  // With an Encrypt Key, the only unsigned request Lark sends is the tiny URL-verification
  // challenge: anything bigger is refused before it is parsed or decrypted.
  if (!signed && encryptKey && raw.length > MAX_UNSIGNED_BYTES) return refuse(401, 'unsigned request');

  // 2. Parse, and decrypt if encrypted.
  let body: Envelope & { encrypt?: unknown };
  try {
    body = JSON.parse(raw);
  } catch {
    return refuse(signed ? 400 : 401, 'malformed JSON');
  }
  if (!body || typeof body !== 'object') return refuse(400, 'body is not an object');
  const wasEncrypted = typeof body.encrypt === 'string';
  if (typeof body.encrypt === 'string') {
    if (!encryptKey) return refuse(400, 'encrypted body but no Encrypt Key configured');
    try {
      body = JSON.parse(decrypt(body.encrypt, encryptKey));
    } catch (error) {
      // Unsigned garbage is an unauthenticated request; signed garbage is a bad one.
      return refuse(signed ? 400 : 401, error instanceof DecryptError ? error.message : 'decrypted text is not JSON');
    }
    if (!body || typeof body !== 'object') return refuse(400, 'decrypted body is not an object');
  }

  // 3. The URL-verification challenge is never signed: the token is its only proof.
  const isChallenge = body.type === 'url_verification';
  if (!signed && !isChallenge && encryptKey) return refuse(401, 'unsigned event');
  if (!verifyToken(body, verificationToken)) return refuse(401, 'wrong verification token');
  if (isChallenge) {
    // Without a token configured, only an encrypted challenge proves it knows our key.
    if (!verificationToken && !wasEncrypted) return refuse(401, 'challenge cannot be checked');
    return { status: 200, body: { challenge: body.challenge } };
  }

  // 4. Into the shared core: dedupe, record, answer.
  try {
    return { status: 200, body: await o.core.handleEvent(body) };
  } catch (error) {
    o.log.error('[lark] event handling failed', error);
    // 500 makes Lark redeliver; the dedupe keys were only written if we got that far.
    return { status: 500, body: { error: 'internal error' } };
  }
}
