// The main thread's side of the receiver thread (./receiverThread.ts): starts it, hands the
// events it kept to the Lark core, answers the card callbacks it passes on, and starts it
// again if it dies. A receipt is forgotten only once the core has it in the bot's inbox;
// whatever is still kept at a start (a crash, a stop mid-way) is handed over again first.
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { CallbackAnswer, LarkCore, Logger } from '../../channels/lark/core';
import type { Envelope } from '../../channels/lark/events';
import { openReceipts } from './receipts';

export interface ReceiverOptions {
  receiptsPath: string;
  port: number;
  host?: string;
  encryptKey?: string;
  verificationToken?: string;
}

export type FromReceiver =
  | { t: 'listening'; port: number }
  | { t: 'failed'; message: string }
  | { t: 'event'; id: number; envelope: Envelope }
  | { t: 'call'; n: number; envelope: Envelope }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; text: string };

export type ToReceiver = { t: 'answer'; n: number; answer?: CallbackAnswer; error?: string } | { t: 'taken'; ids: number[] } | { t: 'stop' };

export interface Receiver {
  port: number;
  /** The thread running now (it is replaced when it dies). */
  readonly thread: Worker;
  stop(): Promise<void>;
}

/** Handing an event over failed (the bot's database): tried again this often, then left for the next start. */
const HAND_OVER_TRIES = 5;

/** How long the thread may take to answer its open requests and close at a stop. */
const STOP_BUDGET_MS = 2000;

/** The receiver thread's young generation (MB): scavenges under 1 ms. */
const RECEIVER_YOUNG_MB = 4;

/** The thread's code: the TypeScript source under tsx or vitest, the built file beside this one otherwise. */
function spawnThread(options: ReceiverOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  // A small young generation: the thread's garbage is short-lived request data, and a scavenge of
  // npm start's 32 MB semi-space (sized for the bot's thread) paused it 5-13 ms several times a second.
  // That flag would override the worker's own limit, so it is cleared first: V8 reads it only when
  // an isolate's heap is set up, and the main thread's heap keeps what it started with.
  setFlagsFromString('--max-semi-space-size=0');
  const resourceLimits = { maxYoungGenerationSizeMb: RECEIVER_YOUNG_MB };
  if (!fromSource) return new Worker(new URL('./receiverThread.mjs', import.meta.url), { workerData: options, resourceLimits });
  // a worker does not inherit tsx's loader: it registers it, then imports the source
  const file = new URL('./receiverThread.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(file)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData: options, resourceLimits });
}

export async function startReceiver(core: Pick<LarkCore, 'handleEvent'>, options: ReceiverOptions, log: Logger): Promise<Receiver> {
  let worker: Worker;
  /** Resolves when the current thread has exited (it may have already). */
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let taken: number[] = [];
  const retries = new Set<NodeJS.Timeout>();

  function hand(id: number, envelope: Envelope, tries = 1): void {
    core.handleEvent(envelope).then(
      () => {
        if (taken.push(id) === 1) setImmediate(sendTaken);
      },
      (error: unknown) => {
        if (tries >= HAND_OVER_TRIES || stopping) return log.error('[receiver] handing an event to the bot failed; it is kept and handed over at the next start', error);
        const timer = setTimeout(() => {
          retries.delete(timer);
          hand(id, envelope, tries + 1);
        }, 100 * 2 ** tries);
        retries.add(timer);
      },
    );
  }

  function sendTaken(): void {
    const ids = taken;
    taken = [];
    if (ids.length) worker.postMessage({ t: 'taken', ids } satisfies ToReceiver);
  }

  /** Receipts kept before this start: into the bot's inbox before anything new arrives. */
  async function handOverKept(): Promise<number> {
    if (options.receiptsPath === ':memory:') return 0;
    const receipts = openReceipts(options.receiptsPath);
    try {
      const kept = receipts.all();
      const done = await Promise.all(kept.map((r) => core.handleEvent(JSON.parse(r.envelope) as Envelope).then(() => r.id, () => undefined)));
      await receipts.forget(done.filter((id) => id !== undefined));
      return kept.length;
    } finally {
      receipts.close();
    }
  }

  function start(port: number): Promise<number> {
    worker = spawnThread({ ...options, port });
    const thread = worker;
    exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
    let listening = false;
    let listenedOn = port; // PORT=0 picks one: a restart takes the same
    return new Promise<number>((resolve, reject) => {
      thread.on('message', (m: FromReceiver) => {
        if (m.t === 'event') hand(m.id, m.envelope);
        else if (m.t === 'call') {
          core.handleEvent(m.envelope).then(
            (answer) => thread.postMessage({ t: 'answer', n: m.n, answer } satisfies ToReceiver),
            (error: unknown) => {
              log.error('[lark] event handling failed', error);
              thread.postMessage({ t: 'answer', n: m.n, error: String(error) } satisfies ToReceiver);
            },
          );
        } else if (m.t === 'log') log[m.level](m.text);
        else if (m.t === 'listening') {
          listening = true;
          listenedOn = m.port;
          resolve(m.port);
        } else if (m.t === 'failed') reject(new Error(m.message));
      });
      thread.on('error', (error) => {
        log.error('[receiver] the webhook thread failed', error);
        reject(error);
      });
      thread.on('exit', () => {
        reject(new Error('the webhook thread exited while starting'));
        if (stopping || !listening || thread !== worker) return;
        // Lark retries what it got no answer for; what was kept is handed over before the thread is back
        log.error('[receiver] the webhook thread stopped; starting it again');
        const timer = setTimeout(() => {
          retries.delete(timer);
          if (!stopping) restarting = restart(listenedOn);
        }, 500);
        retries.add(timer);
      });
    });
  }

  async function restart(port: number): Promise<void> {
    // what waits to be tried again is in the receipts file, and is handed over from there
    for (const timer of retries) clearTimeout(timer);
    retries.clear();
    try {
      await handOverKept();
      if (!stopping) await start(port);
    } catch (error) {
      log.error('[receiver] could not start the webhook thread again; trying again in 5 s', error);
      const timer = setTimeout(() => {
        retries.delete(timer);
        if (!stopping) restarting = restart(port);
      }, 5000);
      retries.add(timer);
    }
  }

  const kept = await handOverKept();
  if (kept) log.info(`[lark] ${kept} event(s) received before the restart handed to the bot`);
  const port = await start(options.port);
  return {
    port,
    get thread() {
      return worker;
    },
    async stop() {
      stopping = true;
      for (const timer of retries) clearTimeout(timer);
      await restarting; // one under way finishes handing over, and starts no thread
      const thread = worker;
      thread.postMessage({ t: 'stop' } satisfies ToReceiver); // nothing happens if it has exited already
      // open requests get their answers first; a thread that does not finish is ended (its receipts are committed or unanswered)
      const timer = setTimeout(() => void thread.terminate(), STOP_BUDGET_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
