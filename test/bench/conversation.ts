// Messages a person who knows the answers needs to fill each example evaluation
// (test/fixtures/*-fast.txt, replayed through the terminal chat over SQLite).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastFixtures } from '../conversation/fastFixtures';
import { replayScript } from '../conversation/replay';

export async function benchConversation(): Promise<string[]> {
  const lines: string[] = [];
  for (const f of fastFixtures) {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-chat-'));
    try {
      const started = performance.now();
      const r = await replayScript(readFileSync(f.path, 'utf8'), join(dir, 'bot.sqlite'), join(dir, 'out'));
      const ms = performance.now() - started;
      r.close();
      const result = r.printed.match(/总分：([\d.]+分)[\s\S]*?评价等次：(\S+)/);
      const before = f.before ? `，一题一条时 ${f.before}` : '';
      lines.push(`${f.title}：${r.messages} 条消息（目标 ≤ ${f.budget}${before}），结果 ${result ? `${result[1]} ${result[2]}` : '没有生成报告 ✗'}，回放 ${ms.toFixed(0)} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}
