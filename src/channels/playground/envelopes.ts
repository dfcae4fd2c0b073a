// What a person does on the page, written as the Lark events it would be in a
// real chat (schema 2.0), so the Lark channel's own core handles it: dedupe,
// inbox, the engine, the outbox. Pure.
import type { Envelope } from '../lark/events';
import type { Chat, Person } from './directory';

export const BOT_OPEN_ID = 'ou_pg_bot';
export const BOT_NAME = '绩效自评助手';
const TENANT = 'playground';

function header(eventId: string, type: string, now: number) {
  return { event_id: eventId, event_type: type, create_time: String(now), app_id: 'cli_playground', tenant_key: TENANT };
}

/**
 * Typed text → Lark's text content with `@_user_N` keys for each mention of a known
 * person (longest names first, so "@张三丰" is not "@张三" + "丰"), and for the bot.
 */
export function mentionsIn(text: string, people: readonly Person[]): { content: string; mentions: { key: string; id: { open_id: string }; name: string }[] } {
  const candidates = [...people.map((p) => ({ id: p.userId, name: p.name })), { id: BOT_OPEN_ID, name: BOT_NAME }, { id: BOT_OPEN_ID, name: '机器人' }].sort(
    (a, b) => b.name.length - a.name.length,
  );
  const mentions: { key: string; id: { open_id: string }; name: string }[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '@' || text[i] === '＠') {
      const hit = candidates.find((c) => text.startsWith(c.name, i + 1));
      if (hit) {
        const key = `@_user_${mentions.length + 1}`;
        mentions.push({ key, id: { open_id: hit.id }, name: hit.name });
        out += key;
        i += 1 + hit.name.length;
        continue;
      }
    }
    out += text[i++];
  }
  return { content: JSON.stringify({ text: out }), mentions };
}

export function messageEnvelope(args: { eventId: string; messageId: string; chat: Chat; sender: Person; text: string; people: readonly Person[]; now: number }): Envelope {
  const { content, mentions } = mentionsIn(args.text, args.people);
  return {
    schema: '2.0',
    header: header(args.eventId, 'im.message.receive_v1', args.now),
    event: {
      sender: { sender_id: { open_id: args.sender.userId }, sender_type: 'user', tenant_key: TENANT },
      message: { message_id: args.messageId, chat_id: args.chat.chatId, chat_type: args.chat.type, message_type: 'text', content, mentions },
    },
  };
}

/** A file put into the chat, as Lark's `file` message, or a picture as its `image` message (the bytes are fetched by key, as in Lark). */
export function fileEnvelope(args: { eventId: string; messageId: string; chat: Chat; sender: Person; fileKey: string; fileName: string; now: number; image?: boolean }): Envelope {
  return {
    schema: '2.0',
    header: header(args.eventId, 'im.message.receive_v1', args.now),
    event: {
      sender: { sender_id: { open_id: args.sender.userId }, sender_type: 'user', tenant_key: TENANT },
      message: {
        message_id: args.messageId,
        chat_id: args.chat.chatId,
        chat_type: args.chat.type,
        message_type: args.image ? 'image' : 'file',
        content: JSON.stringify(args.image ? { image_key: args.fileKey } : { file_key: args.fileKey, file_name: args.fileName }),
      },
    },
  };
}

export function cardActionEnvelope(args: {
  eventId: string;
  messageId: string;
  chat: Chat;
  operator: Person;
  value: unknown;
  tag: string;
  name: string;
  formValue?: Record<string, string>;
  now: number;
}): Envelope {
  return {
    schema: '2.0',
    header: header(args.eventId, 'card.action.trigger', args.now),
    event: {
      operator: { open_id: args.operator.userId },
      action: { value: args.value, tag: args.tag, name: args.name, ...(args.formValue ? { form_value: args.formValue } : {}) },
      context: { open_message_id: args.messageId, open_chat_id: args.chat.chatId },
    },
  };
}

type Json = Record<string, unknown>;

/**
 * The callback value Lark would send for a press on a rendered card: the button
 * named `name` (inside the form `form` for a submit). Looked up on the server, so
 * the page cannot send a value the card does not carry.
 */
export function findButton(card: Json, name: string, form?: string): { value: unknown; tag: string; formFields: string[] } | undefined {
  const elements = ((card.body as Json | undefined)?.elements ?? []) as Json[];
  const scope = form ? (elements.find((e) => e.tag === 'form' && e.name === form)?.elements as Json[] | undefined) : elements;
  if (!scope) return undefined;
  const button = scope.find((e) => e.tag === 'button' && e.name === name);
  const behaviour = (button?.behaviors as Json[] | undefined)?.find((b) => b.type === 'callback');
  if (!behaviour) return undefined;
  const formFields = form ? scope.filter((e) => e.tag !== 'button' && typeof e.name === 'string').map((e) => e.name as string) : [];
  return { value: behaviour.value, tag: 'button', formFields };
}
