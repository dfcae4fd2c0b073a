// How an outbox row becomes a Lark message (the rows themselves: conversation/outbox.ts).
import { type CardPayload, type TextPayload, USER_TARGET_PREFIX } from '../../conversation/outbox';
import { escapeTextMessage } from '../../conversation/escape';
import { renderCard } from './cards';

export { type CardPayload, type FilePayload, type OutboxItem, type OutboxKind, type TextPayload, USER_TARGET_PREFIX, outboxItems } from '../../conversation/outbox';

/** Where Lark should deliver an outbox row: a chat, or one person's private chat. */
export function receiverOf(chatId: string): { receiveIdType: 'chat_id' | 'open_id'; receiveId: string } {
  return chatId.startsWith(USER_TARGET_PREFIX)
    ? { receiveIdType: 'open_id', receiveId: chatId.slice(USER_TARGET_PREFIX.length) }
    : { receiveIdType: 'chat_id', receiveId: chatId };
}

/**
 * Lark text content. A mention is `<at user_id="ou_…">name</at>`; the engine writes
 * `@name` in the text, which we swap for the tag (or put the tag in front if absent).
 */
export function textContent(payload: TextPayload): string {
  // The engine's text is plain text with user answers in it: escaped whole, so only the
  // mention tags added here are markup.
  let text = escapeTextMessage(payload.text);
  const front: string[] = [];
  for (const m of payload.mentions ?? []) {
    const name = escapeTextMessage(m.name);
    const tag = `<at user_id="${m.userId.replace(/[^A-Za-z0-9_-]/g, '')}">${name}</at>`;
    const at = `@${name}`;
    if (text.includes(at)) text = text.split(at).join(tag);
    else front.push(tag);
  }
  return JSON.stringify({ text: front.length ? `${front.join(' ')} ${text}` : text });
}

export function cardContent(payload: CardPayload): string {
  return JSON.stringify(renderCard(payload.card));
}
