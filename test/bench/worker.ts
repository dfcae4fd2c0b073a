// The Worker's budgets: bundle size (what `wrangler deploy` uploads) and the CPU time
// of the Worker's own isolate in workerd for one answer event and for 生成报告.
// Method (test/worker/inspector.ts): V8's sampling profiler through workerd's inspector,
// one profile per event (the webhook's answer and the waitUntil work after it, until
// the replies are at the platform); CPU = busy samples × sampling period. Local D1's
// SQLite runs in another isolate of the same process and is not counted: on Cloudflare
// it runs in D1, not in the Worker's CPU. The D1 client's own work (binding calls,
// JSON of rows) is in the isolate and is counted. Profiling itself slows the isolate a
// little, so the figures lean high.
// Targets: an answer event under 5 ms CPU (half the free plan's 10 ms).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { chatId, people, playSeed } from '../conversation/seedPlayer';
import { attachProfiler, busyMs, hottest, samplingPeriodUs, type CpuProfile } from '../worker/inspector';
import { buildWorker, startWorkerHarness, throughWorker, type WorkerHarness } from '../worker/workerd';
import type { Bot } from '../../src/conversation/types';

/** CPU milliseconds used so far by the workerd processes started by this one. */
function workerdCpuMs(): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || !/workerd/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** workerd's CPU to start with a trivial Worker: subtracted from ours to leave loading our script. */
async function emptyWorkerStartMs(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-empty-'));
  writeFileSync(join(dir, 'main.js'), 'export default { fetch() { return new Response("ok"); } };');
  const before = workerdCpuMs();
  const mf = new Miniflare({ modules: true, scriptPath: join(dir, 'main.js'), modulesRoot: dir, compatibilityDate: '2025-11-01', compatibilityFlags: ['nodejs_compat'], d1Databases: { DB: 'x' }, cf: false });
  await mf.ready;
  const ms = workerdCpuMs() - before;
  await mf.dispose();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** Each line through the Worker with the profiler running from its post until its replies are sent. */
function profiled(h: WorkerHarness, profiler: Awaited<ReturnType<typeof attachProfiler>>, into: CpuProfile[]): Bot {
  const bot = throughWorker(h, undefined, 20);
  return {
    async handle(input) {
      await profiler.start();
      const out = await bot.handle(input);
      into.push(await profiler.stop());
      return out;
    },
  };
}

export interface WorkerFigures {
  bundleKiB: number;
  gzipKiB: number;
  scriptLoadMs: number;
  firstRequestMs: number;
  answerMs: { median: number; p90: number; max: number; lines: number };
  documentsMs: number[];
  hottest: { name: string; share: number }[];
}

export async function measureWorker(): Promise<WorkerFigures> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  const build = await buildWorker();
  const bundle = readFileSync(join(build.dir, 'main.js'));
  const empty = await emptyWorkerStartMs();
  const before = workerdCpuMs();
  const h = await startWorkerHarness({ build, sendRate: { perChat: 10_000, perApp: 10_000 }, inspectorPort: 0 });
  const scriptLoadMs = workerdCpuMs() - before - empty;
  for (const p of Object.values(people)) h.fake.contacts.set(p.userId, p.name);
  const profiler = await attachProfiler(h.mf);
  try {
    const lines: CpuProfile[] = [];
    await playSeed(profiled(h, profiler, lines), h.store, () => Date.now());
    const period = samplingPeriodUs(lines);
    // the first line meets a fresh isolate; the next two still compile code paths seen for the first time
    const warm = lines.slice(3).map((p) => busyMs(p, period));

    const docs: CpuProfile[] = [];
    for (let i = 0; i < 3; i++) {
      // the button on the confirmation card: a card callback, answered at once, the documents made in waitUntil
      await profiler.start();
      const res = await h.side.post(h.side.cardAction({ chatId, operatorId: people.funds.userId, value: { kind: 'command', command: '生成报告 确认' } }));
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      await h.settled(60_000, 20);
      docs.push(await profiler.stop());
    }
    const filesSent = h.fake.messages.filter((m) => m.msgType === 'file').length;
    if (filesSent !== 9) throw new Error(`生成报告 sent ${filesSent} files, not 3 × 3`);
    // BENCH_PROFILES=dir keeps the profiles, to open in Chrome DevTools (Performance → Load profile)
    if (process.env.BENCH_PROFILES) {
      mkdirSync(process.env.BENCH_PROFILES, { recursive: true });
      const keep = { 'first-request': lines[0], 'answer-warm': lines[Math.floor(lines.length / 2)], documents: docs[1] };
      for (const [name, p] of Object.entries(keep)) writeFileSync(join(process.env.BENCH_PROFILES, `${name}.cpuprofile`), JSON.stringify(p));
      writeFileSync(join(process.env.BENCH_PROFILES, 'answers.json'), JSON.stringify(lines.slice(3)));
    }
    return {
      bundleKiB: statSync(join(build.dir, 'main.js')).size / 1024,
      gzipKiB: gzipSync(bundle).length / 1024,
      scriptLoadMs,
      firstRequestMs: busyMs(lines[0], period),
      answerMs: { median: median(warm), p90: pct(warm, 0.9), max: Math.max(...warm), lines: warm.length },
      documentsMs: docs.map((p) => busyMs(p, period)),
      hottest: hottest(lines.slice(3), 12),
    };
  } finally {
    profiler.close();
    await h.close();
    build.cleanup();
  }
}

