// The Worker's budgets: bundle size (what `wrangler deploy` uploads) and CPU time in
// workerd for one answer event and for 生成报告 (the three documents). CPU is read from
// the workerd process (/proc), so it also counts local D1's SQLite, workerd's own work
// and the harness's D1 reads (a poll every 200 ms), which on Cloudflare are not the
// Worker's CPU: an upper bound.
// Targets: an answer event under 5 ms CPU (half the free plan's 10 ms).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chatId, people, playSeed } from '../conversation/seedPlayer';
import { BOT_OPEN_ID, buildWorker, startWorkerHarness, throughWorker } from '../worker/workerd';

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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchWorker(): Promise<string[]> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  const build = await buildWorker();
  const bundle = readFileSync(join(build.dir, 'main.js'));
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  const lines = ['\n== Cloudflare Workers（workerd，本地 D1） ==', `Worker 打包（wrangler deploy --dry-run）：${kib(statSync(join(build.dir, 'main.js')).size)}，gzip 后 ${kib(gzipSync(bundle).length)}（上限 64 MiB 未压缩）`];

  const before = workerdCpuMs();
  const h = await startWorkerHarness({ build, sendRate: { perChat: 10_000, perApp: 10_000 } });
  lines.push(`workerd 启动并载入脚本（含解析整个包）：CPU ${(workerdCpuMs() - before).toFixed(0)} ms`);
  try {
    // the seed case through the Worker, one line at a time: CPU per message
    const perLine: number[] = [];
    let mark = workerdCpuMs();
    await playSeed(
      throughWorker(h, () => {
        const now = workerdCpuMs();
        perLine.push(now - mark);
        mark = now;
      }, 200), // polls of D1 cost workerd CPU too: few of them
      h.store,
      () => Date.now(),
    );
    const line = median(perLine.slice(1)); // the first message also warms the isolate
    lines.push(`种子案例的一条消息（验签、解密、去重、收件箱、对话引擎、D1、发回复；${perLine.length} 条的中位数）：CPU ${line.toFixed(1)} ms（目标 < 5 ms；含本地 D1 与 workerd 自身，偏高）；最多 ${Math.max(...perLine).toFixed(0)} ms`);

    const docs: number[] = [];
    for (let i = 0; i < 3; i++) {
      mark = workerdCpuMs();
      const res = await h.side.post(h.side.messageEvent({ chatId, senderId: people.funds.userId, text: '@_user_1 生成报告', mentionBot: { openId: BOT_OPEN_ID } }));
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      await h.settled(60_000, 200);
      docs.push(workerdCpuMs() - mark);
    }
    lines.push(`生成报告（三份 .docx 在 workerd 里生成、上传、发出；3 次）：CPU ${docs.map((d) => d.toFixed(0)).join(' / ')} ms（免费版每次请求 10 ms，付费版默认 30 s）`);
  } finally {
    await h.close();
    build.cleanup();
  }
  return lines;
}

if (process.argv[1] && /bench[\\/]worker\.ts$/.test(process.argv[1])) {
  for (const line of await benchWorker()) process.stdout.write(`${line}\n`);
}
