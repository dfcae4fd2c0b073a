// The webhook: Lark POSTs events and card callbacks here. Everything that proves
// a request came from Lark happens before the body is trusted or the database is
// touched: signature over the raw bytes, timestamp window, decryption, token.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { LarkCore, Logger } from './core';
import { decrypt, DecryptError } from './decrypt';
import type { Envelope } from './events';
import { verifySignature, verifyToken } from './verify';

export interface WebhookOptions {
  /** What takes the checked events: the core itself, or (Node) the receiver thread's hand-over to it. */
  core: Pick<LarkCore, 'handleEvent' | 'idle'>;
  /** Without it, requests cannot be signature-checked: only allowed for local experiments. */
  encryptKey?: string;
  verificationToken?: string;
  /** True once the database is open and migrated. */
  ready?: () => boolean;
  now?: () => number;
  logger?: Logger;
  path?: string;
}

export type LarkApp = Hono & { idle(): Promise<void> };

/**
 * Largest request body accepted, counted while it streams in (413 past it, before anything
 * is parsed). Lark's events are small: the largest is a text message of at most 150 KB,
 * which JSON-escaped inside the event and then encrypted (base64, ×4/3) stays under
 * about 500 KB. 1 MiB leaves room and bounds what one request can cost.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** An unsigned request is only ever the URL-verification challenge (about 200 bytes). */
export const MAX_UNSIGNED_BYTES = 4096;

export function createLarkApp(options: WebhookOptions): LarkApp {
  const { core, encryptKey, verificationToken } = options;
  const now = options.now ?? Date.now;
  const log = options.logger ?? console;
  const app = new Hono() as LarkApp;

  app.get('/healthz', (c) => {
    const ok = options.ready ? options.ready() : true;
    return c.json({ ok }, ok ? 200 : 503);
  });

  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      log.warn(`[lark] refused request (413): body over ${MAX_BODY_BYTES} bytes`);
      return c.json({ error: 'payload too large' }, 413);
    },
  });

  app.post(options.path ?? '/lark/events', limit, async (c) => {
    const raw = await c.req.text();
    const headers = {
      timestamp: c.req.header('x-lark-request-timestamp'),
      nonce: c.req.header('x-lark-request-nonce'),
      signature: c.req.header('x-lark-signature'),
    };
    const signed = Boolean(headers.timestamp || headers.nonce || headers.signature);

    // 1. A signature, when present, is checked before anything else is read.
    if (signed) {
      if (!encryptKey) return refuse(401, 'signed request but no Encrypt Key configured');
      const result = verifySignature(headers, raw, encryptKey, now());
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
      return c.json({ challenge: body.challenge });
    }

    // 4. Into the shared core: dedupe, record, answer.
    try {
      return c.json(await options.core.handleEvent(body));
    } catch (error) {
      log.error('[lark] event handling failed', error);
      // 500 makes Lark redeliver; the dedupe keys were only written if we got that far.
      return c.json({ error: 'internal error' }, 500);
    }

    function refuse(status: 400 | 401, why: string) {
      log.warn(`[lark] refused request (${status}): ${why}`);
      return c.json({ error: status === 401 ? 'unauthorized' : 'bad request' }, status);
    }
  });

  app.idle = () => core.idle();
  return app;
}
