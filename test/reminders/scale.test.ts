// The long passes at scale, on small sizes (npm run bench does 10,000): the reminder
// pass makes a number of queries that grows with chunks of 100, not with reminders;
// under a per-invocation budget (D1's 50 / 1,000) it stops and the next runs carry on,
// each reminder queued once; the passes hand the event loop back; derived facts are
// stored, so a restarted process reads them instead of every answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema';
import { createBot } from '../../src/bot';
import { beijingInstant } from '../../src/domain/calendar';
import { examples, templates } from '../../src/domain/registry';
import { runReminders } from '../../src/reminders';
import { countQueries } from '../../src/runtime/worker/queries';
import { createStore, type Store } from '../../src/store';
import { openSqlite } from '../../src/store/sqlite';
import { loadFacts, newFactsCache } from '../../src/summary/load';
import { D1Shim } from '../store/d1-shim';

const AT = beijingInstant('2025-05-21', '09:00'); // the day after the overdue ones' deadline

/** `overdue` evaluations due 2025-05-20 and being filled, `quiet` ones due 2025-12-31, one leader. */
function seed(file: string, overdue: number, quiet = 20): void {
  const o = openSqlite(file);
  const raw = o.db.$client;
  const answers = Object.entries(examples['wuhua-2024'].answers).filter(([k]) => /^(project|funds)\b/.test(k));
  const ev = raw.prepare(
    `insert into evaluations (template_id, template_version, year, project_name, chat_id, status, deadline, answers_version, created_by, created_at, updated_at)
     values ('wuhua-2024', '1', 2024, ?, ?, 'filling', ?, 1, 'ou_x', 0, 0)`,
  );
  const answer = raw.prepare(`insert into answers (evaluation_id, path, value, updated_by, updated_by_name, updated_at) values (?, ?, ?, 'ou_x', '张三', 0)`);
  raw.transaction(() => {
    raw.prepare(`insert into roles (user_id, role, user_name, granted_by, granted_at) values ('ou_leader', 'leader', '赵局长', 'ou_admin', 0)`).run();
    for (let i = 0; i < overdue + quiet; i++) {
      const id = Number(ev.run(`项目${i}`, `oc_${i}`, i < overdue ? '2025-05-20' : '2025-12-31').lastInsertRowid);
      for (const [path, value] of answers) answer.run(id, path, JSON.stringify(value));
    }
  })();
  o.close();
}

/** The store's D1 code over the shim, every query counted as the Worker counts them. */
function overD1(file: string) {
  const raw = new Database(file);
  raw.pragma('foreign_keys = ON');
  const queries = countQueries(new D1Shim(raw) as never);
  return { store: createStore(drizzleD1(queries.db as never, { schema }), 'd1'), queries, close: () => raw.close() };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jixiao-scale-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the reminder pass on D1', () => {
  it('makes queries per chunk of 100 evaluations, not per reminder', async () => {
    const used: Record<number, number> = {};
    for (const n of [110, 330]) {
      const file = join(dir, `chunks-${n}.sqlite`);
      seed(file, n);
      const d = overD1(file);
      try {
        const r = await runReminders(d.store, AT);
        expect(r.complete).toBe(true);
        expect(r.queued).toHaveLength(n + 1); // each overdue chat, and the leader's digest
        used[n] = d.queries.used();
      } finally {
        d.close();
      }
    }
    // the old pass made about 3 queries per reminder (≈ 1,000 for 330)
    expect(used[330]).toBeLessThan(60);
    expect(used[330] - used[110]).toBeLessThanOrEqual(2 * 9); // two more chunks of 100 (a third one may start)
  });

  it('stops at its budget and carries the rest over to the next runs, each reminder once', async () => {
    const file = join(dir, 'budget.sqlite');
    seed(file, 250);
    const perRun: number[] = [];
    const queued: string[] = [];
    let complete = false;
    for (let run = 0; run < 20 && !complete; run++) {
      const d = overD1(file);
      try {
        const r = await runReminders(d.store, AT + run * 60_000, { budget: d.queries.budget(20) });
        perRun.push(d.queries.used());
        queued.push(...r.queued.map((q) => q.key));
        complete = r.complete;
        expect(r.alreadyQueued).toBe(0);
      } finally {
        d.close();
      }
    }
    expect(complete).toBe(true);
    expect(perRun.length).toBeGreaterThan(1); // one run could not do it all
    for (const n of perRun) expect(n).toBeLessThanOrEqual(20);
    expect(queued).toHaveLength(251);
    expect(new Set(queued).size).toBe(251);
    expect(queued.filter((k) => k.startsWith('leader:'))).toEqual(['leader:ou_leader:2025-05-21']);
    const o = openSqlite(file);
    try {
      expect(await o.store.pendingCount()).toBe(251);
      expect((await runReminders(o.store, AT + 3_600_000)).queued).toEqual([]);
    } finally {
      o.close();
    }
  });
});

