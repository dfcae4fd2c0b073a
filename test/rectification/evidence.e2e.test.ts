// Evidence as a file, in Lark: a file or a photo posted in the chat becomes a 整改
// item's evidence, asked for first (整改 1 附件, then the file) or after (the file,
// then 整改 2 附件). The core fetches it through the real SDK's message-resource call
// from the fake platform (type=file or type=image, as Lark wants); the item keeps the
// file's key, message, name and size with who and when; the card, the history and the
// 整改情况表 show it. On a fake clock: a file and an item wait 10 minutes for each other.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { createLarkClient, silentLogger } from '../../src/channels/lark/client';
import { messageFileDownloader } from '../../src/channels/lark/files';
import { documentXml, tables } from '../documents/helpers';
import { type FakeLark, startFakeLark } from '../lark/fakeLark';
import { APP_ID, BOT_OPEN_ID, type Harness, startHarness } from '../lark/harness';
import { bj, example, makeEvaluation } from '../reminders/helpers';

let fake: FakeLark;
let h: Harness;
let now = bj('2025-06-02', '10:00');
const chatId = 'oc_rect_files';
const zhang = 'ou_zhang';

beforeEach(async () => {
  now = bj('2025-06-02', '10:00');
  fake = await startFakeLark();
  fake.contacts.set(zhang, '张三');
  // the downloader the Lark runtime uses, on the real SDK client
  const client = createLarkClient({ appId: APP_ID, appSecret: 'secret-secret', domain: fake.url, logger: silentLogger });
  // the sender's waits for the send rate move the fake clock
  const sender = { sleep: async (ms: number) => void (now += ms) };
  h = await startHarness((store) => createBot({ store }), { fake, now: () => now, sender, core: { downloadFile: messageFileDownloader(client) } });
  await makeEvaluation(h.opened.store, { chatId, projectName: '行政综合性经费', answers: example, by: { userId: zhang, name: '张三' }, now });
  await say('生成报告 确认');
  now = bj('2025-06-02', '10:30');
});
afterEach(async () => {
  await h.close();
  await fake.close();
});

type Sent = { msgType: string; content: string };
async function post(event: unknown): Promise<Sent[]> {
  const before = fake.messages.length;
  expect((await h.side.post(event)).status).toBe(200);
  await h.app.idle();
  await h.sender.drain();
  return fake.messages.slice(before);
}
const textOf = (sent: Sent[]) => sent.flatMap((m) => (m.msgType === 'text' ? [JSON.parse(m.content).text as string] : [])).join('\n');
const say = async (text: string) => textOf(await post(h.side.messageEvent({ chatId, senderId: zhang, text, mentionBot: { openId: BOT_OPEN_ID } })));
function sendFile(messageId: string, fileKey: string, fileName: string, bytes: Uint8Array) {
  fake.resources.set(`${messageId}/${fileKey}`, bytes);
  return post(h.side.messageEvent({ chatId, senderId: zhang, messageId, messageType: 'file', content: JSON.stringify({ file_key: fileKey, file_name: fileName }) }));
}
function sendImage(messageId: string, imageKey: string, bytes: Uint8Array) {
  fake.resources.set(`${messageId}/${imageKey}`, bytes);
  return post(h.side.messageEvent({ chatId, senderId: zhang, messageId, messageType: 'image', content: JSON.stringify({ image_key: imageKey }) }));
}
const itemsNow = async () => h.opened.store.listRectItems((await h.opened.store.findEvaluationByChat(chatId))!.id);
const fileRows = async (itemId: number) => (await h.opened.store.rectHistoryOf(itemId)).filter((r) => r.fileKey);

