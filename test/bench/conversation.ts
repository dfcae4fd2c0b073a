// Messages a person who knows the answers needs to fill the seed evaluation
// (test/fixtures/seed-fast.txt, replayed through the terminal chat over SQLite).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayScript } from '../conversation/replay';

const SEED_BUDGET = 90; // issue 11's goal
const SEED_BEFORE = 214; // one value per message, as the first version needed

export async function benchConversation(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-chat-'));
  try {
    const script = readFileSync(join(import.meta.dirname, '../fixtures/seed-fast.txt'), 'utf8');
    const started = performance.now();
    const r = await replayScript(script, join(dir, 'bot.sqlite'), join(dir, 'out'));
    const ms = performance.now() - started;
    r.close();
    const ok = r.printed.includes('总分：97分') && r.printed.includes('评价等次：优');
    return [
      `种子案例（红云街道 行政综合性经费 2024）：${r.messages} 条消息（目标 ≤ ${SEED_BUDGET}，一题一条时 ${SEED_BEFORE}），结果 ${ok ? '97分 优 ✓' : '✗ 不是 97分 优'}，回放 ${ms.toFixed(0)} ms`,
      '国家示例模板：模板重构（#10）尚未合入，暂无对应脚本',
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
