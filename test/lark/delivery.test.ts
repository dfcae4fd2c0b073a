// Nothing lost, nothing crossed: a message Lark got its 200 for is handled exactly
// once, in its chat's order, whatever fails in between (issue 9, defects 1–3).
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import type { Bot, Input } from '../../src/conversation/types';
import { handledEvents } from '../../db/schema';
import { BOT_OPEN_ID, startHarness, type Harness } from './harness';

const chat = 'oc_delivery';
const zhang = 'ou_zhang';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const say = (hh: Harness, text: string, o: { messageId?: string; eventId?: string; chatId?: string; senderId?: string } = {}) =>
  hh.side.post(hh.side.messageEvent({ chatId: o.chatId ?? chat, senderId: o.senderId ?? zhang, text, mentionBot: { openId: BOT_OPEN_ID }, messageId: o.messageId, eventId: o.eventId }));

async function answers(hh: Harness, chatId = chat) {
  const ev = await hh.opened.store.findEvaluationByChat(chatId);
  return hh.opened.store.getAnswers(ev!.id);
}

describe('a message answered 200 is never lost behind its dedupe key', () => {
  it('a failed inbox write leaves no key behind: the redelivery is handled', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    await say(h, '新建评价 测试项目 2024');
    await h.app.idle();
    const store = h.opened.store;
    const real = store.receiveInbound.bind(store);
    let failures = 1;
    store.receiveInbound = async (...args) => {
      if (failures-- > 0) throw new Error('disk I/O error');
      return real(...args);
    };
    const payload = h.side.messageEvent({ chatId: chat, senderId: zhang, text: '昆明市五华区人民政府', mentionBot: { openId: BOT_OPEN_ID }, messageId: 'om_fail_once' });
    expect((await h.side.post(payload)).status).toBe(500); // Lark will redeliver
    expect((await h.side.post(payload)).status).toBe(200); // the redelivery
    await h.app.idle();
    expect((await answers(h))['project.department']).toBe('昆明市五华区人民政府');
  });

  it('a dedupe key left without its work (a crash in an older version) does not swallow the message', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    await say(h, '新建评价 测试项目 2024');
    await h.app.idle();
    // the old code wrote these before the inbox row; a crash in between left them alone
    await h.opened.db.insert(handledEvents).values([{ key: 'message:om_orphan', at: Date.now() }, { key: 'event:ev_orphan', at: Date.now() }]).run();
    expect((await say(h, '昆明市五华区人民政府', { messageId: 'om_orphan', eventId: 'ev_orphan' })).status).toBe(200);
    await h.app.idle();
    expect((await answers(h))['project.department']).toBe('昆明市五华区人民政府');
  });

  it('work that failed after the 200 is finished by the next delivery, once', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    await say(h, '新建评价 测试项目 2024');
    await h.app.idle();
    const store = h.opened.store;
    // the bot's one transaction (answers, dialog, replies, inbox entry) fails once, and so does the fallback
    const realCommit = store.commitMessage.bind(store);
    const realComplete = store.completeInbound.bind(store);
    let commitFailures = 1;
    let completeFailures = 1;
    store.commitMessage = async (...args) => {
      if (commitFailures-- > 0) throw new Error('database is locked');
      return realCommit(...args);
    };
    store.completeInbound = async (...args) => {
      if (completeFailures-- > 0) throw new Error('database is locked');
      return realComplete(...args);
    };
    const payload = h.side.messageEvent({ chatId: chat, senderId: zhang, text: '昆明市五华区人民政府', mentionBot: { openId: BOT_OPEN_ID }, messageId: 'om_late' });
    expect((await h.side.post(payload)).status).toBe(200);
    await h.app.idle();
    expect(await store.pendingInbound()).toHaveLength(1); // answered, not finished
    // Lark redelivers (it did get its 200 here, but a second event for the same message is enough)
    expect((await h.side.post({ ...payload, header: { ...payload.header, event_id: 'ev_again' } })).status).toBe(200);
    await h.app.idle();
    expect(await store.pendingInbound()).toHaveLength(0);
    const ev = await store.findEvaluationByChat(chat);
    expect((await store.getHistory(ev!.id, 'project.department')).length).toBe(1);
    expect((await answers(h))['project.unit']).toBeUndefined(); // recognised as done, not used as the next answer
  });
});

