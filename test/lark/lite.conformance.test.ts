// The Node server talks to Lark through our small fetch client (lite.ts) rather than the
// SDK, to save the ~100 MB the SDK's client costs. The SDK stays the reference: the same
// calls made through the real SDK and through lite.ts must put the same requests on the
// wire (method, path, query, body, auth and encoding), and read the same answers back.
// A difference here means our client drifted from what the official SDK sends.
import { afterEach, expect, it } from 'vitest';
import { fetchBotInfo } from '../../src/channels/lark/botInfo';
import { createLarkClient, silentLogger } from '../../src/channels/lark/client';
import { messageFileDownloader } from '../../src/channels/lark/files';
import { createLiteClient } from '../../src/channels/lark/lite';
import { contactNameLookup } from '../../src/channels/lark/names';
import { startFakeLark, type FakeLark, type RecordedCall } from './fakeLark';
import { APP_ID } from './harness';

const fakes: FakeLark[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

type Client = Parameters<typeof fetchBotInfo>[0] & Parameters<typeof contactNameLookup>[0] & Parameters<typeof messageFileDownloader>[0] & {
  im: { v1: { message: { create(p: unknown): Promise<any>; reply(p: unknown): Promise<any> }; file: { create(p: unknown): Promise<any> } } };
};

/** Every call the Node server makes, in one script; returns what the client read back. */
async function script(fake: FakeLark, client: Client) {
  fake.contacts.set('ou_zhang', '张三');
  fake.userMessage('om_user_1', 'oc_conf');
  const bytes = new Uint8Array(3000).map((_, i) => (i * 7) % 256);
  fake.resources.set('om_user_1/file_v3_key', bytes);
  const read: unknown[] = [];
  read.push(await fetchBotInfo(client));
  const sent = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_conf', msg_type: 'text', content: JSON.stringify({ text: '已记录：项目名称 <at user_id="all">' }), uuid: 'conf-1' } });
  read.push({ code: sent.code, hasId: typeof sent.data?.message_id === 'string' });
  const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '**第 1 题**' }] } };
  const reply = await client.im.v1.message.reply({ path: { message_id: 'om_user_1' }, data: { msg_type: 'interactive', content: JSON.stringify(card), uuid: 'conf-2' } });
  read.push({ code: reply.code, hasId: typeof reply.data?.message_id === 'string' });
  await client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_zhang', msg_type: 'text', content: JSON.stringify({ text: '提醒' }), uuid: 'conf-3' } });
  const up = await client.im.v1.file.create({ data: { file_type: 'stream', file_name: '绩效评价报告.docx', file: Buffer.from('PK\u0003\u0004 docx bytes') } });
  read.push({ hasKey: typeof up?.file_key === 'string' });
  read.push(await contactNameLookup(client)('ou_zhang'));
  const got = await messageFileDownloader(client)('om_user_1', 'file_v3_key');
  read.push('bytes' in got ? Buffer.from(got.bytes).equals(Buffer.from(bytes)) : got);
  // refusals read the same way: a reply to a message the platform never issued
  const refused = await client.im.v1.message.reply({ path: { message_id: 'om_never' }, data: { msg_type: 'text', content: '{"text":"x"}' } }).then(
    () => 'accepted',
    (e: any) => ({ status: e?.response?.status, code: e?.response?.data?.code }),
  );
  read.push(refused);
  return read;
}

/**
 * A call as the wire carries it, with what differs by chance (ids, tokens, times) taken out,
 * and two differences that are ours on purpose: a GET carries no body (the SDK's axios sends
 * `{}` as JSON), and the uploaded file part names its file (the SDK's form leaves it out).
 */
function wire(c: RecordedCall) {
  const ids = (s: string) => s.replace(/om_\d+_[0-9a-f]+/g, 'om_<sent>');
  const get = c.method === 'GET';
  const bytes = (_k: string, v: unknown) => (v instanceof Uint8Array || Buffer.isBuffer(v) ? `<${Buffer.from(v as Uint8Array).toString('hex')}>` : _k === 'filename' ? undefined : v);
  const body = get ? undefined : c.body && typeof c.body === 'object' ? JSON.parse(ids(JSON.stringify(c.body, bytes))) : c.body;
  return {
    method: c.method,
    path: ids(c.path),
    query: c.query,
    body,
    contentType: get ? undefined : c.headers.contentType,
    bearer: c.path.endsWith('/tenant_access_token/internal') ? c.headers.authorization ?? null : /^Bearer \S+$/.test(c.headers.authorization ?? ''),
    status: c.status,
  };
}

it('lite.ts puts on the wire what the official SDK does, and reads the same answers', async () => {
  const viaSdk = await startFakeLark({ botOpenId: 'ou_conf_bot', appName: '绩效自评助手' });
  const viaLite = await startFakeLark({ botOpenId: 'ou_conf_bot', appName: '绩效自评助手' });
  fakes.push(viaSdk, viaLite);
  const sdk = createLarkClient({ appId: APP_ID, appSecret: 'secret-secret', domain: viaSdk.url, logger: silentLogger }) as unknown as Client;
  const lite = createLiteClient({ appId: APP_ID, appSecret: 'secret-secret', domain: viaLite.url }) as unknown as Client;
  const readSdk = await script(viaSdk, sdk);
  const readLite = await script(viaLite, lite);
  expect(readLite).toEqual(readSdk);
  expect(readSdk).toContainEqual({ status: 400, code: 230001 });
  const sdkWire = viaSdk.calls.map(wire);
  const liteWire = viaLite.calls.map(wire);
  expect(sdkWire.length).toBeGreaterThanOrEqual(8);
  expect(liteWire).toEqual(sdkWire);
});
