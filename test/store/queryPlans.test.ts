// The hot path's queries use their indexes: a plan that scans a table or sorts every
// pending row is slow only once the tables are big, so it is checked here, not noticed later.
import { describe, expect, it } from 'vitest';
import { LOAD_CHAT } from '../../src/store/chat';
import { DUE, DUE_ORDER } from '../../src/store/outbox';
import { openSqlite } from '../../src/store/sqlite';

const plan = (sql: string, params: unknown[]) => {
  const o = openSqlite(':memory:');
  try {
    return (o.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  } finally {
    o.close();
  }
};

describe('query plans', () => {
  it('the sender’s next batch is read in order from outbox_due_idx, not sorted from every pending row', () => {
    const steps = plan(`${DUE} ${DUE_ORDER}`, [1, 1, 50]);
    expect(steps[0]).toMatch(/outbox_due_idx/);
    expect(steps.join('\n')).not.toMatch(/TEMP B-TREE|SCAN/);
  });

  it('a chat’s view reads its evaluation’s problems by index, not the whole table', () => {
    const steps = plan(LOAD_CHAT, ['oc', 'oc', 'ou']);
    expect(steps.some((s) => /SEARCH problems USING INDEX problems_evaluation_idx/.test(s))).toBe(true);
    expect(steps.filter((s) => /^SCAN (?!one|CONSTANT|\(subquery)/.test(s))).toEqual([]);
  });
});
