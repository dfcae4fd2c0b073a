// The playground's HTTP side: the page, a small JSON API the page calls, a stream
// of server-sent events so every open tab sees the same chats live, and file
// downloads. Everything a person does becomes a Lark event for the Lark core.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LarkCore } from '../lark/core';
import type { FileStore } from './client';
import { ADMIN_ID, type Chat, type Directory, type Person } from './directory';
import { BOT_NAME, cardActionEnvelope, fileEnvelope, findButton, messageEnvelope } from './envelopes';
import { MAX_IMPORT_BYTES } from '../../import';
import type { Entry, MessageLog } from './log';
import { parseClockTarget } from './clock';
import { chartFromSpec } from '../lark/chart';
import { chartSvg } from '../chartSvg';

export interface PlaygroundAppDeps {
  core: LarkCore;
  log: MessageLog;
  files: FileStore;
  directory: Directory;
  admins: string[];
  now: () => number;
  /** Move the clock forward to `at` and run the scheduler there. */
  moveClock: (at: number) => Promise<void>;
}

export type DirectoryEvent = { type: 'people' | 'chats' | 'clock' };

const MAX_TEXT = 5000;

function asset(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./static/${name}`, import.meta.url)), 'utf8');
}

export function createPlaygroundApp(deps: PlaygroundAppDeps) {
  const { core, log, files, directory } = deps;
  const app = new Hono();
  const page = { html: asset('index.html'), js: asset('app.js'), css: asset('app.css') };
  const listeners = new Set<(data: string) => void>();
  const broadcast = (event: unknown) => {
    const data = JSON.stringify(event);
    for (const l of listeners) l(data);
  };
  log.subscribe((e) => broadcast(e));
  const announce = (type: DirectoryEvent['type']) => broadcast({ type });

  const bad = (c: Context, error: string, status: 400 | 403 | 404 = 400) => c.json({ error }, status);

  function whoAndWhere(body: { me?: unknown; chatId?: unknown }): { person: Person; chat: Chat } | string {
    const person = typeof body.me === 'string' ? directory.person(body.me) : undefined;
    if (!person) return '请先在左上角选择你是谁。';
    directory.privateChat(person.userId); // everyone has a private chat with the bot from the start
    const chat = typeof body.chatId === 'string' ? directory.chat(body.chatId) : undefined;
    if (!chat) return '这个群不存在，请刷新页面。';
    if (chat.type === 'p2p' && chat.owner !== person.userId) return '这是别人的单聊，你看不到。';
    return { person, chat };
  }

  async function readJson(c: Context): Promise<Record<string, unknown>> {
    try {
      const body = await c.req.json();
      return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  app.get('/', (c) => c.html(page.html));
  app.get('/static/app.js', (c) => c.body(page.js, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/static/app.css', (c) => c.body(page.css, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/api/state', (c) => {
    const me = c.req.query('me');
    return c.json({
      bot: BOT_NAME,
      now: deps.now(),
      people: directory.people.map((p) => ({ ...p, admin: p.userId === ADMIN_ID || deps.admins.includes(p.userId) })),
      chats: directory.chatsFor(me),
    });
  });

  app.get('/api/chats/:chatId/messages', (c) => {
    const where = whoAndWhere({ me: c.req.query('me'), chatId: c.req.param('chatId') });
    if (typeof where === 'string') return bad(c, where);
    return c.json({ messages: log.inChat(where.chat.chatId) });
  });

  app.post('/api/messages', async (c) => {
    const body = await readJson(c);
    const where = whoAndWhere(body);
    if (typeof where === 'string') return bad(c, where);
    const text = typeof body.text === 'string' ? body.text.replace(/\r\n/g, '\n') : '';
    if (!text.trim()) return bad(c, '请输入消息内容。');
    if (text.length > MAX_TEXT) return bad(c, `消息太长了（最多 ${MAX_TEXT} 字），请分几条发送。`);
    const messageId = `om_pg_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const at = deps.now();
    const envelope = messageEnvelope({ eventId: randomUUID(), messageId, chat: where.chat, sender: where.person, text, people: directory.people, now: at });
    const mentions = ((envelope.event as { message: { mentions: { id: { open_id: string }; name: string }[] } }).message.mentions ?? []).map((m) => ({
      userId: m.id.open_id,
      name: m.name,
    }));
    // shown first, as Lark shows your own message before the bot answers
    log.add({ messageId, chatId: where.chat.chatId, at, from: { kind: 'user', userId: where.person.userId, name: where.person.name }, kind: 'text', content: text, mentions });
    await core.handleEvent(envelope);
    return c.json({ messageId });
  });

  // a file put into the chat (base64 in JSON): goes to the bot as Lark's file message (a picture as its image message)
  app.post('/api/files', async (c) => {
    const body = await readJson(c);
    const where = whoAndWhere(body);
    if (typeof where === 'string') return bad(c, where);
    const fileName = typeof body.fileName === 'string' && body.fileName.trim() ? body.fileName.trim().slice(0, 200) : '文件';
    const data = typeof body.base64 === 'string' ? body.base64 : '';
    // over the limit: the bot says so, as it does for a large file in Lark; nothing is kept
    const bytes = data.length > (MAX_IMPORT_BYTES * 4) / 3 + 8 ? new Uint8Array(MAX_IMPORT_BYTES + 1) : new Uint8Array(Buffer.from(data, 'base64'));
    const key = files.put(fileName, bytes);
    const messageId = `om_pg_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const at = deps.now();
    log.add({ messageId, chatId: where.chat.chatId, at, from: { kind: 'user', userId: where.person.userId, name: where.person.name }, kind: 'file', content: '', file: { key, name: fileName, size: bytes.length } });
    const image = /\.(png|jpe?g|gif|webp|bmp)$/i.test(fileName);
    await core.handleEvent(fileEnvelope({ eventId: randomUUID(), messageId, chat: where.chat, sender: where.person, fileKey: key, fileName, now: at, image }));
    return c.json({ messageId });
  });

  app.post('/api/actions', async (c) => {
    const body = await readJson(c);
    const where = whoAndWhere(body);
    if (typeof where === 'string') return bad(c, where);
    const entry: Entry | undefined = typeof body.messageId === 'string' ? log.get(body.messageId) : undefined;
    if (!entry || entry.kind !== 'card' || entry.chatId !== where.chat.chatId) return bad(c, '找不到这张卡片，请刷新页面。', 404);
    const form = typeof body.form === 'string' ? body.form : undefined;
    const found = findButton(JSON.parse(entry.content), String(body.button ?? ''), form);
    if (!found) return bad(c, '卡片上没有这个按钮。', 404);
    let formValue: Record<string, string> | undefined;
    if (form) {
      formValue = {};
      const raw = (body.formValue ?? {}) as Record<string, unknown>;
      // only the fields the form has, as Lark sends them
      for (const name of found.formFields) if (typeof raw[name] === 'string' && raw[name] !== '') formValue[name] = (raw[name] as string).slice(0, MAX_TEXT);
    }
    const envelope = cardActionEnvelope({
      eventId: randomUUID(),
      messageId: entry.messageId,
      chat: where.chat,
      operator: where.person,
      value: found.value,
      tag: found.tag,
      name: String(body.button),
      formValue,
      now: deps.now(),
    });
    const answer = (await core.handleEvent(envelope)) as { toast?: { type: string; content: string }; card?: { data: unknown } };
    if (answer.card) log.replaceCard(entry.messageId, JSON.stringify(answer.card.data));
    return c.json({ toast: answer.toast ?? null });
  });

  app.post('/api/people', async (c) => {
    const added = directory.addPerson((await readJson(c)).name);
    if (!added.ok) return bad(c, added.error);
    core.names.set(added.value.userId, added.value.name);
    announce('people');
    return c.json({ person: added.value });
  });

  app.post('/api/chats', async (c) => {
    const added = directory.addGroup((await readJson(c)).name);
    if (!added.ok) return bad(c, added.error);
    announce('chats');
    return c.json({ chat: added.value });
  });

  // a card's chart element drawn as our own small SVG (the page has no VChart)
  app.post('/api/chart.svg', async (c) => {
    const spec = await readJson(c);
    return c.body(chartSvg(chartFromSpec(spec)), 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
  });

  app.post('/api/clock', async (c) => {
    const target = parseClockTarget(await readJson(c), deps.now());
    if (!target.ok) return bad(c, target.error);
    await deps.moveClock(target.at);
    announce('clock');
    return c.json({ now: deps.now() });
  });

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const send = (data: string) => void stream.writeSSE({ data }).catch(() => undefined);
      listeners.add(send);
      stream.onAbort(() => void listeners.delete(send));
      await stream.writeSSE({ data: JSON.stringify({ type: 'hello' }) });
      while (!stream.aborted) {
        await stream.sleep(20_000);
        if (!stream.aborted) await stream.writeSSE({ event: 'ping', data: '' });
      }
      listeners.delete(send);
    }),
  );

  app.get('/files/:key', (c) => {
    const file = files.get(c.req.param('key'));
    if (!file) return c.text('文件不存在', 404);
    const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    });
  });

  return { app, closeStreams: () => listeners.clear() };
}
