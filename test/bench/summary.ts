// 汇总 and the reminder pass over 10,000 evaluations in a real SQLite file, as the bot
// runs them: a leader's 汇总 through bot.handle (facts, 整改 counts, card and .xlsx),
// warm (same process again), after a restart (a new process on the same file) and the
// very first time (every figure derived from the answers); the reminder pass at a quiet
// minute and at the 09:00 when 2,000 are overdue, with the queries it makes, and under
// D1's per-invocation limits (through the D1 shim: the store's D1 code on SQLite).
// Each with the longest the event loop was held (./loopProbe: CPU and wall clock).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import * as schema from '../../db/schema';
import { createBot } from '../../src/bot';
import type { Input, Output } from '../../src/conversation/types';
import { beijingInstant } from '../../src/domain/calendar';
import { answerFacts } from '../../src/domain/evaluationFacts';
import { defaultTemplate, examples } from '../../src/domain/registry';
import { runReminders, newFactsCache } from '../../src/reminders';
import { countQueries } from '../../src/runtime/worker/queries';
import { createStore, type Store } from '../../src/store';
import { CHUNK_SIZE } from '../../src/summary/load';
import { openSqlite } from '../../src/store/sqlite';
import { D1Shim } from '../store/d1-shim';
import { type Held, held } from './loopProbe';
import { countSql } from './sqlCount';

export const N = 10_000;
const LEADER = { userId: 'ou_bench_leader', name: '赵局长' };
const TODAY = '2025-06-05';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;
/** "CPU x ms (wall y ms), loop held ≤ m ms of its thread's CPU (c ms process CPU / w ms wall)" */
export const heldText = (h: Pick<Held<unknown>, 'cpuMs' | 'wallMs' | 'maxCpuMs' | 'maxMainMs' | 'maxWallMs'>) =>
  `CPU ${ms(h.cpuMs)}（墙钟 ${ms(h.wallMs)}），最长占用事件循环 ${ms(h.maxMainMs)}（主线程 CPU；进程 CPU ${ms(h.maxCpuMs)} / 墙钟 ${ms(h.maxWallMs)}）`;

export interface SummaryFigures {
  first: Held<number>;
  warm: Held<number>[];
  /** warm, with one evaluation's answer changed before each (its row, so the .xlsx, differs) */
  changed: Held<number>[];
  /** 逾期 through the bot, warm (after the 汇总 runs), as of the 汇总's day: its value is how many are overdue; the card lists the earliest 50 */
  overdue: Held<number>[];
  restart: Pick<Held<number>, 'cpuMs' | 'wallMs' | 'maxCpuMs' | 'maxMainMs' | 'maxWallMs'> & { processCpuMs: number };
  xlsxKb: number;
  /** floors: reading what 汇总 shows of every evaluation (the narrow scan), and that plus the stored facts' briefs (a restart) */
  floor: { scanCpuMs: number; storedCpuMs: number };
  quiet: Held<unknown>;
  due: Held<unknown> & { queued: number; statements: number };
  again: Held<unknown> & { statements: number };
  d1Paid: { runs: number; maxQueries: number; queued: number };
  d1Free: { runs: number; maxQueries: number; queued: number };
  perEvaluationMs: { scored: number; filling: number };
}

/**
 * 10,000 evaluations in a SQLite file: project, funds and goals answered (17 answers);
 * every fifth one due 2025-05-20 and still being filled (2,000 overdue), the rest due
 * 2025-05-31 by the year's default, a third of those scored; two 整改 items each on the scored ones.
 */
export function seed(file: string): void {
  const opened = openSqlite(file);
  const raw = opened.db.$client;
  const a = examples['wuhua-2024'].answers;
  const keep = Object.entries(a).filter(([k]) => /^(project|lineItems|sources|funds|goals)\b/.test(k));
  const insertEv = raw.prepare(
    `insert into evaluations (template_id, template_version, year, project_name, chat_id, status, deadline, answers_version, documents_version, created_by, created_at, updated_at)
     values ('wuhua-2024', '1', 2024, ?, ?, ?, ?, 1, ?, 'ou_bench', 0, 0)`,
  );
  const insertAnswer = raw.prepare(`insert into answers (evaluation_id, path, value, updated_by, updated_by_name, updated_at) values (?, ?, ?, 'ou_bench', '基准', 0)`);
  const insertItem = raw.prepare(
    `insert into rect_items (evaluation_id, seq, category, category_label, description, unit, status, due_date, source_key, created_by, created_at, updated_at)
     values (?, ?, 'budget', '预算执行', '预算执行率未达到100%', ?, ?, ?, '', 'ou_bench', 0, 0)`,
  );
  raw.transaction(() => {
    raw.prepare(`insert into default_deadlines (year, template_id, deadline, set_by, set_at) values (2024, '', '2025-05-31', 'ou_bench', 0)`).run();
    raw.prepare(`insert into roles (user_id, role, user_name, granted_by, granted_at) values (?, 'leader', ?, 'ou_bench', 0)`).run(LEADER.userId, LEADER.name);
    for (let i = 0; i < N; i++) {
      const overdue = i % 5 === 0;
      const scored = !overdue && i % 3 === 0;
      const unit = `五华区第${i % 40}街道办事处`;
      const id = Number(insertEv.run(`项目${i + 1}`, `oc_${i}`, scored ? 'generated' : 'filling', overdue ? '2025-05-20' : null, scored ? 1 : null).lastInsertRowid);
      for (const [path, value] of keep) insertAnswer.run(id, path, JSON.stringify(path === 'project.unit' ? unit : value));
      if (scored) {
        insertItem.run(id, 1, unit, 'todo', '2025-06-01');
        insertItem.run(id, 2, unit, i % 2 ? 'done' : 'doing', '2025-09-30');
      }
    }
  })();
  opened.close();
}

