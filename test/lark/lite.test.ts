// The small fetch client the Node server uses instead of the SDK, against the fake
// platform: every call the server makes, the errors the sender's retry rules read,
// and a stale tenant token renewed once.
import { afterEach, describe, expect, it } from 'vitest';
import { fetchBotInfo } from '../../src/channels/lark/botInfo';
import { messageFileDownloader } from '../../src/channels/lark/files';
import { createLiteClient } from '../../src/channels/lark/lite';
import { contactNameLookup } from '../../src/channels/lark/names';
import { classifyError, createSender } from '../../src/channels/lark/sender';
import { openSqlite } from '../../src/store/sqlite';
import { startFakeLark, type FakeLark } from './fakeLark';
import { APP_ID, quietLogger, tempDb } from './harness';

let fake: FakeLark | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const c of cleanups.splice(0)) c();
});

async function setup(o: { fetch?: typeof fetch } = {}) {
  fake = await startFakeLark({ botOpenId: 'ou_lite_bot', appName: '绩效自评助手' });
  const client = createLiteClient({ appId: APP_ID, appSecret: 'secret-secret', domain: fake.url, timeoutMs: 2000, ...o });
  return { fake, client };
}

describe('the fetch client', () => {
  it('asks who the bot is, and refuses a wrong secret with the platform’s message', async () => {
    const { fake: f, client } = await setup();
    expect(await fetchBotInfo(client)).toEqual({ openId: 'ou_lite_bot', appName: '绩效自评助手' });
    const wrong = createLiteClient({ appId: APP_ID, appSecret: 'nope', domain: f.url });
    await expect(fetchBotInfo(wrong)).rejects.toThrow(/app secret invalid/);
  });

  it('sends texts, replies and files through the sender exactly once while a third of the calls fail', async () => {
    const { fake: f, client } = await setup();
    const db = tempDb();
    const opened = openSqlite(db.file);
    cleanups.push(() => {
      opened.close();
      db.cleanup();
    });
    let t = Date.UTC(2025, 2, 1);
    const sender = createSender({ store: opened.store, client, logger: quietLogger, now: () => t, sleep: async (ms) => void (t += ms) });
    const parent = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_lite', msg_type: 'text', content: JSON.stringify({ text: '原消息' }), uuid: 'u-parent' } });
    const parentId = parent.data.message_id as string;
    const items = [
      { chatId: 'oc_lite', kind: 'text' as const, payload: { text: '你好' }, uuid: 'u-1', replyTo: parentId },
      { chatId: 'oc_lite', kind: 'file' as const, payload: { fileName: '报告.docx', base64: Buffer.from('PK docx bytes').toString('base64') }, uuid: 'u-2' },
      { chatId: 'user:ou_someone', kind: 'text' as const, payload: { text: '私信' }, uuid: 'u-3' },
    ];
    await opened.store.enqueueOutgoing(items, t);
    f.failRatio(0.33, ['5xx', 'lost', '230020', '429'], 5);
    for (let round = 0; round < 40 && (await opened.store.pendingCount()) > 0; round++) {
      await sender.drain();
      t += 61_000;
    }
    expect(await opened.store.pendingCount()).toBe(0);
    const counts = f.countByUuid();
    for (const u of ['u-1', 'u-2', 'u-3']) expect(counts.get(u)).toBe(1);
    const byUuid = new Map(f.messages.map((m) => [m.uuid, m]));
    expect(byUuid.get('u-1')!.replyTo).toBe(parentId);
    expect(byUuid.get('u-3')!.chatId).toBe('user:ou_someone');
    const file = f.files.get(JSON.parse(byUuid.get('u-2')!.content).file_key)!;
    expect(file.fileName).toBe('报告.docx');
    expect(Buffer.from(file.bytes).toString()).toBe('PK docx bytes');
  });

  it('fails the way the sender reads: 429 with its reset, 5xx retried, a wrong request given up', async () => {
    const { fake: f, client } = await setup();
    const send = () => client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_x', msg_type: 'text', content: '{"text":"x"}' } }).then(() => undefined, (e: unknown) => e);
    f.failRatio(1, ['429'], 1);
    const v429 = classifyError(await send());
    expect(v429.retry).toBe(true);
    f.failRatio(1, ['5xx'], 1);
    expect(classifyError(await send()).retry).toBe(true);
    f.failRatio(0);
    const bad = await client.im.v1.message.create({ params: { receive_id_type: 'nonsense' }, data: { receive_id: 'oc_x', msg_type: 'text', content: '{"text":"x"}' } }).then(() => undefined, (e: unknown) => e);
    expect(classifyError(bad)).toMatchObject({ retry: false, error: expect.stringContaining('230001') });
  });

  it('reads names and files people send', async () => {
    const { fake: f, client } = await setup();
    f.contacts.set('ou_zhang', '张三');
    expect(await contactNameLookup(client)('ou_zhang')).toBe('张三');
    await expect(contactNameLookup(client)('ou_nobody')).rejects.toBeTruthy();
    const bytes = new Uint8Array(50_000).map((_, i) => i % 251);
    f.userFile('om_file', 'oc_lite', 'file_key_1', bytes);
    const got = await messageFileDownloader(client)('om_file', 'file_key_1');
    expect('bytes' in got && Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(await messageFileDownloader(client, 1000)('om_file', 'file_key_1')).toEqual({ size: 50_000 });
  });

  it('renews a tenant token the platform no longer takes, once', async () => {
    let refused = 0;
    const { fake: f, client } = await setup({
      fetch: async (input, init) => {
        // the platform forgets the token once: 401 with code 99991663, as Lark answers
        if (String(input).includes('/bot/v3/info') && refused++ === 0) return new Response(JSON.stringify({ code: 99991663, msg: 'Invalid access token' }), { status: 401 });
        return fetch(input, init);
      },
    });
    expect((await fetchBotInfo(client)).openId).toBe('ou_lite_bot');
    expect(refused).toBe(2);
    expect(f.calls.filter((c) => c.path === '/open-apis/auth/v3/tenant_access_token/internal')).toHaveLength(2);
    await fetchBotInfo(client);
    expect(f.calls.filter((c) => c.path === '/open-apis/auth/v3/tenant_access_token/internal')).toHaveLength(2); // kept while good
  });
});
