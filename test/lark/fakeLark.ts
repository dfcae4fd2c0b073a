// A fake Lark Open Platform on loopback, enough for the real SDK client to send
// messages and upload files against it. Records every call; can fail on demand.
import { chartProblems } from './chartCheck';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardProblem, MAX_CARD_REQUEST_BYTES } from './cardRules';

/** File types Lark's upload accepts (im/v1/files). */
const FILE_TYPES = new Set(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']);

/** 'hang': the platform never answers (the connection stays open). */
export type FailKind = '5xx' | '429' | '230020' | 'lost' | '230002' | 'hang';

/** How the contact API fails: no scope (99991672), a user outside the app's contact range, or a 5xx. */
export type ContactFailKind = 'permission' | 'no-authority' | '5xx';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: number;
  status: number;
  /** The headers a request's meaning depends on: who calls, and how the body is encoded. */
  headers: { authorization?: string; contentType?: string };
}

export interface FakeMessage {
  messageId: string;
  chatId?: string;
  replyTo?: string;
  msgType: string;
  content: string;
  uuid?: string;
  at: number;
}

export interface FakeFile {
  fileKey: string;
  fileName: string;
  fileType: string;
  bytes: Buffer;
}

const TOKEN = 't-fake-tenant-token';
/** Lark's text messages: at most 150 KB (im/v1 message create and reply references, 230025). */
const MAX_TEXT_REQUEST_BYTES = 150 * 1024;
const HOUR = 3600_000;

export interface FakeLark {
  url: string;
  calls: RecordedCall[];
  messages: FakeMessage[];
  files: Map<string, FakeFile>;
  patches: { messageId: string; content: string }[];
  /** Files people sent, by `<message_id>/<file_key>`, served by the message-resource API (add them with userFile, which registers the message). */
  resources: Map<string, Uint8Array>;
  /** Fail the next n send calls (message create/reply, file upload) this way. */
  failNext(n: number, kind: FailKind): void;
  /** Fail this fraction of send calls, chosen by a seeded generator. */
  failRatio(r: number, kinds?: FailKind[], seed?: number): void;
  /** Seconds announced in x-ogw-ratelimit-reset on a 429. */
  rateLimitResetSeconds: number;
  /** Names the contact API knows, by open_id; anyone else is not found. */
  contacts: Map<string, string>;
  /** When set, every contact API call fails this way. */
  contactFailure: ContactFailKind | undefined;
  /** Milliseconds the contact API takes to answer. */
  contactDelayMs: number;
  /** Messages by uuid: how many distinct messages each uuid produced. */
  countByUuid(): Map<string, number>;
  /**
   * A message a user sent in a chat: the platform gave it this id, so the bot may reply to it and
   * read its files. Any other id the bot names is refused, as Lark refuses it.
   */
  userMessage(messageId: string, chatId: string): void;
  /** A file a user sent in a chat: its message is registered and the file served by the message-resource API. */
  userFile(messageId: string, chatId: string, fileKey: string, bytes: Uint8Array): void;
  /** Its sender recalled (撤回) the message: replies to it and patches of it are refused (230011), its files too (230110). */
  recall(messageId: string): void;
  close(): Promise<void>;
}

