// The message hot path in the store: one read of a chat, one transaction for what a
// message writes, a guard against answers changed meanwhile. Both drivers.
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import type { InboundCommit, Input } from '../../src/conversation/types';
import { StaleAnswersError, type Driver, type Store } from '../../src/store';
import { alice, bob, newEvaluation, storePerTest } from './helpers';

const item = (uuid: string) => ({ chatId: 'oc_chat1', kind: 'text' as const, payload: { text: '好的' }, uuid });

describe.each<Driver>(['sqlite', 'd1'])('chat store (%s)', (driver) => {
  const o = storePerTest(driver);

  it('reads the evaluation, the person’s dialog, answers, assignments and problems of a chat', async () => {
    const { store } = o;
    const empty = await store.loadChat('oc_chat1', alice.userId);
    expect(empty).toMatchObject({ assignments: [], problems: [] });
    expect(empty.evaluation).toBeUndefined();
    expect(empty.answers.rows.size).toBe(0);
    const ev = await newEvaluation(store);
    await store.applyAnswers(ev.id, [{ path: 'b', value: 2 }, { path: 'a', value: '甲' }], alice, { now: 5, via: 'text' });
    await store.assign(ev.id, 'funds', bob, alice.userId, 6);
    await store.addProblem(ev.id, { category: '资金管理', description: '凭证不全' }, alice.userId, 7);
    await store.setDialogState('oc_chat1', alice.userId, ev.id, { v: 1, trail: [] }, 8);
    const view = await store.loadChat('oc_chat1', alice.userId);
    expect(view.evaluation).toMatchObject({ id: ev.id, templateId: 'xiangmu-zhichu', answersVersion: 1, status: 'filling' });
    expect(view.dialog).toEqual({ evaluationId: ev.id, state: { v: 1, trail: [] } });
    expect([...view.answers.rows.values()].map((r) => [r.path, r.value, r.updatedByName])).toEqual([
      ['a', '甲', '张三'],
      ['b', 2, '张三'],
    ]);
    expect(view.assignments).toEqual([{ sectionId: 'funds', userId: bob.userId, userName: bob.name }]);
    expect(view.problems).toEqual([{ category: '资金管理', unit: null, description: '凭证不全' }]);
    // another person in the same chat: same evaluation, no dialog
    expect((await store.loadChat('oc_chat1', bob.userId)).dialog).toBeUndefined();
  });

  it('writes answers, history, dialog, members, replies and the inbox entry together', async () => {
    const { store } = o;
    const ev = await newEvaluation(store);
    await store.receiveInbound('message:om_1', { any: 1 }, 9);
    const view = await store.loadChat('oc_chat1', alice.userId);
    await store.commitMessage({
      chatId: 'oc_chat1',
      userId: alice.userId,
      now: 10,
      members: [alice, bob, alice],
      answers: { view, changes: [{ path: 'x', value: 1 }], by: alice, messageId: 'om_1', via: 'text' },
      dialog: { evaluationId: ev.id, state: { v: 1, lastMessageId: 'om_1' } },
      replies: [item('u-1')],
      inboxKey: 'message:om_1',
    });
    expect(await store.getAnswers(ev.id)).toEqual({ x: 1 });
    expect((await store.getHistory(ev.id)).map((h) => [h.path, h.oldValue, h.newValue, h.messageId])).toEqual([['x', null, 1, 'om_1']]);
    expect((await store.getEvaluation(ev.id))?.answersVersion).toBe(1);
    expect((await store.getDialogState('oc_chat1', alice.userId))?.state).toEqual({ v: 1, lastMessageId: 'om_1' });
    expect((await store.listMembers('oc_chat1')).map((m) => m.userName).sort()).toEqual(['张三', '李四'].sort());
    expect(await store.pendingCount()).toBe(1);
    expect(await store.pendingInbound()).toEqual([]);
    // the next read sees the new version and answers
    const next = await store.loadChat('oc_chat1', alice.userId);
    expect(next.evaluation?.answersVersion).toBe(1);
    expect([...next.answers.rows.values()].map((r) => r.value)).toEqual([1]);
  });

  it('writes nothing at all when one part fails (a reply whose uuid was queued before)', async () => {
    const { store } = o;
    const ev = await newEvaluation(store);
    await store.enqueueOutgoing([item('dup')], 1);
    await store.receiveInbound('message:om_2', {}, 1);
    const view = await store.loadChat('oc_chat1', alice.userId);
    await expect(
      store.commitMessage({
        chatId: 'oc_chat1',
        userId: alice.userId,
        now: 10,
        members: [alice],
        answers: { view, changes: [{ path: 'x', value: 1 }], by: alice, via: 'text' },
        dialog: { evaluationId: ev.id, state: { v: 1 } },
        replies: [item('dup')],
        inboxKey: 'message:om_2',
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await store.getAnswers(ev.id)).toEqual({});
    expect(await store.getHistory(ev.id)).toEqual([]);
    expect((await store.getEvaluation(ev.id))?.answersVersion).toBe(0);
    expect(await store.getDialogState('oc_chat1', alice.userId)).toBeUndefined();
    expect(await store.listMembers('oc_chat1')).toEqual([]);
    expect((await store.pendingInbound()).map((r) => r.key)).toEqual(['message:om_2']);
    // and the answers kept in memory were not touched either
    expect((await store.loadChat('oc_chat1', alice.userId)).answers.rows.size).toBe(0);
  });

  it('reads back the dialog state and answers it wrote, and what another writer wrote after them', async () => {
    const { store } = o;
    const ev = await newEvaluation(store);
    const first = await store.loadChat('oc_chat1', alice.userId);
    const state = { v: 1, trail: [{ section: 'a', field: 'b' }], skipped: [] };
    await store.commitMessage({ chatId: 'oc_chat1', userId: alice.userId, now: 3, members: [alice], answers: { view: first, changes: [{ path: 'x', value: 1 }, { path: 'y', value: '乙' }], by: alice, via: 'text' }, dialog: { evaluationId: ev.id, state } });
    const second = await store.loadChat('oc_chat1', alice.userId);
    expect(second.dialog?.state).toEqual(state);
    expect(second.answers.values).toEqual({ x: 1, y: '乙' });
    expect(Object.isFrozen(second.answers.values)).toBe(true);
    await store.commitMessage({ chatId: 'oc_chat1', userId: alice.userId, now: 4, members: [alice], answers: { view: second, changes: [{ path: 'x', value: null }, { path: 'z', value: true }], by: bob, via: 'text' } });
    const third = await store.loadChat('oc_chat1', alice.userId);
    expect(third.answers.values).toEqual({ y: '乙', z: true });
    expect(third.answers.rows.get('z')?.updatedByName).toBe(bob.name);
    expect(third.answers.rows.get('y')?.updatedByName).toBe(alice.name);
    // the CLI or another process writes the dialog: the next read has theirs, not the one kept in memory
    await store.setDialogState('oc_chat1', alice.userId, ev.id, { v: 1, trail: [], skipped: ['q'] }, 5);
    expect((await store.loadChat('oc_chat1', alice.userId)).dialog?.state).toEqual({ v: 1, trail: [], skipped: ['q'] });
    expect(third.answers.values).toEqual(await store.getAnswers(ev.id));
  });

  it('refuses to write over answers that changed after they were read (StaleAnswersError), then reads them afresh', async () => {
    const { store } = o;
    const ev = await newEvaluation(store);
    const view = await store.loadChat('oc_chat1', alice.userId);
    await store.applyAnswers(ev.id, [{ path: 'x', value: 'bob' }], bob, { now: 2, via: 'cli' }); // another writer
    await expect(
      store.commitMessage({ chatId: 'oc_chat1', userId: alice.userId, now: 3, members: [alice], answers: { view, changes: [{ path: 'x', value: 'alice' }], by: alice, via: 'text' }, dialog: { evaluationId: ev.id, state: {} } }),
    ).rejects.toBeInstanceOf(StaleAnswersError);
    expect(await store.getAnswers(ev.id)).toEqual({ x: 'bob' });
    expect(await store.getDialogState('oc_chat1', alice.userId)).toBeUndefined();
    const fresh = await store.loadChat('oc_chat1', alice.userId);
    expect([...fresh.answers.rows.values()].map((r) => [r.value, r.updatedByName])).toEqual([['bob', '李四']]);
  });

  it('the bot decides again when another writer changed the answers between its read and its write', async () => {
    const { store } = o;
    const ev = await newEvaluation(store, { templateId: 'wuhua-2024', templateVersion: '1' });
    let interfered = false;
    // a store whose first read is followed by another person's answer to the same question
    const racing: Store = {
      ...store,
      async loadChat(chatId, userId) {
        const view = await store.loadChat(chatId, userId);
        if (!interfered) {
          interfered = true;
          await store.applyAnswers(ev.id, [{ path: 'project.department', value: '五华区人民政府' }], bob, { now: 2, via: 'text' });
        }
        return view;
      },
    };
    const bot = createBot({ store: racing });
    const input = (text: string, messageId: string): Input => ({ actor: alice, place: { chatId: 'oc_chat1', chatType: 'group' }, message: { type: 'text', text, messageId }, now: 10 });
    await createBot({ store }).handle(input('修改 主管部门', 'om_a'));
    const inbound: InboundCommit = { key: 'message:om_b', members: [], replies: (out) => out.messages.map((_, i) => item(`r-${i}`)) };
    await store.receiveInbound('message:om_b', {}, 10);
    const out = await bot.handle(input('昆明市五华区人民政府', 'om_b'), inbound);
    expect(inbound.done).toBe(true);
    // decided on fresh data: the engine saw 李四's answer and says whose answer was replaced
    expect(out.messages.map((m) => (m.type === 'text' ? m.text : '')).join('\n')).toContain('李四');
    expect((await store.getAnswers(ev.id))['project.department']).toBe('昆明市五华区人民政府');
    expect((await store.getHistory(ev.id, 'project.department')).map((h) => h.byName)).toEqual(['李四', '张三']);
    expect(await store.pendingInbound()).toEqual([]);
    expect(await store.pendingCount()).toBe(out.messages.length);
  });
});
