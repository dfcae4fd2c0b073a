// Webhook throughput: N distinct encrypted, signed message events through the whole
// path (verify, decrypt, dedupe, record, bot, enqueue) on one core, against a bare
// Hono handler answering 200 as the floor. Lark wants an answer within 3 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { createLarkApp } from '../../src/channels/lark/app';
import { createLarkCore } from '../../src/channels/lark/core';
import type { Bot } from '../../src/conversation/types';
import { openSqlite } from '../../src/store/sqlite';
import { createLarkSide } from '../lark/larkSide';

const N = 2000;
const CONCURRENCY = 32;
const KEY = 'bench-encrypt-key';
const TOKEN = 'bench-token';
const quiet = { info() {}, warn() {}, error() {} };

const trivialBot: Bot = {
  async handle(input) {
    return { messages: [{ type: 'text', text: input.message.type === 'text' ? `收到：${input.message.text}` : '收到' }] };
  },
};

interface Figures {
  perSecond: number;
  median: number;
  p99: number;
  totalMs: number;
}

/** Send all requests with CONCURRENCY in flight; per-request answer times in ms. */
async function load(send: (i: number) => Response | Promise<Response>, n: number, finish: () => Promise<void>): Promise<Figures> {
  const times: number[] = new Array(n);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const start = performance.now();
        const res = await send(i);
        if (res.status !== 200) throw new Error(`request ${i}: HTTP ${res.status}`);
        await res.arrayBuffer();
        times[i] = performance.now() - start;
      }
    }),
  );
  await finish(); // background work (bot + enqueue) counts toward throughput
  const totalMs = performance.now() - t0;
  times.sort((a, b) => a - b);
  return { perSecond: (n / totalMs) * 1000, median: times[Math.floor(n / 2)], p99: times[Math.floor(n * 0.99)], totalMs };
}

export async function benchLark(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-lark-'));
  const opened = openSqlite(join(dir, 'bench.sqlite'));
  try {
    const core = createLarkCore({ store: opened.store, bot: trivialBot, botOpenId: () => 'ou_bot', logger: quiet });
    const app = createLarkApp({ core, encryptKey: KEY, verificationToken: TOKEN, logger: quiet });
    const side = createLarkSide({ encryptKey: KEY, verificationToken: TOKEN, send: (p, init) => app.request(p, init) });

    // Lark's side of the work (encrypting, signing) is done before the clock starts.
    const build = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) =>
        side.request(side.messageEvent({ chatId: `oc_${i % 50}`, senderId: `ou_${i % 200}`, text: `${tag} 第 ${i} 条：填写 资金来源`, mentionBot: { openId: 'ou_bot' } })),
      );
    const post = (r: { raw: string; headers: Record<string, string> }) => app.request('/lark/events', { method: 'POST', headers: r.headers, body: r.raw });

    const warm = build(200, 'warm');
    await load((i) => post(warm[i]), warm.length, () => app.idle());
    const reqs = build(N, 'bench');
    const full = await load((i) => post(reqs[i]), N, () => app.idle());
    const queued = await opened.store.pendingCount();

    const bare = new Hono();
    bare.post('/lark/events', async (c) => {
      await c.req.text();
      return c.json({});
    });
    await load((i) => bare.request('/lark/events', { method: 'POST', headers: reqs[i].headers, body: reqs[i].raw }), 200, async () => {});
    const floor = await load((i) => bare.request('/lark/events', { method: 'POST', headers: reqs[i].headers, body: reqs[i].raw }), N, async () => {});

    const f = (x: number) => x.toFixed(2);
    return [
      `${N} 个加密签名事件，并发 ${CONCURRENCY}，单核，SQLite 文件库（WAL）`,
      `全路径（验签、解密、去重、记录、机器人、入发件箱）：${Math.round(full.perSecond)} 个/秒；应答耗时 中位数 ${f(full.median)} ms，p99 ${f(full.p99)} ms（飞书要求 3 秒内）`,
      `空 Hono 处理器（只回 200）：${Math.round(floor.perSecond)} 个/秒；应答耗时 中位数 ${f(floor.median)} ms，p99 ${f(floor.p99)} ms`,
      `发件箱待发：${queued} 条（应为 ${N + warm.length}）`,
    ];
  } finally {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: npx tsx test/bench/lark.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchLark()) console.log(line);
}
