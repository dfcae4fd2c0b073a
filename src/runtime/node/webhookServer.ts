// The webhook over plain node:http, for the receiver thread (./receiverThread.ts): two routes,
// the body limit while a body streams in, and the checks of channels/lark/webhook.ts. Not Hono
// and its Node adapter: for two routes they cost the thread about 6 MB of memory.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { LarkCore, Logger } from '../../channels/lark/core';
import { answerWebhook, MAX_BODY_BYTES } from '../../channels/lark/webhook';

/**
 * How long the rest of a refused body is read and dropped before the connection is cut. Cut at
 * once, the client would often lose the 413 too (a reset discards what it has not read yet).
 */
const LINGER_MS = 2000;

export interface WebhookServerOptions {
  core: Pick<LarkCore, 'handleEvent'>;
  encryptKey?: string;
  verificationToken?: string;
  ready: () => boolean;
  log: Logger;
}

export function createWebhookServer(o: WebhookServerOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return reply(res, o.ready() ? 200 : 503, { ok: o.ready() });
    if (req.method !== 'POST' || path !== '/lark/events') return reply(res, 404, { error: 'not found' });
    // Past the limit, refused while it streams in (or before, by its declared length), never kept.
    // The rest is read and dropped for a while, so the client gets to read the 413; a sender that
    // keeps going longer is cut off.
    let size = 0;
    let refused = false;
    const chunks: Buffer[] = [];
    const refuse = () => {
      refused = true;
      chunks.length = 0;
      o.log.warn(`[lark] refused request (413): body over ${MAX_BODY_BYTES} bytes`);
      reply(res, 413, { error: 'payload too large' });
      const cut = setTimeout(() => req.destroy(), LINGER_MS);
      req.once('close', () => clearTimeout(cut));
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) refuse();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) return;
      if (size > MAX_BODY_BYTES) refuse();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
      const request = { raw: Buffer.concat(chunks).toString('utf8'), timestamp: header('x-lark-request-timestamp'), nonce: header('x-lark-request-nonce'), signature: header('x-lark-signature') };
      answerWebhook(request, { core: o.core, encryptKey: o.encryptKey, verificationToken: o.verificationToken, now: Date.now(), log: o.log }).then(
        (answer) => reply(res, answer.status, answer.body),
        () => reply(res, 500, { error: 'internal error' }),
      );
    });
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

