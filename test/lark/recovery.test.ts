// A message Lark was already told "200" about must not be lost when the process dies
// before the bot has handled it; and one handled just before the crash must not be
// applied a second time after the restart.
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { createLarkApp } from '../../src/channels/lark/app';
import { createLarkCore } from '../../src/channels/lark/core';
import type { Bot } from '../../src/conversation/types';
import { openSqlite } from '../../src/store/sqlite';
import { BOT_OPEN_ID, ENCRYPT_KEY, quietLogger, tempDb, VERIFICATION_TOKEN } from './harness';
import { createLarkSide } from './larkSide';

const chatId = 'oc_recover';
const zhang = 'ou_zhang';
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function wire(file: string, bot: Bot | ((s: ReturnType<typeof openSqlite>['store']) => Bot)) {
  const opened = openSqlite(file);
  const b = typeof bot === 'function' ? bot(opened.store) : bot;
  const core = createLarkCore({ store: opened.store, bot: b, botOpenId: () => BOT_OPEN_ID, logger: quietLogger });
  const app = createLarkApp({ core, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, logger: quietLogger, ready: () => true });
  const side = createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, send: (p, init) => app.request(p, init) });
  return { opened, core, app, side };
}

const say = (side: ReturnType<typeof createLarkSide>, text: string, messageId: string) =>
  side.post(side.messageEvent({ chatId, senderId: zhang, text, messageId, mentionBot: { openId: BOT_OPEN_ID } }));

describe('messages accepted before a crash', () => {
  it('are handled after the restart: the answer is stored and the reply queued', async () => {
    const db = tempDb();
    cleanup = db.cleanup;
    // first life: set up an evaluation, then a bot that never finishes (the process dies while it works)
    const first = wire(db.file, (s) => createBot({ store: s }));
    await say(first.side, '新建评价 测试项目 2024', 'om_1');
    await first.core.idle();
    first.opened.close();

    const hung = wire(db.file, { handle: () => new Promise(() => {}) });
    const res = await say(hung.side, '昆明市五华区人民政府', 'om_2'); // answers 主管部门
    expect(res.status).toBe(200);
    hung.opened.close(); // "killed": the background work never ran

    // second life: the real bot, recover() at start
    const second = wire(db.file, (s) => createBot({ store: s }));
    expect(await second.core.recover()).toBe(1);
    const ev = await second.opened.store.findEvaluationByChat(chatId);
    expect((await second.opened.store.getAnswers(ev!.id))['project.department']).toBe('昆明市五华区人民政府');
    const queued = await second.opened.store.dueOutgoing(Date.now() + 1000, 100);
    expect(queued.some((r) => JSON.stringify(r.payload).includes('已记录'))).toBe(true);
    expect(await second.core.recover()).toBe(0); // done once, not again
    // a redelivery of the same message is still ignored
    await say(second.side, '昆明市五华区人民政府', 'om_2');
    await second.core.idle();
    expect((await second.opened.store.getHistory(ev!.id, 'project.department')).length).toBe(1);
    second.opened.close();
  });

  it('one handled just before the crash is recognised and not applied to the next question', async () => {
    const db = tempDb();
    cleanup = db.cleanup;
    const first = wire(db.file, (s) => createBot({ store: s }));
    await say(first.side, '新建评价 测试项目 2024', 'om_1');
    await first.core.idle();
    // the bot handled om_2 (answers written) but the process died before its replies were queued
    const bot = createBot({ store: first.opened.store });
    const input = { actor: { userId: zhang, name: zhang }, place: { chatId, chatType: 'group' as const }, message: { type: 'text' as const, text: '昆明市五华区人民政府', messageId: 'om_2' }, now: Date.now() };
    await first.opened.store.receiveInbound('message:om_2', { input, named: [] }, Date.now());
    await bot.handle(input);
    first.opened.close();

    const second = wire(db.file, (s) => createBot({ store: s }));
    expect(await second.core.recover()).toBe(1);
    const ev = await second.opened.store.findEvaluationByChat(chatId);
    const answers = await second.opened.store.getAnswers(ev!.id);
    expect(answers['project.department']).toBe('昆明市五华区人民政府');
    expect(answers['project.unit']).toBeUndefined(); // the next question was not answered with it
    const queued = await second.opened.store.dueOutgoing(Date.now() + 1000, 100);
    expect(queued.some((r) => JSON.stringify(r.payload).includes('已经处理过'))).toBe(true);
    second.opened.close();
  });
});
