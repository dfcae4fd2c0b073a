// A Word file put into a playground chat goes to the bot as Lark's file message: the
// Lark core fetches it by file_key, the bot answers what it found, 确认 applies it.
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { startPlayground, type RunningPlayground } from '../../src/channels/playground/runtime';
import { buildSeed } from '../documents/helpers';

const quiet = { info() {}, warn() {}, error() {} };
let pg: RunningPlayground | undefined;
afterEach(async () => pg?.stop());

type Msg = { messageId: string; kind: string; content: string; replyTo?: string; file?: { name: string } };
const post = async (path: string, body: unknown) =>
  (await fetch(`${pg!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ messageId: string }>;
async function answerTo(messageId: string): Promise<string> {
  for (let i = 0; i < 2000; i++) {
    const all: Msg[] = (await (await fetch(`${pg!.url}/api/chats/oc_pg_1/messages?me=ou_pg_zhang`)).json()).messages;
    const reply = all.find((m) => m.replyTo === messageId);
    if (reply) return JSON.parse(reply.content).text as string;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no answer');
}

describe('playground upload', () => {
  it('reads the file, says what it found, and applies it on 确认', async () => {
    pg = await startPlayground({ dbPath: ':memory:', port: 0, createBot, logger: quiet });
    await answerTo((await post('/api/messages', { me: 'ou_pg_zhang', chatId: 'oc_pg_1', text: '新建评价 行政综合性经费 2024' })).messageId);
    const [form] = await buildSeed();
    const sent = await post('/api/files', { me: 'ou_pg_zhang', chatId: 'oc_pg_1', fileName: form.fileName, base64: Buffer.from(form.bytes).toString('base64') });
    expect(await answerTo(sent.messageId)).toContain(`已读取“${form.fileName}”（Word）`);
    const log: Msg[] = (await (await fetch(`${pg.url}/api/chats/oc_pg_1/messages?me=ou_pg_zhang`)).json()).messages;
    expect(log.find((m) => m.messageId === sent.messageId)?.file?.name).toBe(form.fileName);
    expect(await answerTo((await post('/api/messages', { me: 'ou_pg_zhang', chatId: 'oc_pg_1', text: '确认' })).messageId)).toMatch(/导入\d+项答案/);
  });
});
