// `npm run --silent cli -- reminders --at <time> [--json]`: a preview that sends nothing.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAt, remindersCommand } from '../../src/cli/reminders';
import { UsageError } from '../../src/cli/io';
import { bj, exampleWithout, makeEvaluation, world, type World } from './helpers';

let w: World;
let id: number;
beforeAll(async () => {
  w = world();
  id = await makeEvaluation(w.store, { chatId: 'oc_x', projectName: '行政综合性经费', answers: exampleWithout('goals.'), deadline: '2025-06-03' });
  w.close();
});
afterAll(() => w.cleanup());

describe('cli reminders', () => {
  it('reads a time without a zone as Beijing time', () => {
    expect(parseAt('2025-05-27T09:00')).toBe(bj('2025-05-27', '09:00'));
    expect(parseAt('2025-05-27 09:00')).toBe(bj('2025-05-27', '09:00'));
    expect(parseAt('2025-05-27T01:00:00Z')).toBe(bj('2025-05-27', '09:00'));
    expect(() => parseAt('明天')).toThrow(UsageError);
  });

  it('prints the reminders due then, as text and as JSON, and records nothing', async () => {
    process.env.DB_PATH = w.file;
    try {
      const text = await remindersCommand(['--at', '2025-05-27T09:10']);
      expect(text).toContain('2025-05-27 09:10（北京时间）会发出的提醒：1 条');
      expect(text).toContain(`${id}:before7:2025-06-03　群 oc_x　计划 2025-05-27 09:00`);
      expect(text).toContain('还缺 预期目标、实际完成情况');
      const json = JSON.parse(await remindersCommand(['--at', '2025-05-27T09:10', '--json']));
      expect(json).toMatchObject([{ key: `${id}:before7:2025-06-03`, kind: 'before', outboxChatId: 'oc_x', scheduledAt: '2025-05-27T01:00:00.000Z' }]);
      expect(await remindersCommand(['--at', '2025-05-26T09:10'])).toContain('会发出的提醒：0 条');
      // previewing twice shows the same: nothing was recorded or queued
      expect(await remindersCommand(['--at', '2025-05-27T09:10'])).toContain('：1 条');
      w.reopen();
      expect(await w.store.pendingCount()).toBe(0);
      expect(await w.store.wasReminderSent(`${id}:before7:2025-06-03`)).toBe(false);
      w.close();
      await expect(remindersCommand([])).rejects.toThrow(UsageError);
      process.env.DB_PATH = `${w.dir}/missing.sqlite`;
      await expect(remindersCommand(['--at', '2025-05-27T09:10'])).rejects.toThrow('没有找到数据库');
    } finally {
      delete process.env.DB_PATH;
    }
  });

  it('runs as `npm run --silent cli -- reminders`', () => {
    const out = execFileSync('npm', ['run', '--silent', 'cli', '--', 'reminders', '--at', '2025-05-27T09:00', '--json'], {
      env: { ...process.env, DB_PATH: w.file },
      encoding: 'utf8',
    });
    expect(JSON.parse(out).map((r: { key: string }) => r.key)).toEqual([`${id}:before7:2025-06-03`]);
  });
});
