// Token buckets to stay under Lark's sending limits (5/s per chat, 50/s and
// 1000/min per app) instead of running into 230020 / HTTP 429 and retrying.

export class TokenBucket {
  private tokens: number;
  private last: number;

  /** `capacity` tokens at most, refilled at `capacity` per `periodMs`. */
  constructor(
    private readonly capacity: number,
    private readonly periodMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.capacity) / this.periodMs);
      this.last = now;
    }
  }

  /** Milliseconds until a token is available (0 = now). Does not take it. */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * this.periodMs) / this.capacity);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
}

export interface Rate {
  count: number;
  periodMs: number;
}

/** One bucket per key (chat id), created on first use; idle full buckets are forgotten. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly rate: Rate) {}

  get(key: string, now: number): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 10_000) this.buckets.clear(); // a full bucket is the same as a new one
      b = new TokenBucket(this.rate.count, this.rate.periodMs, now);
      this.buckets.set(key, b);
    }
    return b;
  }
}

/** Several limits at once: a send may go when every bucket has a token. */
export class Pacer {
  private readonly app: TokenBucket[];
  private readonly chats: KeyedBuckets;

  constructor(opts: { perChat: Rate; perApp: Rate[] }, now: number) {
    this.chats = new KeyedBuckets(opts.perChat);
    this.app = opts.perApp.map((r) => new TokenBucket(r.count, r.periodMs, now));
  }

  waitMs(chatId: string, now: number): number {
    return Math.max(this.chatWaitMs(chatId, now), this.appWaitMs(now));
  }

  /** The app-wide limits alone: every chat waits for these. */
  appWaitMs(now: number): number {
    return Math.max(0, ...this.app.map((b) => b.waitMs(now)));
  }

  /** The chat's own limit alone: other chats need not wait for it. */
  chatWaitMs(chatId: string, now: number): number {
    return this.chats.get(chatId, now).waitMs(now);
  }

  take(chatId: string, now: number): void {
    this.chats.get(chatId, now).take(now);
    for (const b of this.app) b.take(now);
  }
}

export const LARK_LIMITS = {
  perChat: { count: 5, periodMs: 1000 },
  perApp: [
    { count: 50, periodMs: 1000 },
    { count: 1000, periodMs: 60_000 },
  ],
};