describe('one chat, one message at a time, in the order Lark gave them', () => {
  it('three answers 100 ms apart while the name lookup is slow land on three questions', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    await say(h, '新建评价 测试项目 2024');
    await h.app.idle();
    h.fake.contactDelayMs = 400;
    h.fake.contacts.set('ou_new', '赵六');
    const texts = ['昆明市五华区人民政府', '五华区红云街道办事处', '昆明市五华区人民政府红云街道办事处'];
    // 赵六 answers for the chat; a fresh sender means a name lookup for the first message
    await say(h, '填写', { senderId: 'ou_new' });
    for (const t of texts) {
      expect((await say(h, t, { senderId: 'ou_new' })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
    }
    await h.app.idle();
    const a = await answers(h);
    expect([a['project.department'], a['project.unit'], a['project.unitFullName']]).toEqual(texts);
  });

  it('orders by create_time, not by who won the race to the server', async () => {
    const seen: string[] = [];
    const bot: Bot = {
      async handle(input: Input) {
        if (input.message.type === 'text') seen.push(input.message.text);
        return { messages: [] };
      },
    };
    h = await startHarness(bot);
    const base = Date.now();
    const event = (text: string, at: number) => {
      const e = h!.side.messageEvent({ chatId: chat, senderId: zhang, text, mentionBot: { openId: BOT_OPEN_ID } });
      e.event.message.create_time = String(at);
      return e;
    };
    // delivered together, newest first
    await Promise.all([h.side.post(event('三', base + 300)), h.side.post(event('二', base + 200)), h.side.post(event('一', base + 100))]);
    await h.app.idle();
    expect(seen).toEqual(['一', '二', '三']);
  });

  it('a slow chat does not hold up another chat', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const done: string[] = [];
    const bot: Bot = {
      async handle(input: Input) {
        if (input.place.chatId === 'oc_slow') await held;
        done.push(input.place.chatId);
        return { messages: [] };
      },
    };
    h = await startHarness(bot);
    await say(h, '慢', { chatId: 'oc_slow' });
    await say(h, '快', { chatId: 'oc_fast' });
    const end = Date.now() + 2000;
    while (!done.includes('oc_fast') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(done).toEqual(['oc_fast']);
    release();
    await h.app.idle();
    expect(done).toEqual(['oc_fast', 'oc_slow']);
  });
});

describe('card buttons work as often as they are pressed', () => {
  it('a second 保存 on the same card is saved, not taken for a redelivery', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    await say(h, '新建评价 测试项目 2024');
    await h.app.idle();
    const ev = await h.opened.store.findEvaluationByChat(chat);
    const save = (department: string) =>
      h!.side.post(
        h!.side.cardAction({
          chatId: chat,
          operatorId: zhang,
          messageId: 'om_the_card',
          value: { kind: 'submit', sectionId: 'project', evaluationId: ev!.id, values: {} },
          formValue: { department },
        }),
      );
    expect((await save('昆明市五华区人民政府')).status).toBe(200);
    await h.app.idle();
    const second = await save('五华区人民政府');
    expect(second.status).toBe(200);
    expect(JSON.stringify(await second.json())).not.toContain('已经处理过');
    await h.app.idle();
    expect((await answers(h))['project.department']).toBe('五华区人民政府');
  });
});

describe('redeliveries and the timestamp window', () => {
  it('a redelivery 6 hours later, still signed with its first timestamp, is accepted and handled once', async () => {
    let clock = Date.now();
    h = await startHarness((s) => createBot({ store: s }), { now: () => clock });
    const payload = h.side.messageEvent({ chatId: chat, senderId: zhang, text: '昆明市五华区人民政府', mentionBot: { openId: BOT_OPEN_ID }, messageId: 'om_redelivered' });
    const first = h.side.request(payload); // signed now
    clock += 6 * 3600_000 + 5 * 60_000; // the 6-hour redelivery of an event nobody answered
    await say(h, '新建评价 测试项目 2024');
    await h.app.idle();
    const send = () => h!.app.request('/lark/events', { method: 'POST', headers: first.headers, body: first.raw });
    expect((await send()).status).toBe(200);
    await h.app.idle();
    expect((await answers(h))['project.department']).toBe('昆明市五华区人民政府');
    // the same request replayed inside the window changes nothing: the dedupe key outlives the window
    expect((await send()).status).toBe(200);
    await h.app.idle();
    const ev = await h.opened.store.findEvaluationByChat(chat);
    expect((await h.opened.store.getHistory(ev!.id, 'project.department')).length).toBe(1);
    expect((await answers(h))['project.unit']).toBeUndefined();
  });

  it('older than the redelivery schedule, or from the future, is refused', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    const ev = () => h!.side.messageEvent({ chatId: chat, senderId: zhang, text: '新建评价 测试项目 2024', mentionBot: { openId: BOT_OPEN_ID } });
    expect((await h.side.forge.stale(ev())).status).toBe(401);
    expect((await h.side.forge.future(ev())).status).toBe(401);
  });
});
