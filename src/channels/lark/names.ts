// Sender names. Lark message events carry only the sender's open_id; mentions carry
// names, but a person who was never @-mentioned would be shown as "ou_xxx". The
// contact API (GET /open-apis/contact/v3/users/:user_id, scope contact:user.base:readonly)
// gives the name; this asks it at most once per person at a time, briefly, and
// falls back to the open_id on any trouble without asking again for a while.
import type { Logger } from './core';
import type { NameCache } from './events';

/** Finds a person's display name; undefined when there is none. Throws on errors. */
export type NameLookup = (openId: string) => Promise<string | undefined>;

/** The part of the SDK client used (`lark.Client` fits). Loose types: the SDK's own are very wide. */
export interface ContactApi {
  contact: { v3: { user: { get(payload: any): Promise<any> } } };
}

/** A lookup through the SDK's contact API. */
export function contactNameLookup(client: ContactApi): NameLookup {
  return async (openId) => {
    const res = (await client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } })) as {
      code?: number;
      msg?: string;
      data?: { user?: { name?: string; nickname?: string } };
    };
    if (res && typeof res.code === 'number' && res.code !== 0) throw Object.assign(new Error(`contact API code ${res.code}: ${res.msg ?? ''}`), { larkCode: res.code });
    const user = res?.data?.user;
    const name = (user?.name || user?.nickname || '').trim();
    return name || undefined;
  };
}

/** Codes that mean the app may not read anyone (no scope, app not allowed): stop asking for everyone for a while. */
const APP_WIDE_CODES = new Set([99991672, 99991679, 99991673]);

function larkCodeOf(error: unknown): number | undefined {
  const e = error as { larkCode?: unknown; response?: { data?: { code?: unknown } } };
  const code = e?.larkCode ?? e?.response?.data?.code;
  return typeof code === 'number' ? code : undefined;
}

export interface NameResolverOptions {
  names: NameCache;
  lookup?: NameLookup;
  /** Wait at most this long for a lookup before answering with the open_id (the lookup goes on and fills the cache). */
  timeoutMs?: number;
  /** A lookup still unanswered after this long counts as failed. */
  hardTimeoutMs?: number;
  /** After a failure, the open_id is used without asking again for this long. */
  retryAfterMs?: number;
  now?: () => number;
  logger?: Logger;
}

export class NameResolver {
  readonly names: NameCache;
  private readonly lookup?: NameLookup;
  private readonly timeoutMs: number;
  private readonly hardTimeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly inflight = new Map<string, Promise<string | undefined>>();
  private readonly failedUntil = new Map<string, number>();
  private appFailedUntil = 0;

  constructor(opts: NameResolverOptions) {
    this.names = opts.names;
    this.lookup = opts.lookup;
    this.timeoutMs = opts.timeoutMs ?? 800;
    this.hardTimeoutMs = opts.hardTimeoutMs ?? 5_000;
    this.retryAfterMs = opts.retryAfterMs ?? 10 * 60_000;
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? console;
  }

  /** The person's name, or their open_id when it is unknown and cannot be found within `timeoutMs`. */
  async resolve(openId: string, timeoutMs = this.timeoutMs): Promise<string> {
    const known = this.names.get(openId);
    if (known) return known;
    const pending = this.start(openId);
    if (!pending) return openId;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, timeoutMs));
    });
    try {
      return (await Promise.race([pending, timeout])) ?? openId;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The lookup still running for this person (after `resolve` gave up waiting), if any. */
  running(openId: string): Promise<string | undefined> | undefined {
    return this.inflight.get(openId);
  }

  /** The running lookup for this person, a new one, or none when we should not ask now. */
  private start(openId: string): Promise<string | undefined> | undefined {
    const running = this.inflight.get(openId);
    if (running) return running;
    if (!this.lookup || !openId) return undefined;
    const t = this.now();
    if (t < this.appFailedUntil) return undefined;
    const until = this.failedUntil.get(openId);
    if (until !== undefined) {
      if (t < until) return undefined;
      this.failedUntil.delete(openId);
    }
    const lookup = this.lookup;
    let hardTimer: NodeJS.Timeout | undefined;
    const hard = new Promise<never>((_, reject) => {
      hardTimer = setTimeout(() => reject(new Error(`no answer within ${this.hardTimeoutMs} ms`)), this.hardTimeoutMs);
      hardTimer.unref?.();
    });
    const p = Promise.race([Promise.resolve().then(() => lookup(openId)), hard])
      .then(
        (name) => {
          if (name) this.names.set(openId, name);
          else this.fail(openId, undefined, 'no name in the answer');
          return name;
        },
        (error: unknown) => {
          this.fail(openId, larkCodeOf(error), (error as Error)?.message ?? String(error));
          return undefined;
        },
      )
      .finally(() => {
        clearTimeout(hardTimer);
        this.inflight.delete(openId);
      });
    this.inflight.set(openId, p);
    return p;
  }

  private fail(openId: string, code: number | undefined, why: string): void {
    const until = this.now() + this.retryAfterMs;
    if (this.failedUntil.size > 10_000) this.failedUntil.clear();
    this.failedUntil.set(openId, until);
    if (code !== undefined && APP_WIDE_CODES.has(code)) {
      if (this.now() >= this.appFailedUntil) {
        this.log.warn(
          `[lark] 无法读取用户姓名（${why}），发言人将以 open_id 显示。请在开发者后台开通权限 contact:user.base:readonly（获取用户基本信息）并发布新版本；${Math.round(this.retryAfterMs / 60_000)} 分钟后再试。`,
        );
      }
      this.appFailedUntil = until;
      return;
    }
    this.log.warn(`[lark] name lookup for ${openId} failed (${why}); showing the open_id for now`);
  }

  /** Resolves when every lookup started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight.values()]);
  }
}
