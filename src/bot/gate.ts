// A few messages at a time, each few started from a fresh turn of the event loop. On
// SQLite a message is a few hundred µs of synchronous work; run back to back in promise
// callbacks, a backlog of them starves the HTTP server, and Lark's events wait for their
// 200 behind the engine. Here every batch yields first, so acknowledgements come in
// between. A batch's messages (from different chats: each chat's own order is kept by
// the channel's chat queues) share one commit (store/groupCommit.ts), which is most of
// what a message costs alone. Card callbacks (answered inline within Lark's 3 seconds)
// go ahead of queued messages.
import type { Bot, InboundCommit, Input, Output } from '../conversation/types';

export interface GatedBot extends Bot {
  /** Messages waiting (not counting the one running). */
  waiting(): number;
  /**
   * Start no more messages; resolves when the running batch is done. Waiting ones never
   * start: their inbox entries stay open and are handled after the next start.
   */
  close(): Promise<void>;
}

type Job = { run: () => Promise<void> };

/** Messages started together: bounds how long one turn holds the event loop (a few ms). */
export const GATE_BATCH = 16;

export function gateBot(bot: Bot): GatedBot {
  const urgent: Job[] = [];
  const queue: Job[] = [];
  let running: Promise<void> | undefined;
  let closed = false;

  function pump(): void {
    if (running || closed) return;
    if (urgent.length + queue.length === 0) return;
    running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        if (closed) return;
        // taken when the turn starts, so messages that arrived meanwhile join the batch
        const batch = urgent.splice(0, GATE_BATCH);
        batch.push(...queue.splice(0, GATE_BATCH - batch.length));
        await Promise.all(batch.map((job) => job.run()));
      })
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
