// Time to build the three seed documents, warm, against the floor of packing one
// empty .docx. Goal (issue 13): the three in at most 40 ms of CPU.
import { Document, Packer, Paragraph } from 'docx';
import { buildDocuments } from '../../src/documents';
import { assess } from '../../src/domain/evaluate';
import { defaultTemplate, examples } from '../../src/domain/registry';

const runs = 30;
const warmup = 5;

async function median(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // CPU time of this process: on a shared machine the wall clock measures the neighbours too
    const c = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(c);
    times.push((d.user + d.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Warm medians: the three seed documents, and the floor of one empty docx. */
export async function measureDocuments(): Promise<{ three: number; empty: number; bytes: number }> {
  const template = defaultTemplate();
  const seed = examples['wuhua-2024'];
  const assessment = assess(template, seed.answers, seed.problems);
  const input = { template, answers: seed.answers, assessment, year: seed.year };
  let bytes = 0;
  const three = await median(async () => {
    const docs = await buildDocuments(input);
    bytes = docs.reduce((n, d) => n + d.bytes.length, 0);
  });
  const empty = await median(() => Packer.toArrayBuffer(new Document({ sections: [{ children: [new Paragraph({})] }] })));
  return { three, empty, bytes };
}

export async function benchDocuments(): Promise<string[]> {
  const { three, empty, bytes } = await measureDocuments();
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return [
    `三份文档（种子案例，热启动，${runs}次中位数）：${ms(three)}（目标 ≤ 40 ms${three <= 40 ? '，达标' : '，未达标'}），共 ${(bytes / 1024).toFixed(0)} KB`,
    `空白 docx（一个空段落，下限）：${ms(empty)}`,
  ];
}

if (process.argv[1] && /bench[\\/]documents\.ts$/.test(process.argv[1])) {
  for (const line of await benchDocuments()) process.stdout.write(`${line}\n`);
}
