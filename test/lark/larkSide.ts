// Plays Lark's side of the webhook: builds schema 2.0 events and card callbacks,
// encrypts and signs them like the platform does, and can forge bad ones.
import { randomBytes } from 'node:crypto';
import { encrypt } from '../../src/channels/lark/decrypt';
import { computeSignature } from '../../src/channels/lark/verify';
import type { Actor } from '../../src/conversation/types';

/** A typed line as Lark carries it: each `@name` becomes an `@_user_N` key with its mention. */
export function asLarkText(text: string, people: readonly Actor[] = []): { text: string; mentions: { key: string; openId: string; name: string }[] } {
  const mentions = people.map((m, i) => {
    const key = `@_user_${i + 2}`;
    text = text.split(`@${m.name}`).join(key);
    return { key, openId: m.userId, name: m.name };
  });
  return { text, mentions };
}

export interface LarkSideOptions {
  encryptKey: string;
  verificationToken: string;
  appId?: string;
  tenantKey?: string;
  /** Sends the request: Hono's app.request, or fetch against a server. */
  send: (path: string, init: RequestInit) => Promise<Response> | Response;
  now?: () => number;
  path?: string;
  /**
   * The platform that issues message ids (the fake): every message built here is registered as a
   * user's message in its chat, so the bot may reply to it. Without it, only the request is built.
   */
  platform?: { userMessage(messageId: string, chatId: string): void };
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++counter}_${randomBytes(3).toString('hex')}`;

export interface MessageSpec {
  chatId: string;
  senderId: string;
  text?: string;
  /** Extra people mentioned: the text should contain their keys (@_user_2 …). */
  mentions?: { key: string; openId: string; name: string }[];
  /** Put the bot's own @-mention (key @_user_1) in front of the text. */
  mentionBot?: { openId: string; name?: string };
  chatType?: 'group' | 'p2p';
  messageType?: string;
  content?: string;
  eventId?: string;
  messageId?: string;
}

export interface CardActionSpec {
  chatId: string;
  operatorId: string;
  value: unknown;
  formValue?: Record<string, unknown>;
  messageId?: string;
  eventId?: string;
}

export type SendOptions = {
  /** Default true. */
  encrypt?: boolean;
  /** Default true. */
  sign?: boolean;
  /** Seconds; default now. */
  timestamp?: number;
  /** Replace the computed signature. */
  signature?: string;
  /** Override the body text after signing (tamper). */
  tamper?: (raw: string) => string;
};

export function createLarkSide(opts: LarkSideOptions) {
  const now = opts.now ?? Date.now;
  const path = opts.path ?? '/lark/events';
  const header = (eventType: string, eventId?: string, token = opts.verificationToken) => ({
    event_id: eventId ?? nextId('ev'),
    event_type: eventType,
    create_time: String(now()),
    token,
    app_id: opts.appId ?? 'cli_a1b2c3d4e5f60708',
    tenant_key: opts.tenantKey ?? 'tenant_fake',
  });

  function messageEvent(spec: MessageSpec, token?: string) {
    const mentions: { key: string; id: { open_id: string }; name: string; tenant_key: string }[] = [];
    let text = spec.text ?? '';
    if (spec.mentionBot) {
      mentions.push({ key: '@_user_1', id: { open_id: spec.mentionBot.openId }, name: spec.mentionBot.name ?? '绩效自评助手', tenant_key: 'tenant_fake' });
      text = `@_user_1 ${text}`;
    }
    for (const m of spec.mentions ?? []) mentions.push({ key: m.key, id: { open_id: m.openId }, name: m.name, tenant_key: 'tenant_fake' });
    const messageId = spec.messageId ?? nextId('om');
    opts.platform?.userMessage(messageId, spec.chatId);
    return {
      schema: '2.0',
      header: header('im.message.receive_v1', spec.eventId, token),
      event: {
        sender: { sender_id: { open_id: spec.senderId, user_id: 'u_' + spec.senderId, union_id: 'on_' + spec.senderId }, sender_type: 'user', tenant_key: 'tenant_fake' },
        message: {
          message_id: messageId,
          create_time: String(now()),
          chat_id: spec.chatId,
          chat_type: spec.chatType ?? 'group',
          message_type: spec.messageType ?? 'text',
          content: spec.content ?? JSON.stringify({ text }),
          ...(mentions.length ? { mentions } : {}),
        },
      },
    };
  }

  function cardAction(spec: CardActionSpec, token?: string) {
    return {
      schema: '2.0',
      header: header('card.action.trigger', spec.eventId, token),
      event: {
        operator: { tenant_key: 'tenant_fake', open_id: spec.operatorId, user_id: 'u_' + spec.operatorId },
        token: 'c-' + randomBytes(8).toString('hex'),
        action: { value: spec.value, tag: 'button', name: 'form_submit', ...(spec.formValue ? { form_value: spec.formValue } : {}) },
        host: 'im_message',
        context: { open_message_id: spec.messageId ?? nextId('om'), open_chat_id: spec.chatId },
      },
    };
  }

  function challenge(value: string, token = opts.verificationToken) {
    return { challenge: value, token, type: 'url_verification' };
  }

  /** The raw body and headers Lark would send for this payload. */
  function request(payload: unknown, o: SendOptions = {}): { raw: string; headers: Record<string, string> } {
    const plain = JSON.stringify(payload);
    let raw = o.encrypt === false ? plain : JSON.stringify({ encrypt: encrypt(plain, opts.encryptKey) });
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (o.sign !== false) {
      const timestamp = String(o.timestamp ?? Math.floor(now() / 1000));
      const nonce = randomBytes(8).toString('hex');
      headers['x-lark-request-timestamp'] = timestamp;
      headers['x-lark-request-nonce'] = nonce;
      headers['x-lark-signature'] = o.signature ?? computeSignature(timestamp, nonce, opts.encryptKey, raw);
    }
    if (o.tamper) raw = o.tamper(raw);
    return { raw, headers };
  }

  async function post(payload: unknown, o: SendOptions = {}): Promise<Response> {
    const { raw, headers } = request(payload, o);
    return opts.send(path, { method: 'POST', headers, body: raw });
  }

  /** Sign arbitrary bytes (malformed JSON, garbage encrypt) correctly and post them. */
  async function postRaw(raw: string, o: { sign?: boolean; timestamp?: number } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.sign !== false) {
      const timestamp = String(o.timestamp ?? Math.floor(now() / 1000));
      const nonce = randomBytes(8).toString('hex');
      headers['x-lark-request-timestamp'] = timestamp;
      headers['x-lark-request-nonce'] = nonce;
      headers['x-lark-signature'] = computeSignature(timestamp, nonce, opts.encryptKey, raw);
    }
    return opts.send(path, { method: 'POST', headers, body: raw });
  }

  const forge = {
    badSignature: (payload: unknown) => post(payload, { signature: 'a'.repeat(64) }),
    noSignature: (payload: unknown) => post(payload, { sign: false }),
    plainUnsigned: (payload: unknown) => post(payload, { sign: false, encrypt: false }),
    // older than any redelivery (the last comes about 7 h after the first)
    stale: (payload: unknown) => post(payload, { timestamp: Math.floor(now() / 1000) - 9 * 3600 }),
    future: (payload: unknown) => post(payload, { timestamp: Math.floor(now() / 1000) + 6 * 60 }),
    tampered: (payload: unknown) => post(payload, { tamper: (raw) => raw.replace(/.$/, ' }') }),
    wrongToken: (build: (token: string) => unknown) => post(build('wrong-token')),
    malformedJson: () => postRaw('{"schema":"2.0", this is not json'),
    garbageEncrypt: () => postRaw(JSON.stringify({ encrypt: randomBytes(48).toString('base64') })),
    shortEncrypt: () => postRaw(JSON.stringify({ encrypt: 'bm90IGVub3VnaA==' })),
  };

  return { messageEvent, cardAction, challenge, request, post, postRaw, forge };
}

export type LarkSide = ReturnType<typeof createLarkSide>;
