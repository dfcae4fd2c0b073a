// What goes into the outbox, and how an outbox row becomes a Lark message.
// Rows hold the engine's own terms (text, Card, file bytes) and are rendered at
// send time, so a rendering fix also applies to messages queued before it.
import type { Actor, Card, Output } from '../../conversation/types';
import { renderCard } from './cards';

export type OutboxKind = 'text' | 'card' | 'file';

export type TextPayload = { text: string; mentions?: Actor[] };
export type CardPayload = { card: Card };
export type FilePayload = { fileName: string; base64: string };

export interface OutboxItem {
  chatId: string;
  kind: OutboxKind;
  payload: unknown;
  replyTo?: string;
  uuid: string;
}

/**
 * An outbox chatId is a chat id (oc_…), or 'user:<open_id>' for a private message
 * to one person (reminders to leaders use it; see src/reminders/run.ts).
 */
export const USER_TARGET_PREFIX = 'user:';

export function receiverOf(chatId: string): { receiveIdType: 'chat_id' | 'open_id'; receiveId: string } {
  return chatId.startsWith(USER_TARGET_PREFIX)
    ? { receiveIdType: 'open_id', receiveId: chatId.slice(USER_TARGET_PREFIX.length) }
    : { receiveIdType: 'chat_id', receiveId: chatId };
}

/** Output.messages → outbox items. Only the first one replies to the user's message: one quote is enough. */
export function outboxItems(output: Output, chatId: string, replyTo: string | undefined, newUuid: () => string): OutboxItem[] {
  return output.messages.map((m, i) => {
    const base = { chatId, uuid: newUuid(), ...(i === 0 && replyTo ? { replyTo } : {}) };
    switch (m.type) {
      case 'text':
        return { ...base, kind: 'text', payload: { text: m.text, ...(m.mentions?.length ? { mentions: m.mentions } : {}) } satisfies TextPayload };
      case 'card':
        return { ...base, kind: 'card', payload: { card: m.card } satisfies CardPayload };
      case 'file':
        return { ...base, kind: 'file', payload: { fileName: m.fileName, base64: Buffer.from(m.bytes).toString('base64') } satisfies FilePayload };
    }
  });
}

/**
 * Lark text content. A mention is `<at user_id="ou_…">name</at>`; the engine writes
 * `@name` in the text, which we swap for the tag (or put the tag in front if absent).
 */
export function textContent(payload: TextPayload): string {
  let text = payload.text;
  const front: string[] = [];
  for (const m of payload.mentions ?? []) {
    const tag = `<at user_id="${m.userId}">${m.name}</at>`;
    const at = `@${m.name}`;
    if (text.includes(at)) text = text.split(at).join(tag);
    else front.push(tag);
  }
  return JSON.stringify({ text: front.length ? `${front.join(' ')} ${text}` : text });
}

export function cardContent(payload: CardPayload): string {
  return JSON.stringify(renderCard(payload.card));
}
