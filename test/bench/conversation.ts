// Messages a person who knows the answers needs to fill each example evaluation
// (test/fixtures/*-fast.txt, replayed through the terminal chat over SQLite).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastFixtures } from '../conversation/fastFixtures';
import { replayScript } from '../conversation/replay';

type Row = (figure: string, measured: string, floor: string, goal: string, met: boolean | undefined) => void;

export async function benchConversation(log: (s: string) => void, row: Row): Promise<void> {
  log('\n== 对话：知道答案的人填完示例评价要几条消息 ==');
  for (const f of fastFixtures) {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-chat-'));
    try {
      const started = performance.now();
      const r = await replayScript(readFileSync(f.path, 'utf8'), join(dir, 'bot.sqlite'), join(dir, 'out'));
      const ms = performance.now() - started;
      r.close();
      const result = r.printed.match(/总分：([\d.]+分)[\s\S]*?评价等次：(\S+)/);
      const outcome = result ? `${result[1]} ${result[2]}` : '没有生成报告';
      log(`${f.title}：${r.messages} 条消息，结果 ${outcome}，回放 ${ms.toFixed(0)} ms`);
      row(`填完${f.title}`, `${r.messages} 条消息（${outcome}）`, f.before ? `一题一条 ${f.before} 条` : '—', `≤ ${f.budget} 条`, !!result && r.messages <= f.budget);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
