// The webhook path end to end with a fake bot: Lark's side signs and encrypts,
// the app verifies, dedupes, records, queues; the sender delivers to the fake platform.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLarkApp } from '../../src/channels/lark/app';
import { createLarkCore } from '../../src/channels/lark/core';
import { FakeBot, formCard } from './fakeBot';
import { BOT_OPEN_ID, ENCRYPT_KEY, quietLogger, startHarness, tableCounts, VERIFICATION_TOKEN, type Harness } from './harness';
import { createLarkSide } from './larkSide';

let h: Harness;
let bot: FakeBot;
const chat = 'oc_group1';

beforeEach(async () => {
  bot = new FakeBot();
  h = await startHarness(bot);
});
afterEach(async () => {
  await h.close();
});

const outboxRows = () => h.opened.db.$client.prepare('SELECT * FROM outbox ORDER BY id').all() as { kind: string; payload: string; reply_to: string | null; uuid: string; status: string }[];

describe('refused requests', () => {
  it('forged, unsigned, stale, tampered, wrong-token, malformed and garbage requests change nothing', async () => {
    const before = tableCounts(h.opened.db);
    const ev = () => h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', text: '你好', mentionBot: { openId: BOT_OPEN_ID } });
    const cases: [string, () => Promise<Response>, number][] = [
      ['bad signature', () => h.side.forge.badSignature(ev()), 401],
      ['no signature (encrypted)', () => h.side.forge.noSignature(ev()), 401],
      ['no signature, plain', () => h.side.forge.plainUnsigned(ev()), 401],
      ['stale timestamp', () => h.side.forge.stale(ev()), 401],
      ['tampered body', () => h.side.forge.tampered(ev()), 401],
      ['wrong token', () => h.side.forge.wrongToken((t) => h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', text: 'x' }, t)), 401],
      ['wrong token, card', () => h.side.forge.wrongToken((t) => h.side.cardAction({ chatId: chat, operatorId: 'ou_a', value: { kind: 'command', command: '进度' } }, t)), 401],
      ['malformed JSON', () => h.side.forge.malformedJson(), 400],
      ['garbage encrypt', () => h.side.forge.garbageEncrypt(), 400],
      ['short encrypt', () => h.side.forge.shortEncrypt(), 400],
      ['unsigned malformed', () => h.side.postRaw('{nope', { sign: false }), 401],
      ['wrong-token challenge', () => h.side.post(h.side.challenge('abc', 'bad'), { sign: false }), 401],
      ['plain challenge, wrong token', () => h.side.post(h.side.challenge('abc', 'bad'), { sign: false, encrypt: false }), 401],
    ];
    for (const [name, send, status] of cases) {
      const res = await send();
      expect(res.status, name).toBe(status);
    }
    await h.app.idle();
    expect(bot.inputs).toHaveLength(0);
    expect(tableCounts(h.opened.db)).toEqual(before);
  });

  it('answers the URL challenge (encrypted or plain) when the token is right', async () => {
    for (const encrypt of [true, false]) {
      const res = await h.side.post(h.side.challenge('c-123'), { sign: false, encrypt });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challenge: 'c-123' });
    }
  });

  it('without an Encrypt Key, plain events are checked by token only (local experiments)', async () => {
    const core = createLarkCore({ store: h.opened.store, bot, botOpenId: () => BOT_OPEN_ID, logger: quietLogger });
    const app = createLarkApp({ core, verificationToken: VERIFICATION_TOKEN, logger: quietLogger });
    const side = createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, send: (p, i) => app.request(p, i) });
    expect((await side.post(side.messageEvent({ chatId: chat, senderId: 'ou_a', text: 'hi' }), { encrypt: false, sign: false })).status).toBe(200);
    expect((await side.post(side.messageEvent({ chatId: chat, senderId: 'ou_a', text: 'hi' }, 'bad'), { encrypt: false, sign: false })).status).toBe(401);
    // a signed request cannot be checked without the key
    expect((await side.post(side.messageEvent({ chatId: chat, senderId: 'ou_a', text: 'hi' }), { encrypt: false })).status).toBe(401);
    await app.idle();
  });
});

