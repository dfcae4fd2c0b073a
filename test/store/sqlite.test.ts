// openSqlite on a real file: migrations, pragmas, several connections, atomic writes.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answers } from '../../db/schema';
import { makeAtomic } from '../../src/store/atomic';
import { makeSql } from '../../src/store/sql';
import type { Driver } from '../../src/store/index';
import { openSqlite } from '../../src/store/sqlite';
import { alice, bob, newEvaluation, openWith, tempDir } from './helpers';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const tables = (raw: { prepare(sql: string): { all(): unknown[] } }) =>
  (raw.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as { name: string }[]).map((r) => r.name);

describe('openSqlite', () => {
  it('migrates a fresh file, creating missing folders', () => {
    const file = join(t.dir, 'nested', 'deeper', 'bot.sqlite');
    const o = openSqlite(file);
    expect(existsSync(file)).toBe(true);
    expect(tables(o.db.$client)).toEqual([
      '__drizzle_migrations', 'answer_history', 'answers', 'assignments', 'default_deadlines', 'dialog_states', 'documents',
      'evaluation_facts', 'evaluations', 'handled_events', 'inbox', 'leases', 'members', 'outbox', 'problems', 'rect_history', 'rect_items', 'reminders_sent', 'role_history', 'roles',
    ]);
    o.close();
  });

  it('re-opening is idempotent and keeps the data', async () => {
    const file = join(t.dir, 'bot.sqlite');
    const a = openSqlite(file);
    const ev = await newEvaluation(a.store);
    await a.store.applyAnswers(ev.id, [{ path: 'a', value: 1 }], alice, { now: 2_000, via: 'text' });
    const applied = a.db.$client.prepare('select count(*) as n from __drizzle_migrations').get();
    a.close();
    const b = openSqlite(file);
    expect(b.db.$client.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual(applied);
    expect(await b.store.getAnswers(ev.id)).toEqual({ a: 1 });
    b.close();
  });

  it('sets WAL, foreign keys, busy timeout and synchronous NORMAL', async () => {
    const o = openSqlite(join(t.dir, 'bot.sqlite'));
    const raw = o.db.$client;
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(raw.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    // foreign_keys really enforced: a problem for a missing evaluation is refused.
    await expect(o.store.addProblem(42, { category: '管理', description: 'x' }, alice.userId, 1)).rejects.toThrow(/FOREIGN KEY/);
    o.close();
  });

  it("accepts ':memory:'", async () => {
    const o = openSqlite(':memory:');
    const ev = await newEvaluation(o.store);
    expect((await o.store.getEvaluation(ev.id))!.projectName).toBe('农村公路养护');
    o.close();
  });

  it('finds its migrations from any working directory', () => {
    const file = join(t.dir, 'cwd.sqlite');
    const script = join(t.dir, 'open.ts');
    const storeUrl = pathToFileURL(join(import.meta.dirname, '../../src/store/sqlite.ts')).href;
    writeFileSync(script, `import { openSqlite } from ${JSON.stringify(storeUrl)};\nopenSqlite(${JSON.stringify(file)}).close();\nconsole.log('ok');\n`);
    const tsx = import.meta.resolve('tsx');
    const out = execFileSync(process.execPath, ['--import', tsx, script], { cwd: t.dir, encoding: 'utf8' });
    expect(out.trim()).toBe('ok');
    const o = openSqlite(file);
    expect(tables(o.db.$client)).toContain('evaluations');
    o.close();
  });
});

describe('two connections to one file (two processes)', () => {
  it('each sees what the other committed', async () => {
    const file = join(t.dir, 'bot.sqlite');
    const a = openSqlite(file);
    const b = openSqlite(file);
    const ev = await newEvaluation(a.store);
    await a.store.applyAnswers(ev.id, [{ path: 'a', value: 'from a' }], alice, { now: 2_000, via: 'text' });
    expect(await b.store.getAnswers(ev.id)).toEqual({ a: 'from a' });

    const r = await b.store.applyAnswers(ev.id, [{ path: 'a', value: 'from b' }], bob, { now: 3_000, via: 'text' });
    expect(r.changed[0].previousBy?.userId).toBe(alice.userId);
    expect((await a.store.getEvaluation(ev.id))!.answersVersion).toBe(2);

    expect(await a.store.markHandled('event:e1', 1)).toBe(true);
    expect(await b.store.markHandled('event:e1', 2)).toBe(false);
    a.close();
    b.close();
  });
});

describe.each<Driver>(['sqlite', 'd1'])('atomic (%s)', (driver) => {
  it('a foreign key violation in the middle rolls back the statements before it', async () => {
    const o = openWith(driver, join(t.dir, 'bot.sqlite'));
    const ev = await newEvaluation(o.store);
    const row = (evaluationId: number, path: string) => ({ evaluationId, path, value: '1', updatedBy: 'u', updatedByName: 'U', updatedAt: 1 });
    const atomic = makeAtomic(makeSql(o.db, driver));
    await expect(
      atomic([
        o.db.insert(answers).values(row(ev.id, 'first')),
        o.db.insert(answers).values(row(999, 'orphan')), // no evaluation 999
        o.db.insert(answers).values(row(ev.id, 'last')),
      ]),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await o.store.getAnswers(ev.id)).toEqual({});

    await atomic([o.db.insert(answers).values(row(ev.id, 'first')), o.db.insert(answers).values(row(ev.id, 'last'))]);
    expect(Object.keys(await o.store.getAnswers(ev.id))).toEqual(['first', 'last']);
    o.close();
  });
});
