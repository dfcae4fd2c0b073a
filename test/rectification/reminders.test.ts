// 整改 reminders through runReminders over a real SQLite file on a fake clock: before the
// 完成时限 to the owner, after it each working day to the owner and the chat, once each
// across restarts; a closed item gets none; 暂停提醒 quiets them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReminders } from '../../src/reminders';
import type { Reminder } from '../../src/reminders';
import { bj, example, makeEvaluation, staff, staff2, texts, world, type World } from '../reminders/helpers';

const target = (r: Reminder) => ('chatId' in r.to ? `chat:${r.to.chatId}` : `user:${r.to.userId}`);

describe('整改 reminders on a fake clock, across restarts', () => {
  let w: World;
  const queued: (Reminder & { at: number })[] = [];
  let ev = 0;
  let one = 0;
  let two = 0;

  async function run(from: number, to: number, onTick?: (at: number) => Promise<void>) {
    let runs = 0;
    for (let at = from; at < to; at += 37 * 60_000) {
      if (++runs % 40 === 0) w.reopen();
      if (onTick) await onTick(at);
      const r = await runReminders(w.store, at);
      expect(r.alreadyQueued).toBe(0);
      for (const q of r.queued) queued.push({ ...q, at });
    }
  }

  beforeAll(async () => {
    const t0 = bj('2025-05-20', '10:00');
    w = world(() => t0);
    ev = await makeEvaluation(w.store, { chatId: 'oc_group', projectName: '行政综合性经费', answers: example, by: staff, now: t0 });
    expect(texts(await w.say(staff, '生成报告'))).toContain('已列为整改事项');
    [one, two] = (await w.store.listRectItems(ev)).map((i) => i.id);
    await w.say(staff, '整改 1 责任人 @李四', { mentions: [staff2] });
    await w.say(staff, '整改 1 时限 2025-06-10');
    await w.say(staff, '整改 2 责任人 @张三', { mentions: [staff] });
    await w.say(staff, '整改 2 时限 2025-06-06');
    let closed = false;
    await run(bj('2025-05-25', '00:00'), bj('2025-06-14', '00:00'), async (at) => {
      if (!closed && at >= bj('2025-06-09', '12:00')) {
        closed = true;
        expect(texts(await w.say(staff, '整改 2 完成 已开展满意度回访并整改', { now: at }))).toContain('已完成');
      }
    });
  }, 120_000);
  afterAll(() => w.cleanup());

  it('sends each once: before to the owner, after to the owner and the chat; none after closing', () => {
    expect(queued.map((r) => `${r.date} ${r.key} ${target(r)}`)).toEqual([
      `2025-05-30 rect:${two}:before7:2025-06-06 user:${staff.userId}`,
      `2025-06-03 rect:${one}:before7:2025-06-10 user:${staff2.userId}`,
      `2025-06-03 rect:${two}:before3:2025-06-06 user:${staff.userId}`,
      `2025-06-05 rect:${two}:before1:2025-06-06 user:${staff.userId}`,
      `2025-06-06 rect:${one}:before3:2025-06-10 user:${staff2.userId}`, // Saturday → Friday
      `2025-06-06 rect:${two}:before0:2025-06-06 user:${staff.userId}`,
      `2025-06-09 rect:${one}:before1:2025-06-10 user:${staff2.userId}`,
      `2025-06-09 rect:ev${ev}:overdue:2025-06-09 chat:oc_group`,
      `2025-06-09 rect:ev${ev}:overdue:2025-06-09:${staff.userId} user:${staff.userId}`,
      `2025-06-10 rect:${one}:before0:2025-06-10 user:${staff2.userId}`,
      `2025-06-11 rect:ev${ev}:overdue:2025-06-11 chat:oc_group`,
      `2025-06-11 rect:ev${ev}:overdue:2025-06-11:${staff2.userId} user:${staff2.userId}`,
      `2025-06-12 rect:ev${ev}:overdue:2025-06-12 chat:oc_group`,
      `2025-06-12 rect:ev${ev}:overdue:2025-06-12:${staff2.userId} user:${staff2.userId}`,
      `2025-06-13 rect:ev${ev}:overdue:2025-06-13 chat:oc_group`,
      `2025-06-13 rect:ev${ev}:overdue:2025-06-13:${staff2.userId} user:${staff2.userId}`,
    ]);
    for (const r of queued) expect(r.at - r.scheduledAt).toBeLessThan(37 * 60_000);
  });

  it('says what, whose and by when', () => {
    const before = queued.find((r) => r.key === `rect:${one}:before7:2025-06-10`)!.message;
    expect(before.type === 'text' && before.text).toContain('⏰ 整改提醒：2024年度行政综合性经费 整改事项第1项的完成时限是 2025-06-10（星期二），还有 7 天。');
    const chat = queued.find((r) => r.key === `rect:ev${ev}:overdue:2025-06-11`)!.message;
    expect(chat.type === 'text' && chat.text).toContain('有 1 项整改事项已过完成时限');
    expect(chat.type === 'text' && chat.text).toContain('责任人 @李四，完成时限 2025-06-10，已逾期 1 天');
    expect(chat.type === 'text' && chat.mentions).toEqual([staff2]);
  });

  it('the outbox holds each reminder once, and 暂停提醒 / 恢复提醒 stop and restart them', async () => {
    const rows = w.store as unknown as { pendingCount(): Promise<number> };
    expect(await rows.pendingCount()).toBe(queued.length);
    const n = queued.length;
    expect(texts(await w.say(staff, '暂停提醒', { now: bj('2025-06-14', '10:00') }))).toContain('已暂停');
    await run(bj('2025-06-14', '10:00'), bj('2025-06-17', '00:00'));
    expect(queued.length).toBe(n);
    await w.say(staff, '恢复提醒', { now: bj('2025-06-17', '09:30') }); // the 16th's reminder fell more than a day back: not sent late
    await run(bj('2025-06-17', '09:30'), bj('2025-06-17', '10:00'));
    expect(queued.slice(n).map((r) => r.key)).toEqual([`rect:ev${ev}:overdue:2025-06-17`, `rect:ev${ev}:overdue:2025-06-17:${staff2.userId}`]);
  });
});
