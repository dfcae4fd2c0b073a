// Lark's schema 2.0 events, turned into the engine's Input. Pure: no I/O here,
// so the webhook and the long connection share it and tests need no server.
import type { Actor, CardAction, Input } from '../../conversation/types';
import { cleanText } from '../../conversation/inputText';
import { postToText } from './post';
import { decodeFieldName, decodeSubmitName } from './formNames';

export interface LarkHeader {
  event_id?: string;
  event_type?: string;
  create_time?: string;
  token?: string;
  app_id?: string;
  tenant_key?: string;
}

export interface LarkMention {
  key: string; // '@_user_1'
  id?: { open_id?: string; user_id?: string; union_id?: string };
  name?: string;
}

export interface MessageEvent {
  sender?: { sender_id?: { open_id?: string; user_id?: string }; sender_type?: string; tenant_key?: string };
  message?: {
    message_id?: string;
    create_time?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    mentions?: LarkMention[];
  };
}

export interface CardActionEvent {
  operator?: { open_id?: string; user_id?: string };
  token?: string;
  action?: { value?: unknown; tag?: string; name?: string; form_value?: Record<string, unknown>; input_value?: string; option?: string };
  context?: { open_message_id?: string; open_chat_id?: string };
}

export interface Envelope {
  schema?: string;
  header?: LarkHeader;
  event?: unknown;
  type?: string; // 'url_verification' for challenges
  challenge?: string;
  token?: string;
}

/** Names by open_id. Events carry no sender name, only mentions do; remembering them lets replies say who. */
export class NameCache {
  private readonly names = new Map<string, string>();
  constructor(private readonly max = 5000) {}

  get(openId: string): string | undefined {
    return this.names.get(openId);
  }

  set(openId: string, name: string): void {
    if (!openId || !name) return;
    // Re-insert so the Map's order tracks recency and the oldest falls off first.
    this.names.delete(openId);
    this.names.set(openId, name);
    if (this.names.size > this.max) this.names.delete(this.names.keys().next().value as string);
  }

  nameOf(openId: string): string {
    return this.names.get(openId) ?? openId;
  }
}

export interface MessageConversion {
  input: Input;
  /** People whose names the event told us (mentions), worth recording as chat members. */
  named: Actor[];
  /** Parts of a rich-text message that are not text (图片, 视频…): the reply says they were not read. */
  dropped?: string[];
}

export { cleanText, MAX_TEXT_CHARS } from '../../conversation/inputText';

/**
 * im.message.receive_v1 → Input. The bot's own @-mention is dropped from the text;
 * other mentions become `@name` in the text and Actors in `mentions`.
 * Non-text messages (images, files, stickers…) become empty text: the bot answers with a hint.
 */
export function messageToInput(event: MessageEvent, header: LarkHeader, botOpenId: string | undefined, names: NameCache, now: number): MessageConversion | undefined {
  const message = event.message;
  const senderId = event.sender?.sender_id?.open_id;
  if (!message?.chat_id || !senderId) return undefined;

  const mentions = message.mentions ?? [];
  const named: Actor[] = [];
  for (const m of mentions) {
    const id = m.id?.open_id;
    if (id && m.name && id !== botOpenId) {
      names.set(id, m.name);
      named.push({ userId: id, name: m.name });
    }
  }

  const rich = message.message_type === 'post' ? postToText(message.content) : undefined;
  if (message.message_type === 'text' || rich) {
    let text = rich ? rich.text : textOf(message.content);
    const others: Actor[] = [];
    for (const m of mentions) {
      const id = m.id?.open_id;
      const isBot = botOpenId !== undefined && id === botOpenId;
      // split/join replaces every occurrence without regex-escaping the key.
      if (isBot) text = text.split(m.key).join('');
      else {
        const name = m.name ?? (id ? names.nameOf(id) : m.key);
        text = text.split(m.key).join(`@${name}`);
        if (id && !others.some((o) => o.userId === id)) others.push({ userId: id, name });
      }
    }
    text = cleanText(text);
    const input = baseInput(senderId, message.chat_id, message.chat_type, header, names, now);
    input.message = { type: 'text', text, messageId: message.message_id, ...(others.length ? { mentions: others } : {}) };
    return { input, named, ...(rich?.dropped.length ? { dropped: rich.dropped } : {}) };
  }
  const input = baseInput(senderId, message.chat_id, message.chat_type, header, names, now);
  const file = message.message_type === 'file' ? fileOf(message.content) : undefined;
  // a file's bytes are fetched by the core when the message is handled, not kept in the inbox
  input.message = file ? { type: 'file', ...file, messageId: message.message_id } : { type: 'text', text: '', messageId: message.message_id };
  return { input, named };
}