/** mulberry32: small, seedable, good enough to pick which calls fail. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFakeLark(opts: { now?: () => number; botOpenId?: string; appName?: string; appSecret?: string } = {}): Promise<FakeLark> {
  const now = opts.now ?? Date.now;
  const calls: RecordedCall[] = [];
  const messages: FakeMessage[] = [];
  const files = new Map<string, FakeFile>();
  const patches: { messageId: string; content: string }[] = [];
  const byUuid = new Map<string, { messageId: string; at: number }>();
  const queued: FailKind[] = [];
  let ratio = 0;
  let ratioKinds: FailKind[] = ['5xx'];
  let rand = seeded(1);
  let seq = 0;
  const hung: ServerResponse[] = [];
  /** Every message id the platform issued (the bot's sends, users' messages), with its chat. */
  const issued = new Map<string, { chatId?: string }>();
  const recalled = new Set<string>();

  const fake: FakeLark = {
    url: '',
    calls,
    messages,
    files,
    patches,
    resources: new Map(),
    rateLimitResetSeconds: 1,
    contacts: new Map(),
    contactFailure: undefined,
    contactDelayMs: 0,
    failNext(n, kind) {
      for (let i = 0; i < n; i++) queued.push(kind);
    },
    failRatio(r, kinds = ['5xx'], seed = 42) {
      ratio = r;
      ratioKinds = kinds;
      rand = seeded(seed);
    },
    countByUuid() {
      const counts = new Map<string, number>();
      for (const m of messages) if (m.uuid) counts.set(m.uuid, (counts.get(m.uuid) ?? 0) + 1);
      return counts;
    },
    userMessage(messageId, chatId) {
      issued.set(messageId, { chatId });
    },
    userFile(messageId, chatId, fileKey, bytes) {
      issued.set(messageId, { chatId });
      fake.resources.set(`${messageId}/${fileKey}`, bytes);
    },
    recall(messageId) {
      recalled.add(messageId);
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of hung) res.socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  function pickFailure(): FailKind | undefined {
    if (queued.length) return queued.shift();
    if (ratio > 0 && rand() < ratio) return ratioKinds[Math.floor(rand() * ratioKinds.length)];
    return undefined;
  }

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  /** Answers a failure, or returns false when the call should go through. 'lost' succeeds, then drops the answer. */
  function fail(kind: FailKind | undefined, res: ServerResponse): boolean {
    switch (kind) {
      case undefined:
      case 'lost':
        return false;
      case 'hang':
        hung.push(res); // answered never; closed with the fake
        return true;
      case '5xx':
        json(res, 503, { code: 1500, msg: 'service unavailable' });
        return true;
      case '429':
        json(res, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(fake.rateLimitResetSeconds) });
        return true;
      case '230020':
        json(res, 400, { code: 230020, msg: 'The operation triggered the frequency limit.' });
        return true;
      case '230002':
        json(res, 400, { code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
        return true;
    }
  }

  /**
   * Lark's answer to a call naming a message it cannot act on (reply, patch): an id it never issued
   * is a bad parameter (230001), a recalled one 230011; both HTTP 400 (im/v1 message reply and
   * message-card patch references). Returns true when it answered.
   */
  function refusedTarget(messageId: string, res: ServerResponse): boolean {
    if (!issued.has(messageId)) {
      json(res, 400, { code: 230001, msg: `Your request contains an invalid request parameter, ext=invalid message_id: ${messageId}` });
      return true;
    }
    if (recalled.has(messageId)) {
      json(res, 400, { code: 230011, msg: 'The message is recalled.' });
      return true;
    }
    return false;
  }

  function answer(kind: FailKind | undefined, res: ServerResponse, status: number, body: unknown) {
    // The platform did the work but the answer never arrives: the client sees a reset connection.
    if (kind === 'lost') res.socket?.destroy();
    else json(res, status, body);
  }

  /**
   * What Lark refuses in a message: a text over 150 KB or a card request over 30 KB (230025),
   * a card it cannot take (230099).
   */
  function refusedCard(body: Record<string, unknown>, rawBytes: number, res: ServerResponse): boolean {
    if (body.msg_type === 'text' && rawBytes > MAX_TEXT_REQUEST_BYTES) {
      json(res, 400, { code: 230025, msg: `The message content exceeds the length limit: request is ${rawBytes} bytes.` });
      return true;
    }
    if (body.msg_type !== 'interactive') return false;
    if (rawBytes > MAX_CARD_REQUEST_BYTES) {
      json(res, 400, { code: 230025, msg: `The message content exceeds the length limit: request is ${rawBytes} bytes.` });
      return true;
    }
    let card: unknown;
    try {
      card = JSON.parse(String(body.content));
    } catch {
      json(res, 400, { code: 230099, msg: 'Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err' });
      return true;
    }
    const problem = cardProblem(card);
    if (problem) json(res, 400, { code: 230099, msg: `Failed to create card content, ext=ErrCode: 11310; ErrMsg: ${problem}` });
    return problem !== undefined;
  }

  function sendMessage(body: Record<string, unknown>, target: { chatId?: string; replyTo?: string }, kind: FailKind | undefined, res: ServerResponse) {
    const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
    const at = now();
    if (body.msg_type === 'interactive') {
      const problems = chartProblems(JSON.parse(String(body.content)));
      if (problems.length) return json(res, 400, { code: 230099, msg: `Failed to create card content: ${problems.join('; ')}` });
    }
    const seen = uuid ? byUuid.get(uuid) : undefined;
    if (seen && at - seen.at < HOUR) return answer(kind, res, 200, { code: 0, msg: 'success', data: { message_id: seen.messageId } });
    const messageId = `om_${++seq}_${randomBytes(4).toString('hex')}`;
    if (uuid) byUuid.set(uuid, { messageId, at });
    issued.set(messageId, { chatId: target.chatId });
    messages.push({ messageId, ...target, msgType: String(body.msg_type), content: String(body.content), uuid, at });
    answer(kind, res, 200, { code: 0, msg: 'success', data: { message_id: messageId, chat_id: target.chatId, msg_type: body.msg_type } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const ctype = String(req.headers['content-type'] ?? '');
    let body: unknown = undefined;
    if (ctype.startsWith('multipart/form-data')) body = parseMultipart(raw, ctype);
    else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
    }
    const call: RecordedCall = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body, at: now(), status: 200, headers: { authorization: req.headers.authorization, contentType: ctype.split(';')[0] || undefined } };
    calls.push(call);
    const origWriteHead = res.writeHead.bind(res);
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      call.status = status;
      return (origWriteHead as (...a: unknown[]) => ServerResponse)(status, ...rest);
    }) as typeof res.writeHead;

    const path = url.pathname;
    if (req.method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
      const creds = (body ?? {}) as { app_secret?: unknown };
      if (creds.app_secret !== (opts.appSecret ?? 'secret-secret')) return json(res, 200, { code: 10014, msg: 'app secret invalid' });
      return json(res, 200, { code: 0, msg: 'ok', tenant_access_token: TOKEN, expire: 7200 });
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { code: 99991663, msg: 'Invalid access token for authorization.' });

    if (req.method === 'GET' && path === '/open-apis/bot/v3/info') {
      return json(res, 200, { code: 0, msg: 'ok', bot: { open_id: opts.botOpenId ?? 'ou_bot', app_name: opts.appName ?? '绩效自评助手', activate_status: 2 } });
    }
    const contact = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && contact) {
      const openId = decodeURIComponent(contact[1]);
      if (fake.contactDelayMs > 0) await new Promise((r) => setTimeout(r, fake.contactDelayMs));
      switch (fake.contactFailure) {
        case 'permission':
          return json(res, 400, { code: 99991672, msg: 'Access denied. One of the following scopes is required: [contact:user.base:readonly, contact:contact.base:readonly].' });
        case 'no-authority':
          return json(res, 400, { code: 41050, msg: 'no user authority error' });
        case '5xx':
          return json(res, 503, { code: 1500, msg: 'service unavailable' });
      }
      if (url.searchParams.get('user_id_type') !== 'open_id') return json(res, 400, { code: 40001, msg: 'expected user_id_type=open_id' });
      const name = fake.contacts.get(openId);
      if (name === undefined) return json(res, 400, { code: 41050, msg: 'no user authority error' });
      return json(res, 200, { code: 0, msg: 'success', data: { user: { open_id: openId, union_id: `on_${openId}`, name, en_name: '', status: { is_activated: true } } } });
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (req.method === 'POST' && path === '/open-apis/im/v1/messages') {
      const kind = pickFailure();
      if (fail(kind, res)) return;
      if (refusedCard(b, raw.length, res)) return;
      const idType = url.searchParams.get('receive_id_type');
      if (idType !== 'chat_id' && idType !== 'open_id') return json(res, 400, { code: 230001, msg: 'bad receive_id_type' });
      // A private message is recorded under 'user:<open_id>', the outbox's own spelling.
      return sendMessage(b, { chatId: idType === 'open_id' ? `user:${b.receive_id}` : String(b.receive_id) }, kind, res);
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path);
    if (req.method === 'POST' && reply) {
      const kind = pickFailure();
      if (fail(kind, res)) return;
      const parentId = decodeURIComponent(reply[1]);
      if (refusedTarget(parentId, res)) return;
      if (refusedCard(b, raw.length, res)) return;
      return sendMessage(b, { replyTo: parentId, chatId: issued.get(parentId)?.chatId }, kind, res);
    }
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path);
    if (req.method === 'PATCH' && patch) {
      if (refusedTarget(decodeURIComponent(patch[1]), res)) return;
      if (refusedCard({ ...b, msg_type: 'interactive' }, raw.length, res)) return;
      patches.push({ messageId: patch[1], content: String(b.content) });
      return json(res, 200, { code: 0, msg: 'success', data: {} });
    }
    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && resource) {
      // as Lark: `type` is required, and the file_key must belong to that message
      const type = url.searchParams.get('type');
      if (type !== 'file' && type !== 'image') return json(res, 400, { code: 234001, msg: 'Invalid request param: type' });
      const messageId = decodeURIComponent(resource[1]);
      // (the resource reference names no code for an unknown message: its bad-parameter code it is)
      if (!issued.has(messageId)) return json(res, 400, { code: 234001, msg: `Invalid request param: message_id ${messageId}` });
      if (recalled.has(messageId)) return json(res, 400, { code: 230110, msg: 'Action unavailable as the message has been deleted.' });
      const bytes = fake.resources.get(`${messageId}/${decodeURIComponent(resource[2])}`);
      if (!bytes) return json(res, 400, { code: 234003, msg: 'File not in msg.' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      return void res.end(Buffer.from(bytes));
    }
    if (req.method === 'POST' && path === '/open-apis/im/v1/files') {
      const kind = pickFailure();
      if (fail(kind, res)) return;
      const parts = body as Multipart;
      const file = parts.files.file;
      if (!file || file.bytes.length === 0) return json(res, 400, { code: 234010, msg: 'file is empty' });
      if (!FILE_TYPES.has(parts.fields.file_type ?? '')) return json(res, 400, { code: 234001, msg: `Invalid request param: file_type ${parts.fields.file_type}` });
      const fileKey = `file_v3_${randomBytes(6).toString('hex')}`;
      files.set(fileKey, { fileKey, fileName: parts.fields.file_name ?? file.filename ?? '', fileType: parts.fields.file_type ?? '', bytes: file.bytes });
      return answer(kind, res, 200, { code: 0, msg: 'success', data: { file_key: fileKey } });
    }
    json(res, 404, { code: 404, msg: `no route ${req.method} ${path}` });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) json(res, 500, { code: 1, msg: String(e) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

export interface Multipart {
  fields: Record<string, string>;
  files: Record<string, { filename?: string; bytes: Buffer }>;
}

/** Just enough multipart/form-data parsing for what axios sends. */
export function parseMultipart(raw: Buffer, contentType: string): Multipart {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const out: Multipart = { fields: {}, files: {} };
  if (!boundary) return out;
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = raw.indexOf(delim);
  while (start >= 0) {
    const next = raw.indexOf(delim, start + delim.length);
    if (next < 0) break;
    const part = raw.subarray(start + delim.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/.exec(head)?.[1];
      const filename = /filename="([^"]*)"/.exec(head)?.[1];
      if (name !== undefined) {
        if (filename !== undefined || /content-type:\s*application\/octet-stream/i.test(head)) out.files[name] = { filename, bytes: Buffer.from(content) };
        else out.fields[name] = content.toString('utf8');
      }
    }
    start = next;
  }
  return out;
}
