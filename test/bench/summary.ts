// The leaders' summary over 10,000 evaluations (target: built in < 200 ms).
// 1. buildSummary + its card over 10,000 EvaluationFacts in memory, shaped as the
//    loader produces them (the per-evaluation figures already derived): the target.
// 2. What deriving those figures costs per evaluation, from the seed case's answers
//    (done once per answers version; the loader caches it).
// 3. The spreadsheet of all 10,000 rows.
// 4. Loading 10,000 evaluations from SQLite: cold (figures derived) and warm (cached).
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beijingDate, beijingInstant } from '../../src/domain/calendar';
import { previewReminders } from '../../src/reminders';
import { answerFacts, type AnswerFacts } from '../../src/domain/evaluationFacts';
import { defaultTemplate, examples } from '../../src/domain/registry';
import { buildSummary, type EvaluationFacts } from '../../src/domain/summary';
import { openSqlite } from '../../src/store/sqlite';
import { summaryCard } from '../../src/summary/card';
import { loadFacts, newFactsCache } from '../../src/summary/load';
import { summaryXlsx } from '../../src/summary/xlsx';

const N = 10_000;

/** The longest the event loop was held (ms) while each ran, filled by benchSummary. */
export const blocks: Record<string, number> = {};

async function maxBlockMs<T>(f: () => Promise<T>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await f();
  await new Promise((r) => setImmediate(r));
  h.disable();
  return h.max / 1e6;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timeIt(runs: number, f: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

function variants(): { scored: AnswerFacts; filling: AnswerFacts; empty: AnswerFacts } {
  const t = defaultTemplate();
  const a = examples['wuhua-2024'].answers;
  const partial = Object.fromEntries(Object.entries(a).filter(([k]) => !k.startsWith('goals.') && !k.startsWith('ind.')));
  return {
    scored: answerFacts(t, a, { scored: true }),
    filling: answerFacts(t, partial, { scored: false }),
    empty: answerFacts(t, { 'project.name': '新项目' }, { scored: false }),
  };
}

export function syntheticFacts(n = N): EvaluationFacts[] {
  const v = variants();
  return Array.from({ length: n }, (_, i) => {
    const base = i % 3 === 0 ? v.scored : i % 3 === 1 ? v.filling : v.empty;
    const k = BigInt(i % 97) * 1_000_000n;
    return {
      ...base,
      total: { budget: base.total.budget + k, arrived: base.total.arrived + k, spent: base.total.spent + k / 2n },
      unit: `五华区第${i % 40}街道办事处`,
      id: i + 1,
      projectName: `项目${i + 1}`,
      year: 2024,
      templateId: 'wuhua-2024',
      chatId: `oc_${i}`,
      status: i % 3 === 0 ? 'generated' : 'filling',
      deadline: i % 5 === 0 ? '2025-05-20' : '2025-06-30',
      assignments: [],
    };
  });
}

export async function benchSummary(): Promise<string[]> {
  const lines: string[] = [];
  const facts = syntheticFacts();
  const today = '2025-06-05';
  await timeIt(5, () => buildSummary(facts, {}, today)); // warm-up
  const build = await timeIt(21, () => buildSummary(facts, { year: 2024 }, today));
  const withCard = await timeIt(21, () => summaryCard(buildSummary(facts, { year: 2024 }, today)));
  const s = buildSummary(facts, { year: 2024 }, today);
  lines.push(`汇总（纯函数，${N} 个评价）：中位数 ${ms(median(build))}，含卡片 ${ms(median(withCard))}（目标 < 200 ms）`);
  lines.push(`  行 ${s.rows.length}，逾期 ${s.overdue.length}，执行率低于90% ${s.underNinety.length}，卡片 ${(Buffer.byteLength(JSON.stringify(summaryCard(s))) / 1024).toFixed(1)} KB`);

  const t = defaultTemplate();
  const a = examples['wuhua-2024'].answers;
  const scored = await timeIt(200, () => answerFacts(t, a, { scored: true }));
  const filling = await timeIt(200, () => answerFacts(t, a, { scored: false }));
  lines.push(
    `每个评价的数字（由答案算出，按答案版本缓存）：已评分 ${median(scored).toFixed(2)} ms，填写中 ${median(filling).toFixed(2)} ms；` +
      `10,000 个全部重算约 ${((median(scored) / 3 + (median(filling) * 2) / 3) * N / 1000).toFixed(1)} s（只在重启后第一次）`,
  );

  const xlsx = await timeIt(3, () => summaryXlsx(s));
  lines.push(`汇总表 .xlsx（${N} 行）：中位数 ${ms(median(xlsx))}，${((await summaryXlsx(s)).length / 1024).toFixed(0)} KB`);

  lines.push(...(await benchLoad()));
  return lines;
}

/** 10,000 evaluations in a SQLite file (project, funds and a few answers each), loaded cold and warm. */
async function benchLoad(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-summary-'));
  const opened = openSqlite(join(dir, 'bench.sqlite'));
  try {
    const raw = opened.db.$client;
    const a = examples['wuhua-2024'].answers;
    const keep = Object.entries(a).filter(([k]) => /^(project|lineItems|sources|funds|goals)\b/.test(k));
    const insertEv = raw.prepare(
      `insert into evaluations (template_id, template_version, year, project_name, chat_id, status, deadline, answers_version, created_by, created_at, updated_at)
       values ('wuhua-2024', '1', 2024, ?, ?, ?, ?, 1, 'ou_bench', 0, 0)`,
    );
    const insertAnswer = raw.prepare(
      `insert into answers (evaluation_id, path, value, updated_by, updated_by_name, updated_at) values (?, ?, ?, 'ou_bench', '基准', 0)`,
    );
    const t0 = performance.now();
    raw.transaction(() => {
      for (let i = 0; i < N; i++) {
        const id = Number(insertEv.run(`项目${i + 1}`, `oc_${i}`, i % 3 === 0 ? 'generated' : 'filling', i % 5 === 0 ? '2025-05-20' : null).lastInsertRowid);
        for (const [path, value] of keep) insertAnswer.run(id, path, JSON.stringify(path === 'project.unit' ? `五华区第${i % 40}街道办事处` : value));
      }
    })();
    const seeded = performance.now() - t0;
    const cache = newFactsCache();
    const templates = [defaultTemplate()];
    // as 汇总 loads them: no assignments (the summary does not show them)
    const load = () => loadFacts(opened.store, { templates, cache, assignmentsFor: () => false });
    blocks.loadCold = await maxBlockMs(load);
    cache.clear();
    const cold = await timeIt(1, load);
    const warm = await timeIt(5, load);
    blocks.loadWarm = await maxBlockMs(load);
    const facts = await load();
    blocks.summaryWarm = await maxBlockMs(async () => summaryCard(buildSummary(await load(), {}, beijingDate(Date.now()))));
    blocks.xlsx = await maxBlockMs(() => summaryXlsx(buildSummary(facts, {}, beijingDate(Date.now()))));
    const build = await timeIt(11, () => buildSummary(facts, {}, beijingDate(Date.now())));
    // one scheduler tick: a minute with nothing due (a Sunday evening), and the 09:00 when 2,000 are overdue
    const quiet = await timeIt(5, () => previewReminders(opened.store, beijingInstant('2025-05-25', '20:00'), { templates, cache }));
    const digest = await timeIt(5, () => previewReminders(opened.store, beijingInstant('2025-05-21', '09:00'), { templates, cache }));
    blocks.reminderQuiet = await maxBlockMs(() => previewReminders(opened.store, beijingInstant('2025-05-25', '20:00'), { templates, cache }));
    blocks.reminderDigest = await maxBlockMs(() => previewReminders(opened.store, beijingInstant('2025-05-21', '09:00'), { templates, cache }));
    return [
      `事件循环最长被占用：载入（冷）${ms(blocks.loadCold)}，载入（热）${ms(blocks.loadWarm)}，汇总卡片 ${ms(blocks.summaryWarm)}，.xlsx ${ms(blocks.xlsx)}；提醒扫描 无到期 ${ms(blocks.reminderQuiet)}，2,000 个到期 ${ms(blocks.reminderDigest)}`,
      `从 SQLite 载入 ${N} 个评价（每个 ${keep.length} 个答案，写入 ${ms(seeded)}）：冷（算数字）${ms(cold[0])}，热（数字已缓存）中位数 ${ms(median(warm))}；再汇总 ${ms(median(build))}`,
      `提醒调度一次（${N} 个评价，不发送）：无到期 ${ms(median(quiet))}，2,000 个逾期评价到期那一分钟 ${ms(median(digest))}`,
    ];
  } finally {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /bench[\\/]summary\.ts$/.test(process.argv[1])) {
  for (const line of await benchSummary()) process.stdout.write(`${line}\n`);
}
