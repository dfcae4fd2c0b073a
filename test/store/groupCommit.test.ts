// Group commit: writes made side by side share one SQLite transaction, each in its own
// savepoint, so one that fails is rolled back and refused alone. Real SQLite files.
import { describe, expect, it } from 'vitest';
import { GROUP_LIMIT } from '../../src/store/groupCommit';
import { makeSql, SqlStatement } from '../../src/store/sql';
import { countSql } from '../bench/sqlCount';
import { alice, bob, newEvaluation, openWith, storePerTest, type Opened } from './helpers';

const counter = countSql();
const queue = (uuid: string, chat = 'oc_chat1') =>
  new SqlStatement(`insert into outbox (chat_id, kind, payload, uuid, next_attempt_at, created_at) values (?, 'text', '{}', ?, 0, 0)`, [chat, uuid]);
const uuids = (o: Opened) => (o.raw.prepare('select uuid from outbox order by id').all() as { uuid: string }[]).map((r) => r.uuid);

describe('group commit (sqlite)', () => {
  const o = storePerTest('sqlite');

  it('commits writes made at the same time in one transaction, each caller told after the commit', async () => {
    const sql = makeSql(o.db, 'sqlite');
    counter.reset();
    const writes = Array.from({ length: 10 }, (_, i) => sql.groupCommit([queue(`u${i}`), queue(`v${i}`)]));
    // nothing is visible before the commit: callers are answered only once it is durable
    expect(uuids(o)).toEqual([]);
    await Promise.all(writes);
    expect(counter.reset().commits).toBe(1);
    expect(uuids(o)).toHaveLength(20);
  });

  it('bounds a transaction to GROUP_LIMIT writes, the rest in the next ones', async () => {
    const sql = makeSql(o.db, 'sqlite');
    counter.reset();
    await Promise.all(Array.from({ length: GROUP_LIMIT * 2 + 1 }, (_, i) => sql.groupCommit([queue(`u${i}`)])));
    expect(counter.reset().commits).toBe(3);
    expect(uuids(o)).toHaveLength(GROUP_LIMIT * 2 + 1);
  });

  it('rolls back and refuses only the write that failed, with all of its statements', async () => {
    const sql = makeSql(o.db, 'sqlite');
    await sql.groupCommit([queue('taken')]);
    const results = await Promise.allSettled([
      sql.groupCommit([queue('a1'), queue('a2')]),
      // its first statement runs, its second fails (the uuid is unique): neither stays
      sql.groupCommit([queue('b1'), queue('taken')]),
      sql.groupCommit([queue('c1')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(uuids(o)).toEqual(['taken', 'a1', 'a2', 'c1']);
  });

  it('gives each write its statements’ rows: two deliveries of one event at once, one is received', async () => {
    const at = [1, 2, 3].map((i) => o.store.receiveInbound('message:om_1', { n: i }, i));
    expect(await Promise.all(at)).toEqual([true, false, false]);
    expect(await o.store.getInbound('message:om_1')).toMatchObject({ payload: { n: 1 }, done: false });
  });

  it('refuses all when the transaction cannot start (another process holds the lock), and works again after', async () => {
    const other = openWith('sqlite', o.raw.name);
    other.raw.pragma('busy_timeout = 0');
    o.raw.pragma('busy_timeout = 0');
    const sql = makeSql(o.db, 'sqlite');
    other.raw.prepare('BEGIN IMMEDIATE').run();
    const refused = await Promise.allSettled([sql.groupCommit([queue('x1')]), sql.groupCommit([queue('x2')])]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    other.raw.prepare('ROLLBACK').run();
    other.close();
    await sql.groupCommit([queue('y1')]);
    expect(uuids(o)).toEqual(['y1']);
  });
});

describe('members seen again', () => {
  const o = storePerTest('sqlite');
  const seen = () => o.raw.prepare('select user_id as userId, user_name as name, last_seen_at as at from members order by user_id').all();

  it('are written when new, renamed or an hour later, not on every message', async () => {
    await newEvaluation(o.store);
    const write = (now: number, members = [alice, bob]) => o.store.commitMessage({ chatId: 'oc_chat1', userId: alice.userId, now, members });
    await write(1_000);
    counter.reset();
    await write(2_000);
    await write(3_000);
    expect(counter.reset().statements).toBe(0); // nothing to write: not even a transaction
    expect(seen()).toEqual([
      { userId: alice.userId, name: alice.name, at: 1_000 },
      { userId: bob.userId, name: bob.name, at: 1_000 },
    ]);
    await write(4_000, [{ ...alice, name: '张三丰' }, bob]);
    await write(1_000 + 3_600_000, [{ ...alice, name: '张三丰' }, bob]);
    expect(seen()).toEqual([
      { userId: alice.userId, name: '张三丰', at: 4_000 },
      { userId: bob.userId, name: bob.name, at: 3_601_000 },
    ]);
  });

  it('are written again when the write that carried them failed', async () => {
    await newEvaluation(o.store);
    await o.store.enqueueOutgoing([{ chatId: 'oc_chat1', kind: 'text', payload: {}, uuid: 'dup' }], 1);
    const failing = o.store.commitMessage({
      chatId: 'oc_chat1',
      userId: alice.userId,
      now: 1_000,
      members: [alice],
      replies: [{ chatId: 'oc_chat1', kind: 'text', payload: {}, uuid: 'dup' }],
    });
    await expect(failing).rejects.toThrow();
    expect(seen()).toEqual([]);
    await o.store.commitMessage({ chatId: 'oc_chat1', userId: alice.userId, now: 2_000, members: [alice] });
    expect(seen()).toEqual([{ userId: alice.userId, name: alice.name, at: 2_000 }]);
  });
});
