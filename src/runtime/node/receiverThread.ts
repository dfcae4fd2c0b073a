// The webhook's own thread (Node). It does what an acknowledgement needs and nothing else:
// the HTTP server, signature, decryption and token (channels/lark/webhook.ts), and a message
// event kept in the receipts file (./receipts.ts) before the 200. The bot (engine, database,
// sender) runs on the main thread, so its work never delays Lark's answer. Card callbacks,
// answered inline, are handed to the main thread and wait for its answer.
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import type { CallbackAnswer } from '../../channels/lark/core';
import type { Envelope } from '../../channels/lark/events';
import { openReceipts } from './receipts';
import { createWebhookServer } from './webhookServer';
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
};

async function writesDone(): Promise<void> {
  while (writes.size) await Promise.all([...writes]);
}

const server = createWebhookServer({ core, encryptKey: options.encryptKey, verificationToken: options.verificationToken, ready: () => !stopping, log });

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
      await writesDone();
      closed = true;
      receipts.close();
      port.close(); // the thread exits: what the main thread waits for
    });
    server.closeIdleConnections(); // keep-alive sockets would hold close() open
  }
});