/** A file message's content: {"file_key":"file_v3_…","file_name":"自评.docx"}. */
function fileOf(content: string | undefined): { fileKey: string; fileName: string } | undefined {
  try {
    const c = JSON.parse(content ?? '') as { file_key?: unknown; file_name?: unknown };
    return typeof c.file_key === 'string' ? { fileKey: c.file_key, fileName: typeof c.file_name === 'string' && c.file_name ? c.file_name : '文件' } : undefined;
  } catch {
    return undefined;
  }
}


function baseInput(openId: string, chatId: string, chatType: string | undefined, header: LarkHeader, names: NameCache, now: number): Input {
  return {
    actor: { userId: openId, name: names.nameOf(openId) },
    place: { chatId, chatType: chatType === 'p2p' ? 'p2p' : 'group', ...(header.tenant_key ? { tenantKey: header.tenant_key } : {}) },
    message: { type: 'text', text: '' },
    now,
  };
}

function textOf(content: string | undefined): string {
  if (!content) return '';
  try {
    const parsed = JSON.parse(content) as { text?: unknown };
    return typeof parsed.text === 'string' ? parsed.text : '';
  } catch {
    return '';
  }
}

/**
 * card.action.trigger → Input. action.value is the CardAction we put on the button;
 * for a form's submit button, form_value carries what was typed, merged into `values`.
 */
export function cardActionToInput(event: CardActionEvent, header: LarkHeader, names: NameCache, now: number): Input | undefined {
  const openId = event.operator?.open_id;
  const chatId = event.context?.open_chat_id;
  // The button's value is a bonus: a form's submit button may arrive without it, so a
  // submission is also known by the button's name, which encodes the same action.
  const action = parseAction(event.action?.value) ?? fromSubmitName(event.action?.name);
  if (!openId || !chatId || !action) return undefined;

  let result: CardAction = action.action;
  if (result.kind === 'submit') {
    const values: Record<string, string> = { ...result.values };
    for (const [key, raw] of Object.entries(event.action?.form_value ?? {})) {
      const name = action.fieldNames?.[key] ?? decodeFieldName(key);
      const value = formValueToString(raw);
      if (value !== undefined) values[name] = cleanText(value);
    }
    result = { ...result, values };
  }
  return {
    actor: { userId: openId, name: names.nameOf(openId) },
    // Card callbacks do not say whether the chat is p2p; `open_chat_id` of a p2p chat
    // works the same for replies, so 'group' only affects wording in the engine.
    place: { chatId, chatType: 'group', ...(header.tenant_key ? { tenantKey: header.tenant_key } : {}) },
    // Identified by the callback's own event id, not the card's message id: every press of
    // a button on the same card is a new input (the card's id made a second 保存 look like a redelivery).
    message: { type: 'action', action: result, messageId: header.event_id ? `card:${header.event_id}` : undefined },
    now,
  };
}

function fromSubmitName(name: string | undefined): { action: CardAction; fieldNames?: Record<string, string> } | undefined {
  const decoded = name ? decodeSubmitName(name) : undefined;
  return decoded && { action: { kind: 'submit', values: {}, ...decoded } };
}

/** The value we put on buttons: a CardAction, plus a map back from component names we had to rename. */
export type ButtonValue = CardAction & { fieldNames?: Record<string, string> };

function parseAction(value: unknown): { action: CardAction; fieldNames?: Record<string, string> } | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!v || typeof v !== 'object') return undefined;
  const { fieldNames, ...rest } = v as ButtonValue;
  const o = rest as Record<string, unknown>;
  if (o.kind === 'command' && typeof o.command === 'string') return { action: { kind: 'command', command: o.command } };
  if (o.kind === 'submit' && typeof o.sectionId === 'string') {
    const values: Record<string, string> = {};
    if (o.values && typeof o.values === 'object') {
      for (const [k, x] of Object.entries(o.values as Record<string, unknown>)) if (typeof x === 'string') values[k] = x;
    }
    const action: CardAction = {
      kind: 'submit',
      sectionId: o.sectionId,
      values,
      ...(typeof o.index === 'number' ? { index: o.index } : {}),
      ...(typeof o.evaluationId === 'number' ? { evaluationId: o.evaluationId } : {}),
    };
    return { action, ...(fieldNames && typeof fieldNames === 'object' ? { fieldNames } : {}) };
  }
  return undefined;
}

/** Form values arrive as strings, arrays (multi-select) or booleans (checker); date pickers add a zone. */
function formValueToString(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (Array.isArray(raw)) return raw.map((x) => String(x)).join('、');
  if (typeof raw === 'boolean') return raw ? '是' : '否';
  const s = String(raw);
  // date_picker sends "2024-03-05 +0800"; the engine wants the date.
  const date = /^(\d{4}-\d{2}-\d{2}) [+-]\d{4}$/.exec(s);
  return date ? date[1] : s;
}
