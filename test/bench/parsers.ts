// Hostile input, timed: every answer parser on 100 KB of adversarial text, the command
// argument readers and the input boundary on 150 KB. One message holds the event loop
// (every chat's acknowledgement) for as long as its parse takes, so the figure is the
// worst single parse, beside one linear pass over the same bytes.
import { ADVERSARIAL, ADVERSARIAL_CONTEXT, KINDS } from '../domain/adversarial';
import { parseAnswer } from '../../src/domain/parse';
import { stripInvisible } from '../../src/domain/parse/invisible';
import { dropBracketed, nameAndYear, splitAtWord, trailingNumber } from '../../src/conversation/argText';
import { cleanText, MAX_TEXT_CHARS } from '../../src/conversation/inputText';

type Row = (figure: string, measured: string, floor: string, goal: string, met: boolean | undefined) => void;

/** Best of `n` runs, in ms: the machine's noise only ever adds. */
function best(f: () => unknown, n = 5): number {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** One pass over the text that looks at every character: what any parser must at least cost. */
function scan(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

const GOAL_MS = 10;

const argumentReaders: Record<string, (s: string) => unknown> = {
  nameAndYear,
  trailingNumber,
  splitAtWord: (s) => splitAtWord(s, '沿用'),
  dropBracketed,
};

export async function benchParsers(log: (s: string) => void, row: Row): Promise<void> {
  log('\n== 恶意输入（每个解析器 100 KB；命令参数和输入边界 150 KB） ==');
  const inputs = Object.entries(ADVERSARIAL);
  const floor100 = Math.max(...inputs.map(([, s]) => best(() => scan(s))));
  const strip100 = Math.max(...inputs.map(([, s]) => best(() => stripInvisible(s))));
  let worst = { ms: 0, kind: '', input: '' };
  for (const kind of KINDS) {
    const times = inputs.map(([name, s]) => ({ name, ms: best(() => parseAnswer(kind, s, ADVERSARIAL_CONTEXT)) }));
    const top = times.reduce((a, b) => (b.ms > a.ms ? b : a));
    log(`${kind.padEnd(9)} 最慢 ${top.ms.toFixed(2)} ms（${top.name}），合计 ${times.reduce((a, b) => a + b.ms, 0).toFixed(1)} ms / ${times.length} 种输入`);
    if (top.ms > worst.ms) worst = { ms: top.ms, kind, input: top.name };
  }
  row(
    '答案解析器，100 KB 恶意输入，最慢的一次',
    `${worst.ms.toFixed(2)} ms（${worst.kind}，${worst.input}；${KINDS.length} 种题型 × ${inputs.length} 种输入）`,
    `逐字扫描 100 KB ${floor100.toFixed(2)} ms；去不可见字符 ${strip100.toFixed(2)} ms`,
    `≤ ${GOAL_MS} ms（一条消息占住事件循环的时间）`,
    worst.ms <= GOAL_MS,
  );

  const hostile150 = [
    ['（'.repeat(MAX_TEXT_CHARS), '全角左括号'],
    ['('.repeat(MAX_TEXT_CHARS), '半角左括号'],
    ['a' + ' '.repeat(MAX_TEXT_CHARS - 2) + 'x', '空格'],
    ['沿用 '.repeat(MAX_TEXT_CHARS / 3), '沿用'],
    ['2024 '.repeat(MAX_TEXT_CHARS / 5) + 'x', '年份'],
  ] as const;
  const floor150 = Math.max(...hostile150.map(([s]) => best(() => scan(s))));
  const readers = hostile150.flatMap(([s, name]) => Object.entries(argumentReaders).map(([reader, f]) => ({ name: `${reader}/${name}`, ms: best(() => f(s)) })));
  const slowReader = readers.reduce((a, b) => (b.ms > a.ms ? b : a));
  log(`命令参数：最慢 ${slowReader.ms.toFixed(2)} ms（${slowReader.name}）`);
  row('命令参数读取，150 KB 恶意参数，最慢的一次', `${slowReader.ms.toFixed(2)} ms（${slowReader.name}）`, `逐字扫描 150 KB ${floor150.toFixed(2)} ms`, `≤ ${GOAL_MS} ms`, slowReader.ms <= GOAL_MS);

  const boundary = hostile150.map(([s, name]) => ({ name, ms: best(() => cleanText(s)) }));
  const slowBoundary = boundary.reduce((a, b) => (b.ms > a.ms ? b : a));
  row('输入边界（限长、去不可见字符、合并空格），150 KB', `${slowBoundary.ms.toFixed(2)} ms（${slowBoundary.name}）`, `逐字扫描 150 KB ${floor150.toFixed(2)} ms`, `≤ ${GOAL_MS} ms`, slowBoundary.ms <= GOAL_MS);
}
