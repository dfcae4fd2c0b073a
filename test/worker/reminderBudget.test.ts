// The Cron Trigger's reminder pass within D1's queries per invocation, in workerd with a
// local D1 on the real bundle: with the free plan's 50 (D1_QUERY_LIMIT), 400 overdue
// evaluations take more than one run; every run stays within 50 queries (each statement
// of a batch counted, as the Worker logs them) and each reminder is queued once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { examples } from '../../src/domain/registry';
import { buildWorker, startWorkerHarness, type WorkerHarness } from './workerd';

const N = 400;
const AT = Date.parse('2025-05-21T01:00:00Z'); // 09:00 in Beijing, the day after their deadline

let h: WorkerHarness;
let build: Awaited<ReturnType<typeof buildWorker>>;
const logs: string[] = [];
beforeAll(async () => {
  build = await buildWorker();
  h = await startWorkerHarness({ build, bindings: { D1_QUERY_LIMIT: '50' }, onLog: (line) => logs.push(line), sendRate: { perChat: 1000, perApp: 1000 } });
  const evaluations = Array.from({ length: N }, (_, i) => [`项目${i}`, `oc_budget_${i}`]);
  await h.d1
    .prepare(
      `INSERT INTO evaluations (template_id, template_version, year, project_name, chat_id, status, deadline, answers_version, created_by, created_at, updated_at)
       SELECT 'wuhua-2024', '1', 2024, json_extract(value, '$[0]'), json_extract(value, '$[1]'), 'filling', '2025-05-20', 1, 'ou_x', 0, 0 FROM json_each(?1)`,
    )
    .bind(JSON.stringify(evaluations))
    .run();
  const answers = Object.entries(examples['wuhua-2024'].answers).filter(([k]) => k.startsWith('project.'));
  await h.d1
    .prepare(
      `INSERT INTO answers (evaluation_id, path, value, updated_by, updated_by_name, updated_at)
       SELECT e.id, json_extract(a.value, '$[0]'), json_extract(a.value, '$[1]'), 'ou_x', '张三', 0 FROM evaluations e, json_each(?1) a`,
    )
    .bind(JSON.stringify(answers.map(([path, value]) => [path, JSON.stringify(value)])))
    .run();
  await h.d1.prepare(`INSERT INTO roles (user_id, role, user_name, granted_by, granted_at) VALUES ('ou_leader', 'leader', '赵局长', 'ou_admin', 0)`).run();
}, 180_000);
afterAll(async () => {
  await h?.close();
  build?.cleanup();
});

const count = async (sql: string) => (await h.d1.prepare(sql).first<{ n: number }>())!.n;

it('queues 400 overdue reminders and the digest over several runs, none over 50 queries, each once', async () => {
  const queuedAfter: number[] = [];
  const queries: number[] = [];
  for (let run = 0; run < 6; run++) {
    const before = logs.length;
    await h.scheduled(AT + run * 60_000);
    const line = logs.slice(before).find((l) => l.includes('[scheduled] D1 查询'));
    expect(line, `run ${run} logged its queries`).toBeDefined();
    queries.push(Number(/D1 查询 (\d+) 次/.exec(line!)![1]));
    queuedAfter.push(await count(`SELECT count(*) AS n FROM reminders_sent`));
  }
  for (const n of queries) expect(n).toBeLessThanOrEqual(50);
  expect(queuedAfter[0]).toBeGreaterThan(0);
  expect(queuedAfter[0]).toBeLessThan(N + 1); // the first run could not do it all within 50 queries
  expect(queuedAfter.at(-1)).toBe(N + 1); // every chat, and the leader's digest
  expect(await count(`SELECT count(*) AS n FROM outbox WHERE priority = 1`)).toBe(N + 1);
  expect(await count(`SELECT count(DISTINCT chat_id) AS n FROM outbox WHERE chat_id LIKE 'oc_budget_%'`)).toBe(N);
  // what reached the platform so far went once each
  const uuids = h.fake.messages.map((m) => m.uuid).filter(Boolean);
  expect(new Set(uuids).size).toBe(uuids.length);
}, 120_000);
