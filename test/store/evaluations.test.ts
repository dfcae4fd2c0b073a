// Evaluations, documents, roles and the smaller tables, on both drivers.
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/store/index';
import { alice, bob, newEvaluation, storePerTest } from './helpers';

describe.each<Driver>(['sqlite', 'd1'])('evaluations and friends (%s)', (driver) => {
  const o = storePerTest(driver);

  it('creates, finds by chat (newest not archived), lists and updates', async () => {
    const first = await newEvaluation(o.store, { deadline: '2024-06-30', tenantKey: 'tk' });
    expect(first).toMatchObject({
      templateId: 'xiangmu-zhichu', year: 2024, chatId: 'oc_chat1', tenantKey: 'tk', status: 'filling', deadline: '2024-06-30',
      remindersPaused: false, reminderDays: null, reminderTime: null, answersVersion: 0, documentsVersion: null, createdAt: 1_000, updatedAt: 1_000,
    });
    const second = await newEvaluation(o.store, { projectName: '第二个', now: 2_000 });
    await newEvaluation(o.store, { chatId: 'oc_other', year: 2025, now: 3_000 });
    expect((await o.store.findEvaluationByChat('oc_chat1'))!.id).toBe(second.id);
    await o.store.updateEvaluation(second.id, { status: 'archived' }, 4_000);
    expect((await o.store.findEvaluationByChat('oc_chat1'))!.id).toBe(first.id);
    expect(await o.store.findEvaluationByChat('oc_nowhere')).toBeUndefined();

    expect((await o.store.listEvaluations()).map((e) => e.id)).toHaveLength(3);
    expect((await o.store.listEvaluations({ year: 2024 })).map((e) => e.id)).toEqual([first.id, second.id]);
    expect((await o.store.listEvaluations({ year: 2024, status: 'filling' })).map((e) => e.id)).toEqual([first.id]);

    const updated = await o.store.updateEvaluation(first.id, { remindersPaused: true, reminderDays: [7, 3, 1, 0], reminderTime: '09:30', deadline: null }, 5_000);
    expect(updated).toMatchObject({ remindersPaused: true, reminderDays: [7, 3, 1, 0], reminderTime: '09:30', deadline: null, updatedAt: 5_000 });
    expect(o.raw.prepare('select reminders_paused as p, reminder_days as d from evaluations where id = ?').get(first.id)).toEqual({ p: 1, d: '[7,3,1,0]' });
    expect(await o.store.getEvaluation(first.id)).toEqual(updated);
    expect(await o.store.updateEvaluation(999, { year: 2030 }, 1)).toBeUndefined();
  });

  it('records documents atomically, marks generated, and lists the latest generation', async () => {
    const ev = await newEvaluation(o.store);
    const v1 = (await o.store.applyAnswers(ev.id, [{ path: 'a', value: 1 }], alice, { now: 2_000, via: 'text' })).answersVersion;
    const docs = (tag: string) => [
      { kind: 'form' as const, fileName: `form-${tag}.docx`, sha256: `f${tag}`, size: 100 },
      { kind: 'report' as const, fileName: `report-${tag}.docx`, sha256: `r${tag}`, size: 200 },
    ];
    expect(await o.store.latestDocuments(ev.id)).toEqual([]);
    await o.store.recordDocuments(ev.id, docs('1'), v1, alice.userId, 3_000);
    expect(await o.store.getEvaluation(ev.id)).toMatchObject({ status: 'generated', documentsVersion: v1, updatedAt: 3_000 });
    await o.store.recordDocuments(ev.id, docs('2'), v1, bob.userId, 4_000);
    expect((await o.store.latestDocuments(ev.id)).map((d) => [d.fileName, d.answersVersion, d.createdBy])).toEqual([
      ['form-2.docx', v1, bob.userId],
      ['report-2.docx', v1, bob.userId],
    ]);

    // Documents built from an older version than the answers now are stale: not 'generated'.
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: 2 }], alice, { now: 5_000, via: 'text' });
    await o.store.recordDocuments(ev.id, docs('3'), v1, alice.userId, 6_000);
    expect(await o.store.getEvaluation(ev.id)).toMatchObject({ status: 'filling', documentsVersion: v1, answersVersion: v1 + 1 });

    // If updating the evaluation fails, the document rows are not kept either.
    o.raw.exec(`CREATE TRIGGER no_update BEFORE UPDATE ON evaluations BEGIN SELECT RAISE(ABORT, 'injected'); END`);
    await expect(o.store.recordDocuments(ev.id, docs('4'), v1 + 1, alice.userId, 7_000)).rejects.toThrow(/injected/);
    expect((await o.store.latestDocuments(ev.id)).map((d) => d.fileName)).toEqual(['form-3.docx', 'report-3.docx']);
  });

  it('roles: grant, change, remove, each with a history row', async () => {
    await o.store.setRole('ou_l', 'leader', '王局', alice.userId, 1);
    await o.store.setRole('ou_a', 'admin', '管理员', alice.userId, 2);
    await o.store.setRole('ou_l', 'admin', '王局长', bob.userId, 3);
    expect(await o.store.getRole('ou_l')).toEqual({ userId: 'ou_l', role: 'admin', userName: '王局长', grantedBy: bob.userId, grantedAt: 3 });
    await o.store.setRole('ou_a', null, '管理员', bob.userId, 4);
    expect(await o.store.getRole('ou_a')).toBeUndefined();
    expect((await o.store.listRoles()).map((r) => r.userId)).toEqual(['ou_l']);
    expect((await o.store.roleHistory()).map((h) => [h.userId, h.role, h.byUser, h.at])).toEqual([
      ['ou_l', 'leader', alice.userId, 1],
      ['ou_a', 'admin', alice.userId, 2],
      ['ou_l', 'admin', bob.userId, 3],
      ['ou_a', null, bob.userId, 4],
    ]);
  });

  it('default deadlines: the template-specific one wins over the any-template one', async () => {
    expect(await o.store.getDefaultDeadline(2024, 'tpl')).toBeUndefined();
    await o.store.setDefaultDeadline(2024, '', '2024-06-30', alice.userId, 1);
    expect(await o.store.getDefaultDeadline(2024, 'tpl')).toBe('2024-06-30');
    await o.store.setDefaultDeadline(2024, 'tpl', '2024-05-31', alice.userId, 2);
    expect(await o.store.getDefaultDeadline(2024, 'tpl')).toBe('2024-05-31');
    expect(await o.store.getDefaultDeadline(2024, 'other')).toBe('2024-06-30');
    expect(await o.store.getDefaultDeadline(2025, 'tpl')).toBeUndefined();
    await o.store.setDefaultDeadline(2024, 'tpl', '2024-05-15', bob.userId, 3);
    expect(await o.store.getDefaultDeadline(2024, 'tpl')).toBe('2024-05-15');
  });

  it('assignments, dialog states, problems and members', async () => {
    const ev = await newEvaluation(o.store);
    await o.store.assign(ev.id, 'funds', alice, bob.userId, 1);
    await o.store.assign(ev.id, 'funds', bob, alice.userId, 2);
    await o.store.assign(ev.id, 'indicators', alice, bob.userId, 3);
    expect((await o.store.getAssignments(ev.id)).map((a) => [a.sectionId, a.userId, a.assignedBy])).toEqual([
      ['funds', bob.userId, alice.userId],
      ['indicators', alice.userId, bob.userId],
    ]);
    expect(await o.store.unassign(ev.id, 'funds')).toBe(true);
    expect(await o.store.unassign(ev.id, 'funds')).toBe(false);
    expect(await o.store.getAssignments(ev.id)).toHaveLength(1);

    expect(await o.store.getDialogState('oc_1', alice.userId)).toBeUndefined();
    await o.store.setDialogState('oc_1', alice.userId, ev.id, { step: 'ask', path: 'a', list: [1, 2] }, 5);
    await o.store.setDialogState('oc_1', bob.userId, null, 'idle', 6);
    expect(await o.store.getDialogState('oc_1', alice.userId)).toEqual({ evaluationId: ev.id, state: { step: 'ask', path: 'a', list: [1, 2] }, updatedAt: 5 });
    await o.store.setDialogState('oc_1', alice.userId, null, { step: 'done' }, 7);
    expect(await o.store.getDialogState('oc_1', alice.userId)).toEqual({ evaluationId: null, state: { step: 'done' }, updatedAt: 7 });
    await o.store.clearDialogState('oc_1', alice.userId);
    expect(await o.store.getDialogState('oc_1', alice.userId)).toBeUndefined();
    expect(await o.store.getDialogState('oc_1', bob.userId)).toMatchObject({ state: 'idle' });
    // null and undefined are states too (JSON has no undefined: it comes back as null).
    await o.store.setDialogState('oc_1', bob.userId, null, null, 7);
    expect(await o.store.getDialogState('oc_1', bob.userId)).toEqual({ evaluationId: null, state: null, updatedAt: 7 });
    await o.store.setDialogState('oc_1', bob.userId, null, undefined, 8);
    expect(await o.store.getDialogState('oc_1', bob.userId)).toEqual({ evaluationId: null, state: null, updatedAt: 8 });

    const p1 = await o.store.addProblem(ev.id, { category: '预算执行', unit: '公路局', description: '执行率偏低' }, alice.userId, 8);
    const p2 = await o.store.addProblem(ev.id, { category: '绩效目标', description: '指标不可衡量' }, bob.userId, 9);
    expect(p2).toMatchObject({ evaluationId: ev.id, unit: null, addedBy: bob.userId, addedAt: 9 });
    expect((await o.store.listProblems(ev.id)).map((p) => p.id)).toEqual([p1.id, p2.id]);
    expect(await o.store.removeProblem(p1.id)).toBe(true);
    expect(await o.store.removeProblem(p1.id)).toBe(false);
    expect((await o.store.listProblems(ev.id)).map((p) => p.description)).toEqual(['指标不可衡量']);

    expect(await o.store.isMember('oc_1', alice.userId)).toBe(false);
    await o.store.seeMember('oc_1', alice.userId, '张三', 10);
    await o.store.seeMember('oc_1', alice.userId, '张三丰', 11);
    await o.store.seeMember('oc_2', bob.userId, '李四', 12);
    expect(await o.store.isMember('oc_1', alice.userId)).toBe(true);
    expect(await o.store.isMember('oc_1', bob.userId)).toBe(false);
    expect(await o.store.listMembers('oc_1')).toEqual([{ chatId: 'oc_1', userId: alice.userId, userName: '张三丰', lastSeenAt: 11 }]);
  });
});
