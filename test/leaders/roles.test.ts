// Roles through the real bot: only administrators name leaders, every change is
// recorded with who made it, and the commands are read however they are typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLeaderCommand, parseReminderArgs, parseScope } from '../../src/bot/leaderCommands';
import { admin, bj, leader, leader2, staff, staff2, texts, world, type World } from '../reminders/helpers';

let w: World;
let t = bj('2025-05-06', '10:00');
const now = () => (t += 60_000);
beforeAll(() => {
  w = world(now);
});
afterAll(() => w.cleanup());

describe('设置领导 / 取消领导', () => {
  it('a non-admin cannot name a leader, and nothing changes', async () => {
    const o = await w.say(staff, '设置领导 @赵局长', { mentions: [leader] });
    expect(texts(o)).toContain('只有管理员');
    expect(await w.store.getRole(leader.userId)).toBeUndefined();
    expect(await w.store.roleHistory()).toEqual([]);
  });

  it('an administrator names leaders, typed with full-width slash, colon and space', async () => {
    const o = await w.say(admin, '／设置领导：@赵局长　@钱科长', { mentions: [leader, leader2] });
    expect(texts(o)).toContain('已把 @赵局长 设为领导');
    expect(texts(o)).toContain('已把 @钱科长 设为领导');
    expect(o.messages[0]).toMatchObject({ mentions: [leader, leader2] });
    expect((await w.store.getRole(leader.userId))?.role).toBe('leader');
    const history = await w.store.roleHistory(leader.userId);
    expect(history).toMatchObject([{ userId: leader.userId, role: 'leader', byUser: admin.userId }]);
  });

  it('naming someone twice says so and records nothing new', async () => {
    const o = await w.say(admin, '设置领导 @赵局长', { mentions: [leader] });
    expect(texts(o)).toContain('已经是领导了');
    expect(await w.store.roleHistory(leader.userId)).toHaveLength(1);
  });

  it('a leader is not an administrator: cannot name or remove leaders', async () => {
    const o = await w.say(leader, '取消领导 @钱科长', { mentions: [leader2] });
    expect(texts(o)).toContain('只有管理员');
    expect((await w.store.getRole(leader2.userId))?.role).toBe('leader');
  });

  it('an administrator removes a leader; the removal is recorded with who made it', async () => {
    const o = await w.say(admin, '/取消领导 @钱科长', { mentions: [leader2] });
    expect(texts(o)).toContain('已取消 @钱科长 的领导身份');
    expect(await w.store.getRole(leader2.userId)).toBeUndefined();
    expect(await w.store.roleHistory(leader2.userId)).toMatchObject([
      { role: 'leader', byUser: admin.userId },
      { role: null, byUser: admin.userId },
    ]);
    expect(texts(await w.say(admin, '取消领导 @李四', { mentions: [staff2] }))).toContain('不是领导');
  });

  it('without an @ it asks for one', async () => {
    expect(texts(await w.say(admin, '设置领导'))).toContain('请 @ 要设为领导的人');
  });
});

describe('角色', () => {
  it('lists administrators and leaders for an admin or a leader, not for staff', async () => {
    const o = await w.say(admin, '角色');
    expect(texts(o)).toContain('管理员（在配置 ADMIN_OPEN_IDS 中设置）：王管理');
    expect(texts(o)).toMatch(/领导（1 人）：\n· 赵局长（2025-05-06 由 王管理 设置）/);
    expect(texts(await w.say(leader, '角色', { p2p: true }))).toContain('赵局长');
    const refused = await w.say(staff, '角色');
    expect(texts(refused)).toContain('是给领导查看的');
    expect(texts(refused)).not.toContain('赵局长');
  });
});

describe('默认截止', () => {
  it('only an administrator sets it; then it is stored for the year', async () => {
    expect(texts(await w.say(staff, '默认截止 2024 2025-05-30'))).toContain('只有管理员');
    expect(await w.store.getDefaultDeadline(2024, 'wuhua-2024')).toBeUndefined();
    const o = await w.say(admin, '默认截止 2024 2025年5月30日');
    expect(texts(o)).toContain('已把 2024 年度评价的默认截止日期设为 2025-05-30（星期五）');
    expect(await w.store.getDefaultDeadline(2024, 'wuhua-2024')).toBe('2025-05-30');
    expect(texts(await w.say(admin, '默认截止 2024'))).toContain('请写上年度和日期');
  });
});

describe('reading the commands', () => {
  it('leaves answers and other commands to the engine', () => {
    expect(parseLeaderCommand('提醒大家按时提交材料')).toBeUndefined();
    expect(parseLeaderCommand('汇总情况良好')).toBeUndefined();
    expect(parseLeaderCommand('暂停')).toBeUndefined(); // the engine's 取消
    expect(parseLeaderCommand('截止 2025-05-31')).toBeUndefined();
    expect(parseLeaderCommand('汇总2024')).toEqual({ name: '汇总', args: '2024' });
    expect(parseLeaderCommand('／暂停提醒')).toEqual({ name: '暂停提醒', args: '' });
    expect(parseLeaderCommand('提醒：7，3，1 09：00')).toEqual({ name: '提醒', args: '7,3,1 09:00' });
    // while answering, only a separated short command counts
    expect(parseLeaderCommand('汇总2024', { answering: true })).toBeUndefined();
    expect(parseLeaderCommand('汇总 2024', { answering: true })).toEqual({ name: '汇总', args: '2024' });
  });

  it('reads scopes and reminder settings', () => {
    expect(parseScope('2024年度 红云街道')).toEqual({ year: 2024, unit: '红云街道' });
    expect(parseScope('')).toEqual({});
    expect(parseReminderArgs('7,3,1,0 09:00')).toEqual({ days: [7, 3, 1, 0], time: '09:00' });
    expect(parseReminderArgs('1、3、7')).toEqual({ days: [7, 3, 1] });
    expect(parseReminderArgs('8点半')).toEqual({ time: '08:30' });
    expect(parseReminderArgs('默认')).toEqual({ reset: true });
    expect(parseReminderArgs('25:00')).toHaveProperty('error');
    expect(parseReminderArgs('明天')).toHaveProperty('error');
  });
});
