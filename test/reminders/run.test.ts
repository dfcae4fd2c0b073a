// runReminders over a real SQLite file on a fake clock: evaluations set up through
// the real bot (截止, 分配, 默认截止, 设置领导, 提醒 …), a scheduler that runs late,
// restarts (close and reopen the database), two processes racing, and a crash
// between queuing and recording.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../src/domain/calendar';
import { loadReminderState, previewReminders, reminderUuid, runReminders, outboxChatId } from '../../src/reminders';
import type { Reminder } from '../../src/reminders';
import { openSqlite } from '../../src/store/sqlite';
import { outboxItems } from '../../src/conversation/outbox';
import { receiverOf } from '../../src/channels/lark/outgoing';
import { admin, bj, example, exampleWithout, leader, leader2, makeEvaluation, staff, staff2, staff3, texts, world, type World } from './helpers';

const sun = { userId: 'ou_sun', name: '孙五' };

/** Three evaluations: X (own deadline, assignments), Y (year default deadline, nothing assigned), Z (complete). */
async function setUp(w: World, at: number): Promise<{ X: number; Y: number; Z: number }> {
  const t = () => at;
  await w.say(admin, '设置领导 @赵局长 @钱科长', { mentions: [leader, leader2], now: t() });
  // X in oc_x: created in the chat, most answers filled, goals and conclusion missing
  await w.say(staff, '新建评价 行政综合性经费 2024', { chatId: 'oc_x', now: t() });
  const X = (await w.store.findEvaluationByChat('oc_x'))!.id;
  await w.store.applyAnswers(X, Object.entries(exampleWithout('goals.', 'conclusion.')).map(([path, value]) => ({ path, value })), staff2, { now: t(), via: 'cli' });
  expect(texts(await w.say(staff, '分配 年度总体目标 @张三', { chatId: 'oc_x', mentions: [staff], now: t() }))).toContain('已把');
  expect(texts(await w.say(staff, '分配 项目基本信息 @孙五', { chatId: 'oc_x', mentions: [sun], now: t() }))).toContain('已把');
  expect(texts(await w.say(staff, '截止 2025-06-03', { chatId: 'oc_x', now: t() }))).toContain('2025-06-03');
  // Y in oc_y: no deadline of its own, answered by two people, nothing assigned
  const Y = await makeEvaluation(w.store, { chatId: 'oc_y', projectName: '社区治理经费', answers: exampleWithout('goals.', 'conclusion.', 'background.'), by: staff2, now: t() });
  await w.store.applyAnswers(Y, [{ path: 'goals.planned', value: '年度目标' }], staff3, { now: t() + 1, via: 'cli' });
  expect(texts(await w.say(admin, '默认截止 2024 2025-06-06', { now: t() }))).toContain('2025-06-06');
  // Z in oc_z: complete, deadline the same as X's
  const Z = await makeEvaluation(w.store, { chatId: 'oc_z', projectName: '城市管理经费', answers: example, deadline: '2025-06-03', now: t() });
  return { X, Y, Z };
}

