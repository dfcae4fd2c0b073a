// The fake platform acts only on message ids it issued (the bot's sends, the users' messages
// the harness delivers), as Lark does; and a reply whose target the person recalled still
// reaches the chat, as a plain message.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBot } from './fakeBot';
import { startHarness, type Harness } from './harness';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const chat = 'oc_reply_target';
/** The Lark error code and HTTP status of a refused SDK call, or 0 when it went through. */
const outcome = (call: Promise<unknown>) =>
  call.then(
    () => ({ status: 200, code: 0 }),
    async (e: { response?: { status?: number; data?: unknown } }) => ({ status: e.response?.status, code: (await bodyOf(e.response?.data))?.code }),
  );
/** An error body: parsed JSON, or a stream (the file download asks for one) read and parsed. */
async function bodyOf(data: unknown): Promise<{ code?: number } | undefined> {
  if (data && typeof (data as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const c of data as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }
  return data as { code?: number } | undefined;
}
const textOf = (m: { content: string }) => JSON.parse(m.content).text as string;

describe('message ids the platform never issued', () => {
  it('are refused for replies and card patches (HTTP 400, 230001) and message files (234001); recalled ones with 230011 / 230110', async () => {
    h = await startHarness(new FakeBot());
    const im = h.client.im;
    const reply = (id: string) => outcome(im.v1.message.reply({ path: { message_id: id }, data: { msg_type: 'text', content: JSON.stringify({ text: '好' }) } }));
    const patch = (id: string) => outcome(im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify({ schema: '2.0', body: { elements: [] } }) } }));
    const resource = (id: string) => outcome(im.messageResource.get({ path: { message_id: id, file_key: 'file_x' }, params: { type: 'file' } }));

    expect(await reply('om_never_issued')).toEqual({ status: 400, code: 230001 });
    expect(await patch('om_never_issued')).toEqual({ status: 400, code: 230001 });
    expect(await resource('om_never_issued')).toEqual({ status: 400, code: 234001 });
    expect(h.fake.messages).toHaveLength(0);

    h.fake.userMessage('om_user_1', chat);
    expect(await reply('om_user_1')).toEqual({ status: 200, code: 0 });
    expect(h.fake.messages[0]).toMatchObject({ replyTo: 'om_user_1', chatId: chat });

    h.fake.recall('om_user_1');
    expect(await reply('om_user_1')).toEqual({ status: 400, code: 230011 });
    expect(await patch('om_user_1')).toEqual({ status: 400, code: 230011 });
    expect(await resource('om_user_1')).toEqual({ status: 400, code: 230110 });
    expect(h.fake.messages).toHaveLength(1);
  });

  it('the harness registers every message it delivers, so the reply threads under it in its chat', async () => {
    h = await startHarness(new FakeBot());
    const ev = h.side.messageEvent({ chatId: chat, senderId: 'ou_a', text: '你好' });
    expect((await h.side.post(ev)).status).toBe(200);
    await h.app.idle();
    expect(await h.sender.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(h.fake.messages).toMatchObject([{ replyTo: ev.event.message.message_id, chatId: chat }]);
  });
});

describe('a reply whose target is gone', () => {
  it('goes into the chat as a plain message when the person recalled the message before the answer went out', async () => {
    h = await startHarness(new FakeBot());
    const ev = h.side.messageEvent({ chatId: chat, senderId: 'ou_a', text: '五华区' });
    expect((await h.side.post(ev)).status).toBe(200);
    await h.app.idle();
    h.fake.recall(ev.event.message.message_id);
    expect(await h.sender.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    // refused once as a reply, then posted into the chat, once
    const replies = h.fake.calls.filter((c) => c.path.endsWith('/reply'));
    expect(replies.map((c) => c.status)).toEqual([400]);
    expect(h.fake.messages).toHaveLength(1);
    expect(h.fake.messages[0].chatId).toBe(chat);
    expect(h.fake.messages[0].replyTo).toBeUndefined();
    expect(textOf(h.fake.messages[0])).toBe('收到：五华区');
    const row = h.opened.db.$client.prepare('SELECT status, sent_message_id FROM outbox').get() as { status: string; sent_message_id: string };
    expect(row).toEqual({ status: 'sent', sent_message_id: h.fake.messages[0].messageId });
  });

  it('also when Lark does not know the target at all (230001), and in the order the chat had', async () => {
    h = await startHarness(new FakeBot());
    await h.opened.store.enqueueOutgoing(
      [
        { chatId: chat, kind: 'text', payload: { text: '第一条' }, replyTo: 'om_unknown', uuid: 'u-1' },
        { chatId: chat, kind: 'text', payload: { text: '第二条' }, uuid: 'u-2' },
      ],
      Date.now(),
    );
    expect(await h.sender.drain()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(h.fake.messages.map(textOf)).toEqual(['第一条', '第二条']);
    expect(h.fake.messages.every((m) => m.chatId === chat && m.replyTo === undefined)).toBe(true);
  });

  it('a refusal for another reason (bot not in the chat, 230002) is not turned into a chat message', async () => {
    h = await startHarness(new FakeBot());
    h.fake.userMessage('om_user_2', chat);
    await h.opened.store.enqueueOutgoing([{ chatId: chat, kind: 'text', payload: { text: '好的' }, replyTo: 'om_user_2', uuid: 'u-3' }], Date.now());
    h.fake.failNext(1, '230002');
    expect(await h.sender.drain()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(h.fake.messages).toHaveLength(0);
    expect(h.fake.calls.filter((c) => c.path === '/open-apis/im/v1/messages')).toHaveLength(0);
  });
});
