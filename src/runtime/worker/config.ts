// The Worker's bindings and settings. Secrets come from `wrangler secret put`,
// the rest from [vars] in wrangler.toml; both arrive on `env`, not process.env.
// They are checked with the same rules (and Chinese messages) as on Node.
import type { drizzle } from 'drizzle-orm/d1';
import { loadEnv, type Env } from '../../config/env';
import type { Rate } from '../../channels/lark/rateLimit';
import { LARK_LIMITS } from '../../channels/lark/rateLimit';

export type D1Binding = Parameters<typeof drizzle>[0];

export interface WorkerEnv {
  DB: D1Binding;
  LARK_APP_ID?: string;
  LARK_APP_SECRET?: string;
  LARK_ENCRYPT_KEY?: string;
  LARK_VERIFICATION_TOKEN?: string;
  LARK_DOMAIN?: string;
  ADMIN_OPEN_IDS?: string;
  /**
   * Tests only: JSON { "perChat": n, "perApp": n } sends per second instead of Lark's limits,
   * so the seed case's ~400 replies to one chat need not take 80 s. Never set it in production.
   */
  TEST_SEND_RATE?: string;
  /** D1 queries one invocation may make: 1000 on the paid plan (default), 50 on the free plan. */
  D1_QUERY_LIMIT?: string;
}

/** What the platform hands every handler (only what we use of it). */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface ScheduledEvent {
  scheduledTime: number;
  cron: string;
}

const SETTINGS = ['LARK_APP_ID', 'LARK_APP_SECRET', 'LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN', 'LARK_DOMAIN', 'ADMIN_OPEN_IDS'] as const;

/** Throws EnvError (Chinese, one line per variable) like `npm start` does. Workers only take webhooks. */
export function workerSettings(env: WorkerEnv): Env {
  const source: Record<string, string | undefined> = { LARK_MODE: 'webhook' };
  for (const name of SETTINGS) source[name] = env[name];
  return loadEnv(source);
}

export function sendLimits(env: WorkerEnv): { perChat: Rate; perApp: Rate[] } {
  if (!env.TEST_SEND_RATE) return LARK_LIMITS;
  const { perChat, perApp } = JSON.parse(env.TEST_SEND_RATE) as { perChat: number; perApp: number };
  return { perChat: { count: perChat, periodMs: 1000 }, perApp: [{ count: perApp, periodMs: 1000 }] };
}
