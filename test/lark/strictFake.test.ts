// The fake platform refuses what Lark refuses, so a test passing against it means
// something: cards with properties Lark does not know, inputs over 1,000 characters,
// requests over 30 KB, file types the upload does not take, a wrong app secret.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLarkClient, silentLogger } from '../../src/channels/lark/client';
import { renderCard } from '../../src/channels/lark/cards';
import { APP_ID } from './harness';
import { startFakeLark, type FakeLark } from './fakeLark';

let fake: FakeLark;
beforeEach(async () => {
  fake = await startFakeLark();
});
afterEach(async () => {
  await fake.close();
});

// (the SDK caches tokens per app id across clients: the wrong-secret client gets its own id)
const client = (secret = 'secret-secret', appId = APP_ID) => createLarkClient({ appId, appSecret: secret, domain: fake.url, logger: silentLogger, timeoutMs: 5000 });
const send = (card: unknown, c = client()) =>
  c.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_x', msg_type: 'interactive', content: JSON.stringify(card) } }).then(
    (r) => ({ code: r?.code ?? 0 }),
    (e: { response?: { data?: { code?: number } } }) => ({ code: e.response?.data?.code }),
  );
const good = () => renderCard({ title: '标题', blocks: [{ type: 'text', text: '内容' }] });

describe('the strict fake platform', () => {
  it('takes the cards the bot renders', async () => {
    expect((await send(good())).code).toBe(0);
  });

  it('refuses an unknown property (230099), an input over 1,000 characters (230099) and a request over 30 KB (230025)', async () => {
    const unknownProp = { ...good(), body: { elements: [{ tag: 'markdown', content: 'x', colour: 'red' }] } };
    expect((await send(unknownProp)).code).toBe(230099);
    const longInput = { ...good(), body: { elements: [{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'a', default_value: '字'.repeat(1001) }] }] } };
    expect((await send(longInput)).code).toBe(230099);
    const huge = { ...good(), body: { elements: [{ tag: 'markdown', content: '"'.repeat(12_000) }] } };
    expect((await send(huge)).code).toBe(230025);
    expect(fake.messages).toHaveLength(0);
  });

  it('refuses a text message over 150 KB (230025)', async () => {
    const text = (t: string) =>
      client()
        .im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_x', msg_type: 'text', content: JSON.stringify({ text: t }) } })
        .then(() => 0, (e: { response?: { data?: { code?: number } } }) => e.response?.data?.code);
    expect(await text('字'.repeat(40_000))).toBe(0); // 120 KB as UTF-8: under the limit
    expect(await text('x'.repeat(160_000))).toBe(230025);
    expect(fake.messages).toHaveLength(1);
  });

  it('refuses upload file types Lark does not take', async () => {
    const r = await client()
      .im.v1.file.create({ data: { file_type: 'docx' as never, file_name: 'a.docx', file: Buffer.from('x') } })
      .then(() => 0, (e: { response?: { data?: { code?: number } } }) => e.response?.data?.code);
    expect(r).toBe(234001);
  });

  it('gives no token for a wrong app secret', async () => {
    expect((await send(good(), client('wrong-secret', 'cli_wrong_secret_app'))).code).not.toBe(0);
    expect(fake.calls.some((c) => c.path.endsWith('/tenant_access_token/internal'))).toBe(true);
    expect(fake.messages).toHaveLength(0);
  });
});