describe('evidence as a file', () => {
  it('asked for first: 整改 1 附件, then the file; fetched with type=file; kept with who and when; shown on the card and in the 整改情况表', async () => {
    const asked = await say('整改 1 附件');
    expect(asked).toContain('请在10分钟内把第1项');
    expect(asked).toContain('张三发的下一个文件会记到这一项');
    now = bj('2025-06-02', '10:33');
    const pdf = new Uint8Array(150 * 1024).fill(7);
    const reply = textOf(await sendFile('om_ev_1', 'file_v3_ev1', '支付进度通报.pdf', pdf));
    expect(reply).toContain('已把「支付进度通报.pdf」（150 KB）记为第1项的证明材料。');
    expect(reply).toContain('第1项的状态改为“整改中”。');
    const call = fake.calls.find((c) => c.path === '/open-apis/im/v1/messages/om_ev_1/resources/file_v3_ev1');
    expect(call?.query).toMatchObject({ type: 'file' });
    expect(call?.status).toBe(200);

    const [item] = await itemsNow();
    expect(item.status).toBe('doing');
    const [row] = await fileRows(item.id);
    expect(row).toMatchObject({
      field: 'evidence',
      newValue: '附件「支付进度通报.pdf」（150 KB）',
      fileKey: 'file_v3_ev1',
      fileName: '支付进度通报.pdf',
      fileSize: pdf.length,
      fileType: 'file',
      fileMessageId: 'om_ev_1',
      byUser: zhang,
      byName: '张三',
      at: bj('2025-06-02', '10:33'),
      via: 'file',
    });
    // the wait is used up: the next file is not taken for item 1 without asking again
    expect(textOf(await sendFile('om_ev_2', 'file_v3_ev2', '另一个.pdf', new Uint8Array(10)))).toContain('要把它记为哪一项整改的证明材料');
    expect(await fileRows(item.id)).toHaveLength(1);

    const card = (await post(h.side.messageEvent({ chatId, senderId: zhang, text: '整改 1', mentionBot: { openId: BOT_OPEN_ID } }))).find((m) => m.msgType === 'interactive')!;
    expect(card.content).toContain('2025-06-02 张三：附件「支付进度通报.pdf」（150 KB）');
    expect(card.content).toContain('添加证明材料文件');

    expect(await say('整改 1 完成 已按月通报执行率，支付进度达到计划')).toContain('第1项已标记为“已完成”');
    const table = (await post(h.side.messageEvent({ chatId, senderId: zhang, text: '整改情况表', mentionBot: { openId: BOT_OPEN_ID } }))).find((m) => m.msgType === 'file')!;
    const docx = fake.files.get(JSON.parse(table.content).file_key as string)!;
    const rows = tables(await documentXml(docx.bytes))[0].rows.map((r) => r.map((c) => c.text));
    expect(rows[1][7]).toBe('已完成：已按月通报执行率，支付进度达到计划；证明材料：「支付进度通报.pdf」');
    // all closed: the list says what is left to do
    await say('整改 2 无需整改 满意度样本偏少，已在报告中说明');
    const list = (await post(h.side.messageEvent({ chatId, senderId: zhang, text: '整改', mentionBot: { openId: BOT_OPEN_ID } }))).find((m) => m.msgType === 'interactive')!;
    expect(list.content).toContain('整改事项已全部关闭。发送“整改情况表”生成整改情况表');
  });

  it('sent first: a photo is held, fetched with type=image, and 整改 2 附件 takes it', async () => {
    const photo = new Uint8Array(80 * 1024).fill(1);
    const held = textOf(await sendImage('om_img_1', 'img_v3_1', photo));
    expect(held).toContain('收到「图片（张三，2025-06-02）」（80 KB）。要把它记为哪一项整改的证明材料？请在10分钟内发送');
    expect(held).toContain('例如：整改 1 附件\n未完成的整改事项：\n1. 预算执行率未达到100%');
    expect(fake.calls.find((c) => c.path === '/open-apis/im/v1/messages/om_img_1/resources/img_v3_1')?.query).toMatchObject({ type: 'image' });
    now += 5 * 60_000;
    expect(await say('整改 2 附件')).toContain('已把「图片（张三，2025-06-02）」（80 KB）记为第2项的证明材料。');
    const items = await itemsNow();
    expect(await fileRows(items[0].id)).toEqual([]);
    expect((await fileRows(items[1].id)).map((r) => [r.fileKey, r.fileType, r.fileMessageId])).toEqual([['img_v3_1', 'image', 'om_img_1']]);
  });

  it('a file and an item wait 10 minutes for each other, no longer', async () => {
    await say('整改 1 附件');
    now += 11 * 60_000;
    expect(textOf(await sendFile('om_late', 'file_v3_late', '迟到.pdf', new Uint8Array(10)))).toContain('要把它记为哪一项');
    now += 11 * 60_000;
    expect(await say('整改 1 附件')).toContain('请在10分钟内把第1项');
    expect(await fileRows((await itemsNow())[0].id)).toEqual([]);
  });

  it('a file the bot cannot fetch is not recorded, and the item still waits for it', async () => {
    await say('整改 1 附件');
    // not in that message on the platform: Lark refuses, so does the fake
    const refused = textOf(await post(h.side.messageEvent({ chatId, senderId: zhang, messageId: 'om_gone', messageType: 'file', content: JSON.stringify({ file_key: 'file_v3_gone', file_name: '丢失.pdf' }) })));
    expect(refused).toBe('没有取到“丢失.pdf”，请重新发送一次（还在等第1项的证明材料）。');
    expect(await fileRows((await itemsNow())[0].id)).toEqual([]);
    expect(textOf(await sendFile('om_again', 'file_v3_again', '丢失.pdf', new Uint8Array(2048)))).toContain('已把「丢失.pdf」（2 KB）记为第1项的证明材料。');
  });

  it('a Word file with nothing waiting is still an import, not evidence', async () => {
    const reply = textOf(await sendFile('om_doc', 'file_v3_doc', '说明.docx', new Uint8Array([1, 2, 3])));
    expect(reply).not.toContain('证明材料');
    expect(await fileRows((await itemsNow())[0].id)).toEqual([]);
  });
});
