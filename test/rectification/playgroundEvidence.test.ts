// Evidence in the playground: a picture put into the chat with 📎 goes to the bot as
// Lark's image message, is fetched by its key through the same core as in Lark, and
// 整改 1 附件 records it as item 1's evidence.
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { startPlayground, type RunningPlayground } from '../../src/channels/playground/runtime';

const quiet = { info() {}, warn() {}, error() {} };
let pg: RunningPlayground | undefined;
afterEach(async () => pg?.stop());

const chatId = 'oc_pg_1';
const me = 'ou_pg_zhang';
type Msg = { messageId: string; kind: string; content: string; replyTo?: string };
const post = async (path: string, body: unknown) =>
  (await fetch(`${pg!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ messageId: string }>;
async function answerTo(messageId: string): Promise<string> {
  for (let i = 0; i < 2000; i++) {
    const all: Msg[] = (await (await fetch(`${pg!.url}/api/chats/${chatId}/messages?me=${me}`)).json()).messages;
    const reply = all.find((m) => m.replyTo === messageId && m.kind === 'text');
    if (reply) return JSON.parse(reply.content).text as string;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no answer');
}
const say = async (text: string) => answerTo((await post('/api/messages', { me, chatId, text })).messageId);

describe('整改 evidence in the playground', () => {
  it('a picture is sent as an image message and becomes the item\'s evidence', async () => {
    pg = await startPlayground({ dbPath: ':memory:', port: 0, createBot, logger: quiet });
    await say('新建评价 行政综合性经费 2024');
    expect(await say('添加整改 资金管理 部分支出凭证不完整')).toContain('已添加整改事项第1项');
    const photo = Buffer.alloc(3000, 9);
    const sent = await post('/api/files', { me, chatId, fileName: '凭证照片.jpg', base64: photo.toString('base64') });
    expect(await answerTo(sent.messageId)).toMatch(/^收到「图片（张三，\d{4}-\d\d-\d\d）」（3 KB）。要把它记为哪一项整改的证明材料？/);
    expect(await say('整改 1 附件')).toMatch(/已把「图片（张三，\d{4}-\d\d-\d\d）」（3 KB）记为第1项的证明材料。/);
    const ev = (await pg.store.findEvaluationByChat(chatId))!;
    const [item] = await pg.store.listRectItems(ev.id);
    const [row] = (await pg.store.rectHistoryOf(item.id)).filter((r) => r.fileKey);
    expect(row).toMatchObject({ fileType: 'image', fileSize: 3000, fileMessageId: sent.messageId, byUser: me });
  });
});