type Row = (figure: string, measured: string, floor: string, goal: string, met: boolean | undefined) => void;

export async function benchWorker(row?: Row): Promise<string[]> {
  const f = await measureWorker();
  row?.('Worker 一条消息的 CPU（workerd 里本 isolate，热）', `中位数 ${f.answerMs.median.toFixed(1)} ms，p90 ${f.answerMs.p90.toFixed(1)} ms；新 isolate 第一个请求 ${f.firstRequestMs.toFixed(0)} ms`, '—', '< 5 ms（免费版 10 ms 的一半）', f.answerMs.median < 5);
  row?.('Worker 打包大小', `${f.bundleKiB.toFixed(0)} KiB（gzip ${f.gzipKiB.toFixed(0)} KiB）`, '—', '≤ 64 MiB 未压缩', f.bundleKiB <= 64 * 1024);
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  return [
    '\n== Cloudflare Workers（workerd，本地 D1；CPU = Worker 自己 isolate 的 V8 采样，不含本地 D1 的 SQLite） ==',
    `Worker 打包（wrangler deploy --dry-run）：${f.bundleKiB.toFixed(0)} KiB，gzip 后 ${f.gzipKiB.toFixed(0)} KiB（上限 64 MiB 未压缩）`,
    `载入脚本（解析、编译、顶层代码；workerd 进程 CPU 减去空 Worker 的启动）：${f.scriptLoadMs.toFixed(0)} ms（Cloudflare 另有 1 s 启动上限，不计入请求 CPU）`,
    `新 isolate 的第一个请求（种子第一行）：CPU ${ms(f.firstRequestMs)}`,
    `一条消息（验签、解密、去重、收件箱、对话引擎、D1 读写、发回复；种子 ${f.answerMs.lines} 条，热 isolate）：CPU 中位数 ${ms(f.answerMs.median)}，p90 ${ms(f.answerMs.p90)}，最多 ${ms(f.answerMs.max)}（目标 < 5 ms：${f.answerMs.median < 5 ? '达标' : '未达标'}）`,
    `生成报告（三份 .docx 在 workerd 里生成、上传、发出；3 次）：CPU ${f.documentsMs.map((d) => d.toFixed(0)).join(' / ')} ms（免费版每次请求 10 ms，付费版默认 30 s）`,
    `一条消息的 CPU 花在（含其调用）：${f.hottest.slice(0, 8).map((x) => `${x.name} ${(x.share * 100).toFixed(0)}%`).join('；')}`,
  ];
}

if (process.argv[1] && /bench[\\/]worker\.ts$/.test(process.argv[1])) {
  for (const line of await benchWorker()) process.stdout.write(`${line}\n`);
}