const leaderSays = (text: string, now: number): Input => ({
  actor: LEADER,
  place: { chatId: `p2p_${LEADER.userId}`, chatType: 'p2p' },
  message: { type: 'text', text },
  now,
});

/** 汇总 through the bot; returns the .xlsx size in bytes. */
export async function summaryOnce(bot: { handle(i: Input): Promise<Output> }, now: number): Promise<number> {
  const out = await bot.handle(leaderSays('汇总', now));
  const file = out.messages.find((m) => m.type === 'file');
  if (!file || file.type !== 'file' || out.messages[0].type !== 'card') throw new Error('汇总 did not answer with a card and an .xlsx');
  return file.bytes.length;
}

/** 逾期 through the bot; returns how many overdue evaluations its card counts. */
async function overdueOnce(bot: { handle(i: Input): Promise<Output> }, now: number): Promise<number> {
  const out = await bot.handle(leaderSays('逾期', now));
  const total = /共 \*\*(\d+)\*\* 项评价已过截止日期/.exec(JSON.stringify(out.messages[0]))?.[1];
  if (!total) throw new Error('逾期 did not answer with its card');
  return Number(total);
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The least a 汇总 that sees every writer's changes reads: the narrow scan of all; after a restart, also every stored brief. */
async function floors(store: Store): Promise<SummaryFigures['floor']> {
  const best = async (work: () => Promise<void>) => {
    let min = Infinity;
    for (let i = 0; i < 3; i++) {
      const c = cpuNow();
      await work();
      min = Math.min(min, cpuNow() - c);
    }
    return min;
  };
  const scan = async (withStored: boolean) => {
    for (let after = 0; ; ) {
      const page = await store.scanSummaryRows(undefined, after, store.scanPageSize);
      if (withStored) for (let i = 0; i < page.length; i += CHUNK_SIZE) await store.storedSummaryFactsOf(page.slice(i, i + CHUNK_SIZE).map((r) => r.id));
      if (page.length < store.scanPageSize) return;
      after = page[page.length - 1].id;
    }
  };
  return { scanCpuMs: await best(() => scan(false)), storedCpuMs: await best(() => scan(true)) };
}

/** The reminder pass through the store's D1 code (the shim over this file) with a query limit, run by run until done. */
async function d1Passes(file: string, limit: number, at: number): Promise<{ runs: number; maxQueries: number; queued: number }> {
  const raw = new Database(file);
  raw.pragma('foreign_keys = ON');
  try {
    let runs = 0;
    let maxQueries = 0;
    let queued = 0;
    for (let done = false; !done && runs < 100; ) {
      const q = countQueries(new D1Shim(raw) as never);
      const store = createStore(drizzleD1(q.db as never, { schema }), 'd1');
      // as the Worker's scheduled handler: the reminders may use 60% of the invocation's queries
      const r = await runReminders(store, at + runs * 60_000, { budget: q.budget(Math.floor(limit * 0.6) - 1) });
      runs++;
      maxQueries = Math.max(maxQueries, q.used());
      queued += r.queued.length;
      done = r.complete;
    }
    return { runs, maxQueries, queued };
  } finally {
    raw.close();
  }
}

export async function benchSummary(log: (s: string) => void = () => {}): Promise<SummaryFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-summary-'));
  const file = join(dir, 'bench.sqlite');
  try {
    const t0 = performance.now();
    seed(file);
    log(`写入 ${N} 个评价（每个 17 个答案）：${ms(performance.now() - t0)}`);
    const copy = (name: string) => {
      const to = join(dir, name);
      execFileSync('cp', [file, to]);
      return to;
    };
    // the D1 runs start from the same state, before any figure was derived and stored
    const paidFile = copy('paid.sqlite');
    const freeFile = copy('free.sqlite');
    const opened = openSqlite(file);
    const now = beijingInstant(TODAY, '10:00');
    let figures: Partial<SummaryFigures> = {};
    try {
      const bot = createBot({ store: opened.store, admins: [] });
      figures.first = await held(() => summaryOnce(bot, now));
      log(`汇总（第一次：每个评价的数字由答案算出并存下）：${heldText(figures.first)}`);
      figures.warm = [];
      for (let i = 0; i < 5; i++) figures.warm.push(await held(() => summaryOnce(bot, now)));
      figures.xlsxKb = figures.warm[0].value / 1024;
      log(`汇总（热，同一进程再次，内容没变：.xlsx 复用）：${figures.warm.map((h) => `${ms(h.cpuMs)}`).join(' / ')} CPU；最长占用事件循环 ${ms(Math.max(...figures.warm.map((h) => h.maxMainMs)))} 主线程 CPU（进程 ${ms(Math.max(...figures.warm.map((h) => h.maxCpuMs)))}）；.xlsx ${figures.xlsxKb.toFixed(0)} KB`);
      figures.changed = [];
      for (let i = 0; i < 5; i++) {
        // someone answered in between: one evaluation's unit changed, so its row and the .xlsx differ
        await opened.store.applyAnswers(1 + i * 7, [{ path: 'project.unit', value: `五华区新单位${i}` }], { userId: 'ou_bench', name: '基准' }, { now, via: 'text' });
        figures.changed.push(await held(() => summaryOnce(bot, now)));
      }
      figures.overdue = [];
      for (let i = 0; i < 5; i++) figures.overdue.push(await held(() => overdueOnce(bot, now)));
      log(`逾期（热，${figures.overdue[0].value} 个逾期，卡片列出最早的 50 个）：${figures.overdue.map((h) => `${ms(h.cpuMs)}`).join(' / ')} CPU；最长占用事件循环 ${ms(Math.max(...figures.overdue.map((h) => h.maxMainMs)))} 主线程 CPU`);
      figures.floor = await floors(opened.store);
      log(`下限：读一遍 ${N} 个评价在汇总里显示的列 CPU ${ms(figures.floor.scanCpuMs)}；再读存下的数字（重启后要读的）共 CPU ${ms(figures.floor.storedCpuMs)}`);
      log(`汇总（热，每次之前有一个评价改了答案：重算那一个、重写 .xlsx）：${figures.changed.map((h) => `${ms(h.cpuMs)}`).join(' / ')} CPU；最长占用事件循环 ${ms(Math.max(...figures.changed.map((h) => h.maxMainMs)))} 主线程 CPU（进程 ${ms(Math.max(...figures.changed.map((h) => h.maxCpuMs)))}）`);
    } finally {
      opened.close();
    }
    // after a restart: a new process on the same file, its first 汇总
    const child = fileURLToPath(new URL('./summaryRestart.ts', import.meta.url));
    figures.restart = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', child, file, String(now)], { encoding: 'utf8' }));
    log(`汇总（重启后第一次，新进程）：${heldText(figures.restart!)}；进程启动到答复共 CPU ${ms(figures.restart!.processCpuMs)}`);

    // the reminder pass
    const reopened = openSqlite(file);
    try {
      const count = countSql();
      const cache = newFactsCache();
      figures.quiet = await held(() => runReminders(reopened.store, beijingInstant('2025-05-25', '20:00'), { cache }));
      const at = beijingInstant('2025-05-21', '09:00');
      count.reset();
      const due = await held(() => runReminders(reopened.store, at, { cache }));
      const dueStatements = count.reset().statements;
      figures.due = { ...due, queued: due.value.queued.length, statements: dueStatements };
      const again = await held(() => runReminders(reopened.store, at + 60_000, { cache }));
      figures.again = { ...again, statements: count.reset().statements };
      log(`提醒扫描，无到期：${heldText(figures.quiet)}`);
      log(`提醒扫描，2,000 个逾期到期的 09:00：排队 ${figures.due.queued} 条，SQL ${figures.due.statements} 条；${heldText(figures.due)}`);
      log(`提醒扫描，下一分钟（都已发过）：SQL ${figures.again.statements} 条；${heldText(figures.again)}`);
    } finally {
      reopened.close();
    }
    const at = beijingInstant('2025-05-21', '09:00');
    figures.d1Paid = await d1Passes(paidFile, 1000, at);
    figures.d1Free = await d1Passes(freeFile, 50, at);
    log(`D1（每次调用上限 1,000）：${figures.d1Paid.runs} 次调用排完 ${figures.d1Paid.queued} 条，单次最多 ${figures.d1Paid.maxQueries} 次查询`);
    log(`D1 免费版（上限 50）：${figures.d1Free.runs} 次调用（每分钟一次）排完 ${figures.d1Free.queued} 条，单次最多 ${figures.d1Free.maxQueries} 次查询`);

    const t = defaultTemplate();
    const a = examples['wuhua-2024'].answers;
    const per = (scored: boolean) => {
      const xs: number[] = [];
      for (let i = 0; i < 50; i++) {
        const s = performance.now();
        answerFacts(t, a, { scored });
        xs.push(performance.now() - s);
      }
      return median(xs);
    };
    figures.perEvaluationMs = { scored: per(true), filling: per(false) };
    log(`每个评价的数字由全部答案（${Object.keys(a).length} 个）算出：已评分 ${figures.perEvaluationMs.scored.toFixed(2)} ms，填写中 ${figures.perEvaluationMs.filling.toFixed(2)} ms（按答案版本存下，只在答案变了之后重算）`);
    return figures as SummaryFigures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /bench[\\/]summary\.ts$/.test(process.argv[1])) {
  await benchSummary((s) => process.stdout.write(`${s}\n`));
}
