// The webhook as a Hono app: Lark POSTs events and card callbacks here (Workers; the tests).
// On Node the receiver thread serves the same checks over plain HTTP (runtime/node/receiverThread.ts).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { LarkCore, Logger } from './core';
import { answerWebhook, MAX_BODY_BYTES } from './webhook';

export interface WebhookOptions {
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
    const request = { raw: await c.req.text(), timestamp: c.req.header('x-lark-request-timestamp'), nonce: c.req.header('x-lark-request-nonce'), signature: c.req.header('x-lark-signature') };
    const answer = await answerWebhook(request, { core, encryptKey, verificationToken, now: now(), log });
    return c.json(answer.body, answer.status);
  });

  app.idle = () => core.idle();
  return app;
}