describe('runReminders on a fake clock, across restarts', () => {
  let w: World;
  let ids: { X: number; Y: number; Z: number };
  const queued: (Reminder & { at: number })[] = [];

  beforeAll(async () => {
    w = world();
    ids = await setUp(w, bj('2025-05-10', '10:00'));
    // a scheduler every 37 minutes (so usually late), restarting the process every ~day
    let runs = 0;
    for (let at = bj('2025-05-20', '00:00'); at < bj('2025-06-10', '00:00'); at += 37 * 60_000) {
      if (++runs % 40 === 0) w.reopen();
      const r = await runReminders(w.store, at);
      expect(r.alreadyQueued).toBe(0);
      for (const q of r.queued) queued.push({ ...q, at });
    }
  }, 120_000);
  afterAll(() => w.cleanup());

  it('sends each reminder once, at the first run at or after its time', () => {
    const { X, Y } = ids;
    expect(queued.map((r) => `${r.date} ${r.key}`)).toEqual([
      `2025-05-27 ${X}:before7:2025-06-03`,
      `2025-05-30 ${X}:before1:2025-06-03`, // 3 and 1 days before fall on the Dragon Boat weekend: once, on Friday
      `2025-05-30 ${Y}:before7:2025-06-06`,
      `2025-06-03 ${X}:before0:2025-06-03`,
      `2025-06-03 ${Y}:before3:2025-06-06`,
      `2025-06-04 ${X}:overdue:2025-06-04`,
      `2025-06-04 leader:ou_leader2:2025-06-04`,
      `2025-06-04 leader:ou_leader:2025-06-04`,
      `2025-06-05 ${X}:overdue:2025-06-05`,
      `2025-06-05 ${Y}:before1:2025-06-06`,
      `2025-06-05 leader:ou_leader2:2025-06-05`,
      `2025-06-05 leader:ou_leader:2025-06-05`,
      `2025-06-06 ${X}:overdue:2025-06-06`,
      `2025-06-06 ${Y}:before0:2025-06-06`,
      `2025-06-06 leader:ou_leader2:2025-06-06`,
      `2025-06-06 leader:ou_leader:2025-06-06`,
      `2025-06-09 ${X}:overdue:2025-06-09`,
      `2025-06-09 ${Y}:overdue:2025-06-09`,
      `2025-06-09 leader:ou_leader2:2025-06-09`,
      `2025-06-09 leader:ou_leader:2025-06-09`,
    ]);
    for (const r of queued) {
      expect(r.at).toBeGreaterThanOrEqual(r.scheduledAt);
      expect(r.at - r.scheduledAt).toBeLessThan(37 * 60_000);
      expect(beijingDate(r.scheduledAt)).toBe(r.date);
    }
  });

  it('sends nothing for the complete evaluation', () => {
    expect(queued.filter((r) => r.evaluationId === ids.Z && r.kind !== 'leader')).toEqual([]);
    for (const r of queued.filter((q) => q.kind === 'leader')) expect(JSON.stringify(r.message)).not.toContain('城市管理经费');
  });

  it('queued exactly those in the outbox: chats by chat_id, leaders as user:<open_id>', async () => {
    const rows = await w.store.dueOutgoing(bj('2025-06-10'), 1000);
    expect(rows).toHaveLength(queued.length);
    expect(new Set(rows.map((r) => r.uuid)).size).toBe(rows.length);
    expect(rows.map((r) => r.chatId)).toEqual(queued.map((r) => outboxChatId(r.to)));
    const digest = rows.find((r) => r.chatId === 'user:ou_leader')!;
    expect(receiverOf(digest.chatId)).toEqual({ receiveIdType: 'open_id', receiveId: 'ou_leader' });
    expect(digest.kind).toBe('text');
    expect((digest.payload as { text: string }).text).toContain('逾期未完成的绩效自评（2025-06-04，共 1 项）');
    const last = rows.filter((r) => r.chatId === 'user:ou_leader').at(-1)!;
    expect((last.payload as { text: string }).text).toMatch(/共 2 项[\s\S]*行政综合性经费[\s\S]*社区治理经费/);
  });

  it('mentions only the assignee of an incomplete section; with nothing assigned, everyone who answered', () => {
    const x = queued.find((r) => r.key.startsWith(`${ids.X}:before7`))!;
    expect(x.message).toMatchObject({ type: 'text', mentions: [staff] }); // not 孙五, whose section is done
    const text = x.message.type === 'text' ? x.message.text : '';
    expect(text).toContain('【年度总体目标】@张三：还缺 预期目标、实际完成情况');
    expect(text).toContain('【经验、问题与建议（报告第五至八部分）】（未分配）：还缺 项目主要经验及做法');
    expect(text).not.toContain('孙五');
    const y = queued.find((r) => r.key.startsWith(`${ids.Y}:before7`))!;
    expect(y.message).toMatchObject({ type: 'text', mentions: [staff2, staff3] });
    expect(y.message.type === 'text' && y.message.text).toContain('2025-06-06（星期五）');
  });

  it('a run after everything was sent finds nothing, even after a restart', async () => {
    w.reopen();
    expect(await previewReminders(w.store, bj('2025-06-09', '09:30'))).toEqual([]);
    expect((await runReminders(w.store, bj('2025-06-09', '09:30'))).queued).toEqual([]);
  });
});

