// Per-chat ordering: within one chat the bot handles one input at a time, in the
// order Lark gave them (the message's create_time, then arrival); different chats
// run side by side. Without it, answers sent 100 ms apart were handled in parallel
// against the same snapshot and all landed on the same question.

export interface ChatQueues {
  /** Runs `work` after everything queued before it in this chat with an earlier or equal order. */
  run<T>(chatId: string, order: number, work: () => Promise<T>): Promise<T>;
  /** Resolves when every chat's queue is empty. */
  idle(): Promise<void>;
}

interface Job {
  order: number;
  seq: number;
  start(): Promise<void>;
}

export function createChatQueues(opts: { settleMs?: number } = {}): ChatQueues {
  const settleMs = opts.settleMs ?? 0;
  const queues = new Map<string, Job[]>();
  const drains = new Map<string, Promise<void>>();
  let seq = 0;

  async function drain(chatId: string, jobs: Job[]): Promise<void> {
    // Let deliveries that arrived in the same instant (or within settleMs) join before
    // picking the first: a later message must not start just because it won a race.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    while (jobs.length > 0) {
      let best = 0;
      for (let i = 1; i < jobs.length; i++) {
        const a = jobs[i];
        const b = jobs[best];
        if (a.order < b.order || (a.order === b.order && a.seq < b.seq)) best = i;
      }
      const [job] = jobs.splice(best, 1);
      await job.start();
    }
    queues.delete(chatId);
    drains.delete(chatId);
  }

  return {
    run<T>(chatId: string, order: number, work: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let jobs = queues.get(chatId);
        const fresh = !jobs;
        if (!jobs) {
          jobs = [];
          queues.set(chatId, jobs);
        }
        jobs.push({
          order: Number.isFinite(order) ? order : Number.MAX_SAFE_INTEGER,
          seq: seq++,
          // never rejects: one failed input must not stop the chat's queue
          start: () => work().then(resolve, reject),
        });
        if (fresh) drains.set(chatId, drain(chatId, jobs));
      });
    },
    async idle() {
      while (drains.size > 0) await Promise.all([...drains.values()]);
    },
  };
}