describe('messages', () => {
  it('answers 200 at once, runs the bot after, queues the reply, and the sender delivers it as a reply', async () => {
    let release!: () => void;
    bot.gate = new Promise((r) => (release = r));
    const ev = h.side.messageEvent({
      chatId: chat,
      senderId: 'ou_alice',
      text: '请 @_user_2 看看',
      mentionBot: { openId: BOT_OPEN_ID },
      mentions: [{ key: '@_user_2', openId: 'ou_bob', name: '李四' }],
    });
    const res = await h.side.post(ev);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(bot.finished).toBe(0); // answered while the bot was still held: it did not wait for it
    release();
    bot.gate = undefined;
    await h.app.idle();
    expect(bot.finished).toBe(1);
    expect(bot.inputs[0].message).toEqual({ type: 'text', text: '请 @李四 看看', messageId: ev.event.message.message_id, mentions: [{ userId: 'ou_bob', name: '李四' }] });
    const rows = outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'text', reply_to: ev.event.message.message_id, status: 'pending' });
    // members seen: the mentioned one with a name
    const members = h.opened.db.$client.prepare('SELECT user_id, user_name FROM members ORDER BY user_id').all();
    expect(members).toEqual([
      { user_id: 'ou_alice', user_name: 'ou_alice' },
      { user_id: 'ou_bob', user_name: '李四' },
    ]);

    expect(await h.sender.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const sent = h.fake.messages;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ replyTo: ev.event.message.message_id, msgType: 'text', uuid: rows[0].uuid });
    expect(JSON.parse(sent[0].content)).toEqual({ text: '收到：请 <at user_id="ou_bob">李四</at> 看看' });
    expect(outboxRows()[0].status).toBe('sent');
  });

  it('handles a redelivered event once, and the same message under a new event once', async () => {
    const ev = h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', text: '进度' });
    for (let i = 0; i < 3; i++) expect((await h.side.post(ev)).status).toBe(200);
    const again = h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', text: '进度', messageId: ev.event.message.message_id });
    expect((await h.side.post(again)).status).toBe(200);
    await h.app.idle();
    expect(bot.inputs).toHaveLength(1);
    expect(outboxRows()).toHaveLength(1);
  });

  it('answers a bot failure with an apology instead of silence', async () => {
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', text: '出错' }));
    await h.app.idle();
    expect(JSON.parse(outboxRows()[0].payload).text).toContain('抱歉');
  });

  it('turns an image into a file input (a 整改 item\'s evidence may be a photo), a sticker into empty text', async () => {
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', messageType: 'image', content: '{"image_key":"img_1"}' }));
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', messageType: 'sticker', content: '{"file_key":"sticker_1"}' }));
    await h.app.idle();
    expect(bot.inputs[0].message).toMatchObject({ type: 'file', fileKey: 'img_1', fileName: '图片', image: true });
    expect(bot.inputs[1].message).toMatchObject({ type: 'text', text: '' });
  });

  it('sends a card as an interactive message', async () => {
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', text: '填写', mentionBot: { openId: BOT_OPEN_ID } }));
    await h.app.idle();
    await h.sender.drain();
    expect(h.fake.messages[0].msgType).toBe('interactive');
    const card = JSON.parse(h.fake.messages[0].content);
    expect(card.schema).toBe('2.0');
    expect(card.body.elements.some((e: { tag: string }) => e.tag === 'form')).toBe(true);
  });

  it('uploads a file and posts it; the bytes can be read back', async () => {
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: 'ou_alice', text: '生成报告' }));
    await h.app.idle();
    expect(await h.sender.drain()).toEqual({ sent: 2, retried: 0, failed: 0 });
    const fileMsg = h.fake.messages.find((m) => m.msgType === 'file')!;
    const { file_key } = JSON.parse(fileMsg.content);
    const stored = h.fake.files.get(file_key)!;
    expect(stored.fileName).toBe('绩效评价报告.docx');
    expect(stored.fileType).toBe('stream');
    expect(stored.bytes.toString()).toBe('PK\u0003\u0004 fake docx bytes 绩效评价报告');
    // text first (as a reply), then the file in the chat
    expect(h.fake.messages.map((m) => m.msgType)).toEqual(['text', 'file']);
    expect(fileMsg.chatId).toBe(chat);
  });
});