describe('two processes, and a crash between queuing and recording', () => {
  let w: World;
  beforeAll(async () => {
    w = world();
    await setUp(w, bj('2025-05-10', '10:00'));
  });
  afterAll(() => w.cleanup());

  it('two processes racing on one database queue each reminder once', async () => {
    const other = openSqlite(w.file);
    try {
      const at = bj('2025-06-04', '09:05');
      const expected = (await previewReminders(w.store, at)).map((r) => r.key).sort();
      expect(expected).toHaveLength(3); // X overdue + two leaders
      const [a, b] = await Promise.all([runReminders(w.store, at), runReminders(other.store, at)]);
      expect([...a.queued, ...b.queued].map((r) => r.key).sort()).toEqual(expected);
      // each was queued by exactly one; how many the other then found already queued depends on
      // how the two passes interleave (each yields to the event loop), so only its bound is certain
      expect(a.queued.length + b.queued.length).toBe(3);
      expect(a.alreadyQueued + b.alreadyQueued).toBeLessThanOrEqual(3);
      expect(await w.store.pendingCount()).toBe(3);
      for (const k of expected) expect(await w.store.wasReminderSent(k)).toBe(true);
      expect((await runReminders(other.store, at + 60_000)).queued).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('a reminder queued by a process that died before recording it is recorded, not queued again', async () => {
    const at = bj('2025-06-05', '09:00');
    const [first, ...rest] = await previewReminders(w.store, at);
    // the dead process got as far as the outbox
    const uuid = await reminderUuid(first.key);
    await w.store.enqueueOutgoing(outboxItems({ messages: [first.message] }, outboxChatId(first.to), undefined, () => uuid), at);
    const before = await w.store.pendingCount();
    w.reopen();
    const r = await runReminders(w.store, at + 120_000);
    expect(r.alreadyQueued).toBe(1);
    expect(r.queued.map((q) => q.key)).toEqual(rest.map((q) => q.key));
    expect(await w.store.pendingCount()).toBe(before + rest.length);
    expect(await w.store.wasReminderSent(first.key)).toBe(true);
  });

  it('loads only what might be due: a quiet moment loads no evaluation', async () => {
    const s = await loadReminderState(w.store, bj('2025-05-21', '15:00'));
    expect(s.evaluations).toEqual([]);
  });
});

describe('reminder settings in the chat', () => {
  let w: World;
  beforeAll(async () => {
    w = world();
    await setUp(w, bj('2025-05-10', '10:00'));
  });
  afterAll(() => w.cleanup());

  it('提醒 shows the settings and the next dates; 提醒 <days> <time> changes them', async () => {
    const shown = texts(await w.say(staff, '提醒', { chatId: 'oc_x', now: bj('2025-05-10', '10:00') }));
    expect(shown).toContain('截止前7天、前3天、前1天、当天的 09:00（北京时间）（默认）');
    expect(shown).toContain('接下来的提醒：2025-05-27（星期二）、2025-05-30（星期五）、2025-06-03（星期二）');
    const changed = texts(await w.say(staff, '提醒 10,2 8:30', { chatId: 'oc_x', now: bj('2025-05-10', '10:00') }));
    expect(changed).toContain('截止前10天、前2天的 08:30');
    const ev = (await w.store.findEvaluationByChat('oc_x'))!;
    expect([ev.reminderDays, ev.reminderTime]).toEqual([[10, 2], '08:30']);
    // 10 days before 06-03 is Sat 05-24 → Fri 05-23; 2 days before is Sun 06-01 (holiday) → Fri 05-30
    const due = await previewReminders(w.store, bj('2025-05-23', '08:30'));
    expect(due.map((r) => r.key)).toEqual([`${ev.id}:before10:2025-06-03`]);
    expect(await previewReminders(w.store, bj('2025-05-23', '08:29'))).toEqual([]);
    expect(texts(await w.say(staff, '提醒 默认', { chatId: 'oc_y', now: bj('2025-05-10', '10:00') }))).toContain('按管理员设置的年度默认截止日期');
  });

  it('暂停提醒 quiets the chat, 恢复提醒 brings it back', async () => {
    const at = bj('2025-05-27', '09:00');
    const x = (await w.store.findEvaluationByChat('oc_x'))!.id;
    await w.say(staff, '提醒 默认', { chatId: 'oc_x' });
    expect((await previewReminders(w.store, at)).map((r) => r.key)).toContain(`${x}:before7:2025-06-03`);
    expect(texts(await w.say(staff, '暂停提醒', { chatId: 'oc_x' }))).toContain('已暂停');
    expect((await previewReminders(w.store, at)).map((r) => r.key)).not.toContain(`${x}:before7:2025-06-03`);
    expect(texts(await w.say(staff, '恢复提醒', { chatId: 'oc_x', now: bj('2025-05-20') }))).toContain('已恢复');
    expect((await previewReminders(w.store, at)).map((r) => r.key)).toContain(`${x}:before7:2025-06-03`);
  });

  it('outside an evaluation chat, 提醒 says where to send it', async () => {
    expect(texts(await w.say(staff, '提醒 7,3', { p2p: true }))).toContain('这个群里还没有评价');
  });
});
