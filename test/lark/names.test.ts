// Sender names through the contact API of the fake platform: people nobody @-mentioned
// are recorded under their real names; a failing or slow contact API costs nothing but the name.
import { afterEach, describe, expect, it } from 'vitest';
import { NameCache } from '../../src/channels/lark/events';
import { NameResolver } from '../../src/channels/lark/names';
import { createBot } from '../../src/bot';
import { FakeBot } from './fakeBot';
import { BOT_OPEN_ID, quietLogger, startHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const chat = 'oc_names';
const contactCalls = (x: Harness, openId?: string) => x.fake.calls.filter((c) => c.path.startsWith('/open-apis/contact/v3/users/') && (!openId || c.path.endsWith(`/${openId}`)));

async function say(x: Harness, senderId: string, text: string) {
  const res = await x.side.post(x.side.messageEvent({ chatId: chat, senderId, text, mentionBot: { openId: BOT_OPEN_ID } }));
  expect(res.status).toBe(200);
  await x.app.idle();
}

const sentTexts = (x: Harness) => x.fake.messages.filter((m) => m.msgType === 'text').map((m) => JSON.parse(m.content).text as string);

describe('sender names from the contact API', () => {
  it('records a sender nobody mentioned under their real name in the answer history', async () => {
    h = await startHarness((store) => createBot({ store }));
    h.fake.contacts.set('ou_zhao', '赵六');
    h.fake.contacts.set('ou_sun', '孙七');
    for (const text of ['新建评价 测试项目 2024', '取消', '填写']) await say(h, 'ou_zhao', text);
    // the first question is the competent department
    const asked = (await h.opened.store.getDialogState(chat, 'ou_zhao'))!;
    expect(asked.state).toMatchObject({ position: { sectionId: 'project', field: 'department' } });
    await say(h, 'ou_zhao', '昆明市五华区财政局');
    const ev = (await h.opened.store.findEvaluationByChat(chat))!;
    const row = (await h.opened.store.getAnswerRows(ev.id)).find((r) => r.path === 'project.department');
    expect(row).toMatchObject({ value: '昆明市五华区财政局', updatedByName: '赵六' });
    expect(await h.opened.store.listMembers(chat)).toMatchObject([{ userId: 'ou_zhao', userName: '赵六' }]);
    // four messages, one lookup: the name is kept
    expect(contactCalls(h, 'ou_zhao')).toHaveLength(1);
    expect(contactCalls(h)[0].query).toMatchObject({ user_id_type: 'open_id' });

    // someone else answers the same question: the bot names the first person, not their open_id
    await h.opened.store.setDialogState(chat, 'ou_sun', ev.id, asked.state, Date.now());
    await say(h, 'ou_sun', '昆明市五华区教育体育局');
    await h.sender.drain();
    const all = sentTexts(h).join('\n');
    expect(all).toContain('这一题原来是 赵六 填写的');
    expect(all).not.toContain('ou_zhao');
    expect(all).not.toContain('ou_sun');
    expect((await h.opened.store.getAnswerRows(ev.id)).find((r) => r.path === 'project.department')?.updatedByName).toBe('孙七');
  });

  it('names the operator of a card callback who never wrote anything', async () => {
    const bot = new FakeBot();
    h = await startHarness(bot);
    h.fake.contacts.set('ou_card', '周八');
    const res = await h.side.post(h.side.cardAction({ chatId: chat, operatorId: 'ou_card', value: { kind: 'submit', sectionId: 'basic', values: { projectName: 'x' } } }));
    expect(res.status).toBe(200);
    expect(bot.inputs[0].actor).toEqual({ userId: 'ou_card', name: '周八' });
    expect(await h.opened.store.listMembers(chat)).toMatchObject([{ userId: 'ou_card', userName: '周八' }]);
  });

  it('falls back to the open_id when the app lacks the permission, still answers, and stops asking for a while', async () => {
    let t = Date.UTC(2025, 2, 1, 2, 0, 0);
    const bot = new FakeBot();
    h = await startHarness(bot, { now: () => t });
    h.fake.contacts.set('ou_wu', '吴九');
    h.fake.contactFailure = 'permission';
    await say(h, 'ou_wu', '你好');
    expect(bot.inputs[0].actor).toEqual({ userId: 'ou_wu', name: 'ou_wu' });
    expect(await h.opened.store.listMembers(chat)).toMatchObject([{ userId: 'ou_wu', userName: 'ou_wu' }]);
    await h.sender.drain();
    expect(sentTexts(h)).toEqual(['收到：你好']);
    expect(contactCalls(h)).toHaveLength(1);

    // no permission is the app's problem, not this user's: nobody is looked up for the next ten minutes
    await say(h, 'ou_wu', '再来');
    await say(h, 'ou_zheng', '我也来');
    expect(contactCalls(h)).toHaveLength(1);
    expect(bot.inputs.map((i) => i.actor.name)).toEqual(['ou_wu', 'ou_wu', 'ou_zheng']);

    // the permission was granted meanwhile: after ten minutes the name comes
    h.fake.contactFailure = undefined;
    t += 10 * 60_000 + 1;
    await say(h, 'ou_wu', '第三条');
    expect(bot.inputs[3].actor.name).toBe('吴九');
    expect(contactCalls(h)).toHaveLength(2);
  });

  it('a person the contact API will not show is retried later, others are still looked up', async () => {
    let t = Date.UTC(2025, 2, 1, 2, 0, 0);
    const bot = new FakeBot();
    h = await startHarness(bot, { now: () => t });
    h.fake.contacts.set('ou_in', '郑十');
    await say(h, 'ou_out', 'a'); // not in the app's contact range: 41050
    await say(h, 'ou_out', 'b');
    await say(h, 'ou_in', 'c');
    expect(bot.inputs.map((i) => i.actor.name)).toEqual(['ou_out', 'ou_out', '郑十']);
    expect(contactCalls(h, 'ou_out')).toHaveLength(1);
    t += 10 * 60_000 + 1;
    await say(h, 'ou_out', 'd');
    expect(contactCalls(h, 'ou_out')).toHaveLength(2);
  });

  it('a 5xx from the contact API is only a missing name', async () => {
    const bot = new FakeBot();
    h = await startHarness(bot);
    h.fake.contactFailure = '5xx';
    await say(h, 'ou_x', '进度');
    await h.sender.drain();
    expect(bot.inputs[0].actor.name).toBe('ou_x');
    expect(sentTexts(h)).toEqual(['收到：进度']);
  });

  it('a slow contact API does not hold the message longer than the time box; the name comes for the next one', async () => {
    const bot = new FakeBot();
    h = await startHarness(bot, { core: { nameTimeoutMs: 50 } });
    h.fake.contacts.set('ou_slow', '慢慢');
    h.fake.contactDelayMs = 1000;
    const started = Date.now();
    const res = await h.side.post(h.side.messageEvent({ chatId: chat, senderId: 'ou_slow', text: '一', mentionBot: { openId: BOT_OPEN_ID } }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(600); // Lark is answered before any lookup
    while (bot.inputs.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(Date.now() - started).toBeLessThan(800); // the bot ran after the time box, not after the lookup
    expect(bot.inputs[0].actor.name).toBe('ou_slow');
    await h.app.idle(); // the lookup finishes in the background, and the chat's member list gets the name
    expect(await h.opened.store.listMembers(chat)).toMatchObject([{ userId: 'ou_slow', userName: '慢慢' }]);
    await say(h, 'ou_slow', '二');
    expect(bot.inputs[1].actor.name).toBe('慢慢');
    expect(contactCalls(h, 'ou_slow')).toHaveLength(1);
  });

  it('a card callback waits briefly for a slow lookup and answers in time', async () => {
    const bot = new FakeBot();
    h = await startHarness(bot, { core: { cardNameTimeoutMs: 50 } });
    h.fake.contacts.set('ou_slowcard', '慢卡');
    h.fake.contactDelayMs = 500;
    const started = Date.now();
    const res = await h.side.post(h.side.cardAction({ chatId: chat, operatorId: 'ou_slowcard', value: { kind: 'submit', sectionId: 'basic', values: { projectName: 'x' } } }));
    const answer = (await res.json()) as { toast?: { type: string } };
    expect(Date.now() - started).toBeLessThan(400);
    expect(answer.toast?.type).toBe('success');
    expect(bot.inputs[0].actor.name).toBe('ou_slowcard');
    await h.app.idle();
    expect(await h.opened.store.listMembers(chat)).toMatchObject([{ userId: 'ou_slowcard', userName: '慢卡' }]);
  });

  it('two messages at once from an unknown sender make one lookup', async () => {
    const bot = new FakeBot();
    h = await startHarness(bot);
    h.fake.contacts.set('ou_twice', '钱一');
    h.fake.contactDelayMs = 30;
    await Promise.all(['一', '二', '三'].map((text) => h!.side.post(h!.side.messageEvent({ chatId: chat, senderId: 'ou_twice', text, mentionBot: { openId: BOT_OPEN_ID } }))));
    await h.app.idle();
    expect(bot.inputs.map((i) => i.actor.name)).toEqual(['钱一', '钱一', '钱一']);
    expect(contactCalls(h, 'ou_twice')).toHaveLength(1);
  });

  it('names learnt from mentions or the store are not looked up', async () => {
    const bot = new FakeBot();
    h = await startHarness(bot);
    await h.opened.store.seeMember(chat, 'ou_known', '老王', 1);
    await say(h, 'ou_known', '你好');
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: 'ou_known', text: '@_user_2 看看', mentionBot: { openId: BOT_OPEN_ID }, mentions: [{ key: '@_user_2', openId: 'ou_ment', name: '小李' }] }));
    await h.app.idle();
    await say(h, 'ou_ment', '好的');
    expect(bot.inputs.map((i) => i.actor.name)).toEqual(['老王', '老王', '小李']);
    expect(contactCalls(h)).toHaveLength(0);
  });
});

describe('NameResolver', () => {
  it('without a lookup answers with the open_id', async () => {
    const r = new NameResolver({ names: new NameCache(), logger: quietLogger });
    expect(await r.resolve('ou_a')).toBe('ou_a');
  });

  it('gives up on a lookup that never answers and asks again only later', async () => {
    let t = 0;
    let calls = 0;
    const r = new NameResolver({
      names: new NameCache(),
      lookup: () => {
        calls++;
        return new Promise(() => {});
      },
      timeoutMs: 10,
      hardTimeoutMs: 30,
      retryAfterMs: 1000,
      now: () => t,
      logger: quietLogger,
    });
    expect(await r.resolve('ou_a')).toBe('ou_a');
    expect(await r.resolve('ou_a')).toBe('ou_a'); // still the same lookup running
    expect(calls).toBe(1);
    await r.idle();
    expect(await r.resolve('ou_a', 0)).toBe('ou_a');
    expect(calls).toBe(1);
    t = 1001;
    await r.resolve('ou_a', 0);
    expect(calls).toBe(2);
  });

  it('caches names in the NameCache', async () => {
    const names = new NameCache();
    const r = new NameResolver({ names, lookup: async (id) => (id === 'ou_a' ? '甲' : undefined), logger: quietLogger });
    expect(await r.resolve('ou_a')).toBe('甲');
    expect(names.get('ou_a')).toBe('甲');
    expect(await r.resolve('ou_b')).toBe('ou_b'); // no name in the answer counts as a failure
  });
});
