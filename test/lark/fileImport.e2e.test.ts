// A Word file sent in a Lark chat: the file message event arrives signed and encrypted,
// the core fetches the bytes through the real SDK's message-resource call from the
// fake platform (which refuses a missing `type` or a key of another message, as Lark
// does), the bot replies what it found, and 确认 applies it with the sender recorded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { createLarkClient, silentLogger } from '../../src/channels/lark/client';
import { messageFileDownloader } from '../../src/channels/lark/files';
import { buildSeed } from '../documents/helpers';
import { type FakeLark, startFakeLark } from './fakeLark';
import { APP_ID, BOT_OPEN_ID, type Harness, startHarness } from './harness';

let fake: FakeLark;
let h: Harness;
beforeEach(async () => {
  fake = await startFakeLark();
  const client = createLarkClient({ appId: APP_ID, appSecret: 'secret-secret', domain: fake.url, logger: silentLogger });
  h = await startHarness((store) => createBot({ store }), { fake, core: { downloadFile: messageFileDownloader(client) } });
});
afterEach(async () => {
  await h.close();
  await fake.close();
});

async function post(event: unknown): Promise<string[]> {
  const before = fake.messages.length;
  expect((await h.side.post(event)).status).toBe(200);
  await h.app.idle();
  await h.sender.drain();
  return fake.messages.slice(before).map((m) => (m.msgType === 'text' ? (JSON.parse(m.content).text as string) : m.msgType));
}
const chatId = 'oc_file';
const say = (text: string, senderId = 'ou_zhang') => post(h.side.messageEvent({ chatId, senderId, text, mentionBot: { openId: BOT_OPEN_ID } }));
function sendFile(messageId: string, fileKey: string, fileName: string, bytes: Uint8Array, senderId = 'ou_li') {
  fake.resources.set(`${messageId}/${fileKey}`, bytes);
  return post(h.side.messageEvent({ chatId, senderId, messageId, messageType: 'file', content: JSON.stringify({ file_key: fileKey, file_name: fileName }) }));
}

describe('a file message in Lark', () => {
  it('is downloaded with the message-resource call, summarised, and applied on 确认', async () => {
    const [form] = await buildSeed();
    await say('新建评价 行政综合性经费 2024');
    const reply = (await sendFile('om_file_1', 'file_v3_abc', form.fileName, form.bytes)).join('\n');
    expect(reply).toContain(`已读取“${form.fileName}”（Word）`);
    const call = fake.calls.find((c) => c.path === '/open-apis/im/v1/messages/om_file_1/resources/file_v3_abc');
    expect(call?.query).toMatchObject({ type: 'file' });
    expect(call?.status).toBe(200);
    expect((await say('确认', 'ou_li')).join('\n')).toMatch(/已从“.*”导入\d+项答案/);
    const ev = (await h.opened.store.findEvaluationByChat(chatId))!;
    const history = await h.opened.store.getHistory(ev.id, 'lineItems[0].budget');
    expect(history[0].via).toBe(`导入 ${form.fileName}（ou_li发送）`);
    expect((await h.opened.store.getAnswers(ev.id))['lineItems[0].budget']).toBe(273.45);
  });

  it('a file over the limit is not downloaded whole and the reply says how large it is', async () => {
    await say('新建评价 行政综合性经费 2024');
    const big = new Uint8Array(11 * 1024 * 1024);
    const reply = (await sendFile('om_file_2', 'file_v3_big', '大.docx', big)).join('\n');
    expect(reply).toContain('“大.docx”有 11.0 MB，超过了导入上限 10.0 MB');
  });

  it('a file the platform will not give (not in that message) gets a plain answer, nothing changes', async () => {
    await say('新建评价 行政综合性经费 2024');
    await say('取消');
    const ev = (await h.opened.store.findEvaluationByChat(chatId))!;
    const before = await h.opened.store.getAnswers(ev.id);
    const reply = (await post(h.side.messageEvent({ chatId, senderId: 'ou_li', messageId: 'om_file_3', messageType: 'file', content: JSON.stringify({ file_key: 'file_v3_other', file_name: '自评.docx' }) }))).join('\n');
    expect(reply).toContain('没有取到“自评.docx”的内容');
    expect(await h.opened.store.getAnswers(ev.id)).toEqual(before);
  });
});
