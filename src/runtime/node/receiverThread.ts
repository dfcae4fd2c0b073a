// The webhook's own thread (Node). It does what an acknowledgement needs and nothing else:
// the HTTP server, signature, decryption and token (channels/lark/webhook.ts), and a message
// event kept in the receipts file (./receipts.ts) before the 200. The bot (engine, database,
// sender) runs on the main thread, so its work never delays Lark's answer. Card callbacks,
// answered inline, are handed to the main thread and wait for its answer.
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerWebhook, MAX_BODY_BYTES } from '../../channels/lark/webhook';
import type { CallbackAnswer } from '../../channels/lark/core';
import type { Envelope } from '../../channels/lark/events';
import { openReceipts } from './receipts';
import type { FromReceiver, ReceiverOptions, ToReceiver } from './receiver';

const options = workerData as ReceiverOptions;
const port = parentPort!;
const post = (m: FromReceiver) => port.postMessage(m);
const log = {
  info: (...a: unknown[]) => post({ t: 'log', level: 'info', text: format(...a) }),
  warn: (...a: unknown[]) => post({ t: 'log', level: 'warn', text: format(...a) }),
  error: (...a: unknown[]) => post({ t: 'log', level: 'error', text: format(...a) }),
};

const receipts = openReceipts(options.receiptsPath);
const calls = new Map<number, { resolve(a: CallbackAnswer): void; reject(e: Error): void }>();
const writes = new Set<Promise<unknown>>();
let nextCall = 0;
let stopping = false;
let closed = false;

function track(write: Promise<unknown>): void {
  const p = write.catch((e) => log.error('[receiver] receipts write failed', e)).finally(() => writes.delete(p));
  writes.add(p);
}

const core = {
  async handleEvent(envelope: Envelope): Promise<CallbackAnswer> {
    if (envelope.header?.event_type === 'im.message.receive_v1') {
      // durable before Lark is answered; the bot dedupes, so a redelivery kept twice is harmless
      const id = await receipts.keep(JSON.stringify(envelope), Date.now());
      post({ t: 'event', id, envelope });
      return {};
    }
    const n = nextCall++;
    return new Promise<CallbackAnswer>((resolve, reject) => {
      calls.set(n, { resolve, reject });
      post({ t: 'call', n, envelope });
    });
  },
  idle: async () => {
    while (writes.size) await Promise.all([...writes]);
  },
};

/** Bytes of a refused body read and dropped before the connection is cut. */
const DROP_AT_MOST = 8 * MAX_BODY_BYTES;

/** Plain node:http, not Hono and its Node adapter: those cost this thread about 15 MB of memory for two routes. */
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return reply(res, stopping ? 503 : 200, { ok: !stopping });
  if (req.method !== 'POST' || path !== '/lark/events') return reply(res, 404, { error: 'not found' });
  // Past the limit, refused while it streams in (or before, by its declared length), never kept.
  // The rest is read and dropped for a while, so the client gets to read the 413; a sender that
  // keeps going is cut off.
  let size = 0;
  let refused = false;
  const chunks: Buffer[] = [];
  const refuse = () => {
    refused = true;
    chunks.length = 0;
    log.warn(`[lark] refused request (413): body over ${MAX_BODY_BYTES} bytes`);
    reply(res, 413, { error: 'payload too large' });
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) refuse();
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (refused) {
      if (size > DROP_AT_MOST) req.destroy();
    } else if (size > MAX_BODY_BYTES) refuse();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (refused) return;
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const request = { raw: Buffer.concat(chunks).toString('utf8'), timestamp: header('x-lark-request-timestamp'), nonce: header('x-lark-request-nonce'), signature: header('x-lark-signature') };
    answerWebhook(request, { core, encryptKey: options.encryptKey, verificationToken: options.verificationToken, now: Date.now(), log }).then(
      (answer) => reply(res, answer.status, answer.body),
      () => reply(res, 500, { error: 'internal error' }),
    );
  });
});

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

server.on('error', (error) => {
  post({ t: 'failed', message: error.message });
  receipts.close();
  port.close();
});
server.listen(options.port, options.host, () => post({ t: 'listening', port: (server.address() as AddressInfo).port }));

port.on('message', (m: ToReceiver) => {
  if (m.t === 'answer') {
    const call = calls.get(m.n);
    calls.delete(m.n);
    if (m.error !== undefined) call?.reject(new Error(m.error));
    else call?.resolve(m.answer ?? {});
  } else if (m.t === 'taken') {
    if (!closed) track(receipts.forget(m.ids)); // else they are handed over again at the next start, and deduped
  } else if (m.t === 'stop') {
    stopping = true;
    server.close(async () => {
      await core.idle();
      closed = true;
      receipts.close();
      post({ t: 'stopped' });
      port.close();
    });
    server.closeIdleConnections(); // keep-alive sockets would hold close() open
  }
});
