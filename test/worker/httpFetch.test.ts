// The SDK with the fetch-based http instance the Worker uses, against the fake
// platform (in Node here; the workerd tests run the same code inside the Worker).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLarkClient, fetchBotInfo, silentLogger } from '../../src/channels/lark/client';
import { createFetchHttpInstance } from '../../src/channels/lark/httpFetch';
import { messageFileDownloader } from '../../src/channels/lark/files';
import { contactNameLookup } from '../../src/channels/lark/names';
import { classifyError } from '../../src/channels/lark/sender';
import { startFakeLark, type FakeLark } from '../lark/fakeLark';

let fake: FakeLark;
beforeAll(async () => {
  fake = await startFakeLark();
});
afterAll(async () => {
  await fake.close();
});
const client = (timeoutMs?: number) => createLarkClient({ appId: 'cli_a1b2c3d4e5f60708', appSecret: 'secret-secret', domain: fake.url, logger: silentLogger, httpInstance: createFetchHttpInstance({ timeoutMs, nodeStreams: true }) });

describe('the SDK over fetch', () => {
  it('gets a token, asks who the bot is, sends with a uuid and uploads a file', async () => {
    const c = client();
    expect(await fetchBotInfo(c)).toEqual({ openId: 'ou_bot', appName: '绩效自评助手' });
    const sent = await c.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_1', msg_type: 'text', content: JSON.stringify({ text: '你好' }), uuid: 'u-1' } });
    expect(sent.code).toBe(0);
    expect(fake.messages.at(-1)).toMatchObject({ chatId: 'oc_1', uuid: 'u-1', content: '{"text":"你好"}' });
    expect(fake.calls.find((x) => x.path === '/open-apis/im/v1/messages')?.query).toEqual({ receive_id_type: 'chat_id' });

    const bytes = Buffer.from([0x50, 0x4b, 3, 4, 0, 1, 2, 255]);
    const up = await c.im.v1.file.create({ data: { file_type: 'stream', file_name: '附件1-评价表.docx', file: bytes } });
    const file = fake.files.get(up!.file_key!)!;
    expect(file.fileName).toBe('附件1-评价表.docx');
    expect(file.fileType).toBe('stream');
    expect(Buffer.compare(file.bytes, bytes)).toBe(0);
    expect(fake.calls.filter((x) => x.path.endsWith('tenant_access_token/internal')).length).toBe(1); // the token is cached
  });

  it('fails like axios, so the sender retries a 429 after its reset and a 5xx, and gives up on a bad request', async () => {
    const c = client();
    const send = () => c.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_1', msg_type: 'text', content: '{"text":"x"}', uuid: crypto.randomUUID() } });
    fake.rateLimitResetSeconds = 3;
    fake.failNext(1, '429');
    expect(classifyError(await send().catch((e) => e))).toMatchObject({ retry: true, afterMs: 3000, error: expect.stringContaining('HTTP 429 code 99991400') });
    fake.failNext(1, '5xx');
    expect(classifyError(await send().catch((e) => e))).toMatchObject({ retry: true, error: expect.stringContaining('HTTP 503') });
    fake.failNext(1, '230002');
    expect(classifyError(await send().catch((e) => e))).toEqual({ retry: false, error: 'HTTP 400 code 230002: Bot/User can NOT be out of the chat.' });
    fake.failNext(1, 'lost');
    expect(classifyError(await send().catch((e) => e))).toMatchObject({ retry: true, error: expect.stringMatching(/^network/) });
  });

  it('downloads a file sent to the chat as the SDK expects (a Node stream), every byte, and stops at the limit', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 256);
    fake.userFile('om_f', 'oc_f', 'file_v3_f', bytes);
    const got = await messageFileDownloader(client())('om_f', 'file_v3_f');
    expect('bytes' in got && Buffer.compare(Buffer.from(got.bytes), Buffer.from(bytes))).toBe(0);
    expect(await messageFileDownloader(client(), 100_000)('om_f', 'file_v3_f')).toEqual({ size: 300_000 });
  });

  it('gives up on a call that hangs after its timeout', async () => {
    fake.contactDelayMs = 2_000;
    try {
      const started = Date.now();
      const error = await contactNameLookup(client(150))('ou_slow').catch((e) => e);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(classifyError(error)).toMatchObject({ retry: true, error: expect.stringContaining('timeout of 150ms') });
    } finally {
      fake.contactDelayMs = 0;
    }
  });
});