describe('the long passes on SQLite', () => {
  let file: string;
  beforeAll(() => {
    file = join(dir, 'loop.sqlite');
    seed(file, 120, 120);
  });

  /** Runs `work` and counts how often a timer got the event loop meanwhile. */
  async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
    let ticks = 0;
    let on = true;
    const loop = () => {
      if (!on) return;
      ticks++;
      setTimeout(loop, 0);
    };
    setTimeout(loop, 0);
    await new Promise((r) => setTimeout(r, 5));
    const before = ticks;
    await work();
    on = false;
    return ticks - before;
  }

  it('the reminder pass and 汇总 hand the event loop back while they work', async () => {
    const o = openSqlite(file);
    try {
      // better-sqlite3 is synchronous: without yields, no timer could run during either
      expect(await ticksDuring(() => runReminders(o.store, AT))).toBeGreaterThan(3);
      await o.store.setRole('ou_leader2', 'leader', '钱科长', 'ou_admin', 0);
      const bot = createBot({ store: o.store, admins: [] });
      const ask = () => bot.handle({ actor: { userId: 'ou_leader2', name: '钱科长' }, place: { chatId: 'p2p_x', chatType: 'p2p' }, message: { type: 'text', text: '汇总' }, now: AT });
      let out: Awaited<ReturnType<typeof ask>> | undefined;
      expect(await ticksDuring(async () => (out = await ask()))).toBeGreaterThan(3);
      expect(out!.messages.map((m) => m.type)).toEqual(['card', 'file']);
    } finally {
      o.close();
    }
  });

  it('汇总 asked again reuses the .xlsx while nothing it shows changed, and writes a new one when something did', async () => {
    const o = openSqlite(file);
    try {
      await o.store.setRole('ou_leader3', 'leader', '孙处长', 'ou_admin', 0);
      const bot = createBot({ store: o.store, admins: [] });
      const xlsx = async () => {
        const out = await bot.handle({ actor: { userId: 'ou_leader3', name: '孙处长' }, place: { chatId: 'p2p_y', chatType: 'p2p' }, message: { type: 'text', text: '汇总 2024' }, now: AT });
        const f = out.messages.find((m) => m.type === 'file');
        return f?.type === 'file' ? f.bytes : undefined;
      };
      const a = await xlsx();
      expect(await xlsx()).toBe(a); // the very bytes, not written again
      await o.store.applyAnswers(3, [{ path: 'project.unit', value: '五华区另一单位' }], { userId: 'ou_x', name: '张三' }, { now: AT, via: 'text' });
      const b = await xlsx();
      expect(b).not.toBe(a);
      expect(new TextDecoder('latin1').decode(b!)).not.toBe(new TextDecoder('latin1').decode(a!));
    } finally {
      o.close();
    }
  });

  it('stores derived facts: a restarted process reads them, and recomputes only what changed', async () => {
    const o = openSqlite(file);
    try {
      const read: number[][] = [];
      const spy: Store = { ...o.store, answersOf: async (ids: readonly number[]) => (read.push([...ids]), o.store.answersOf(ids)) };
      const first = await loadFacts(spy, { templates, cache: newFactsCache() });
      expect(first).toHaveLength(240);
      read.length = 0;
      // a new process: an empty cache
      const again = await loadFacts(spy, { templates, cache: newFactsCache() });
      expect(read).toEqual([]);
      expect(again.map((f) => [f.id, f.total.budget, f.sectionsDone, f.gaps.length])).toEqual(first.map((f) => [f.id, f.total.budget, f.sectionsDone, f.gaps.length]));
      const id = first[7].id;
      await o.store.applyAnswers(id, [{ path: 'project.unit', value: '五华区新单位' }], { userId: 'ou_x', name: '张三' }, { now: AT, via: 'text' });
      const third = await loadFacts(spy, { templates, cache: newFactsCache() });
      expect(read.flat()).toEqual([id]);
      expect(third.find((f) => f.id === id)!.unit).toBe('五华区新单位');
    } finally {
      o.close();
    }
  });
});
