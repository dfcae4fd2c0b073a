// One message at a time, each started from a fresh turn of the event loop. On SQLite a
// message is ~1 ms of synchronous work; run back to back in promise callbacks, a
// backlog of them starves the HTTP server, and Lark's events wait for their 200 behind
// the engine. Here every message yields first, so acknowledgements come in between.
// Card callbacks (answered inline within Lark's 3 seconds) go ahead of queued messages.
import type { Bot, InboundCommit, Input, Output } from '../conversation/types';

export interface GatedBot extends Bot {
  /** Messages waiting (not counting the one running). */
  waiting(): number;
  /**
   * Start no more messages; resolves when the running one is done. Waiting ones never
   * start: their inbox entries stay open and are handled after the next start.
   */
  close(): Promise<void>;
}

type Job = { run: () => Promise<void> };

export function gateBot(bot: Bot): GatedBot {
  const urgent: Job[] = [];
  const queue: Job[] = [];
  let running: Promise<void> | undefined;
  let closed = false;

  function pump(): void {
    if (running || closed) return;
    const job = urgent.shift() ?? queue.shift();
    if (!job) return;
    running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (closed ? undefined : job.run()))
      .finally(() => {
        running = undefined;
        pump();
      });
  }

  return {
    handle(input: Input, inbound?: InboundCommit): Promise<Output> {
      return new Promise<Output>((resolve, reject) => {
        const job: Job = { run: () => bot.handle(input, inbound).then(resolve, reject) };
        (input.message.type === 'action' ? urgent : queue).push(job);
        pump();
      });
    },
    waiting: () => urgent.length + queue.length,
    async close() {
      closed = true;
      await running;
    },
  };
}
