// Staying under Lark's sending limits (5/s per chat, 50/s and 1,000/min per app)
// instead of running into 230020 / HTTP 429 and retrying. Sliding windows, not token
// buckets: a full bucket of 50 plus its refill lets ~99 messages out in the first
// second; a window counts the sends of the last period exactly, so no period —
// the first included — ever holds more than the limit.

export interface Rate {
  count: number;
  periodMs: number;
}

/** The times of the sends in the last period, oldest first. */
export class SlidingWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly rate: Rate) {}

  private forget(now: number): void {
    while (this.head < this.times.length && this.times[this.head] <= now - this.rate.periodMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Milliseconds until one more send fits (0 = now). */
  waitMs(now: number): number {
    this.forget(now);
    const inWindow = this.times.length - this.head;
    if (inWindow < this.rate.count) return 0;
    // the send that must leave the window before another may go
    return this.times[this.times.length - this.rate.count] + this.rate.periodMs - now;
  }

  take(now: number): void {
    this.times.push(now);
  }

  /** Nothing sent within the last period. */
  idle(now: number): boolean {
    this.forget(now);
    return this.head === this.times.length;
  }
}

/** One window per key (chat id), created on first use; idle ones are forgotten. */
export class KeyedWindows {
  private readonly windows = new Map<string, SlidingWindow>();
  constructor(private readonly rate: Rate) {}

  get(key: string, now: number): SlidingWindow {
    let w = this.windows.get(key);
    if (!w) {
      if (this.windows.size > 10_000) for (const [k, old] of this.windows) if (old.idle(now)) this.windows.delete(k);
      w = new SlidingWindow(this.rate);
      this.windows.set(key, w);
    }
    return w;
  }
}

/**
 * Several limits at once: a send may go when every window has room. The sender asks
 * and takes through this interface only, so a limiter shared between processes or
 * isolates (a lease on the app's budget) can stand in for it.
 */
export class Pacer {
  private readonly app: SlidingWindow[];
  private readonly chats: KeyedWindows;

  constructor(opts: { perChat: Rate; perApp: Rate[] }, _now?: number) {
    this.chats = new KeyedWindows(opts.perChat);
    this.app = opts.perApp.map((r) => new SlidingWindow(r));
  }

  waitMs(chatId: string, now: number): number {
    return Math.max(this.chatWaitMs(chatId, now), this.appWaitMs(now));
  }

  /** The app-wide limits alone: every chat waits for these. */
  appWaitMs(now: number): number {
    return Math.max(0, ...this.app.map((w) => w.waitMs(now)));
  }

  /** The chat's own limit alone: other chats need not wait for it. */
  chatWaitMs(chatId: string, now: number): number {
    return this.chats.get(chatId, now).waitMs(now);
  }

  take(chatId: string, now: number): void {
    this.chats.get(chatId, now).take(now);
    for (const w of this.app) w.take(now);
  }
}

export const LARK_LIMITS = {
  perChat: { count: 5, periodMs: 1000 },
  perApp: [
    { count: 50, periodMs: 1000 },
    { count: 1000, periodMs: 60_000 },
  ],
};