describe('card callbacks', () => {
  it('answers inline with a toast and the updated card, queues the other messages', async () => {
    const submit = formCard().blocks[1];
    const value = submit.type === 'form' ? submit.submit.action : undefined;
    const res = await h.side.post(
      h.side.cardAction({ chatId: chat, operatorId: 'ou_bob', value, formValue: { projectName: '老旧小区改造', type: '一次性项目', selfEvalDate: '2025-03-01 +0800' } }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast: unknown; card: { type: string; data: { schema: string; body: { elements: unknown[] } } } };
    expect(body.toast).toEqual({ type: 'success', content: '已保存' });
    expect(body.card.type).toBe('raw');
    expect(body.card.data.schema).toBe('2.0');
    expect(JSON.stringify(body.card.data)).toContain('✅ 已保存');
    expect(bot.inputs[0].message).toMatchObject({ type: 'action', action: { kind: 'submit', sectionId: 'basic', values: { projectName: '老旧小区改造', selfEvalDate: '2025-03-01' } } });
    expect(outboxRows()).toHaveLength(1);
    await h.sender.drain();
    expect(h.fake.messages[0].replyTo).toBeUndefined();
    expect(JSON.parse(h.fake.messages[0].content).text).toBe('<at user_id="ou_bob">ou_bob</at> 已保存 3 项');
  });

  it('shows errors in the returned card and dedupes a redelivered callback', async () => {
    const ev = h.side.cardAction({ chatId: chat, operatorId: 'ou_bob', value: { kind: 'submit', sectionId: 'basic', values: {} }, formValue: { projectName: '' } });
    const body = (await (await h.side.post(ev)).json()) as { toast: { type: string }; card: { data: unknown } };
    expect(body.toast.type).toBe('error');
    expect(JSON.stringify(body.card.data)).toContain('项目名称不能为空');
    expect(await (await h.side.post(ev)).json()).toEqual({});
    expect(bot.inputs).toHaveLength(1);
  });

  it('a slow bot gets an interim toast and its result is posted later', async () => {
    const core = createLarkCore({ store: h.opened.store, bot, botOpenId: () => BOT_OPEN_ID, logger: quietLogger, cardTimeoutMs: 20 });
    const app = createLarkApp({ core, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, logger: quietLogger });
    const side = createLarkSide({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, send: (p, i) => app.request(p, i) });
    bot.delayMs = 100;
    const res = await side.post(side.cardAction({ chatId: chat, operatorId: 'ou_a', value: { kind: 'submit', sectionId: 'basic', values: { projectName: 'x' } } }));
    expect(((await res.json()) as { toast: { type: string } }).toast.type).toBe('info');
    await app.idle();
    expect(outboxRows().map((r) => r.kind)).toEqual(['card', 'text']);
  });
});

describe('healthz', () => {
  it('reports readiness', async () => {
    expect(await (await h.app.request('/healthz')).json()).toEqual({ ok: true });
    const core = createLarkCore({ store: h.opened.store, bot, logger: quietLogger });
    const app = createLarkApp({ core, encryptKey: ENCRYPT_KEY, ready: () => false, logger: quietLogger });
    expect((await app.request('/healthz')).status).toBe(503);
  });
});
