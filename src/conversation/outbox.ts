// What goes into the outbox: the engine's own messages (text, Card, file bytes) with
// where they go and an idempotency uuid. Rows are rendered for a channel only at
// send time, so a rendering fix also applies to messages queued before it. Shared by
// the Lark channel (replies) and the reminders (scheduled messages).
import type { Actor, Card, Output } from './types';

export type OutboxKind = 'text' | 'card' | 'file';

/**
 * `prompt` (the end of `text` asking `asker` their next question) lets the sender merge replies
 * that piled up in one chat: a later prompt to the same person makes this one stale.
 */
export type TextPayload = { text: string; mentions?: Actor[]; prompt?: string; asker?: string };
export type CardPayload = { card: Card };
export type FilePayload = { fileName: string; base64: string };

export interface OutboxItem {
  chatId: string;
  kind: OutboxKind;
  payload: unknown;
  replyTo?: string;
  uuid: string;
}

/** An outbox chatId is a chat id (oc_…), or 'user:<open_id>' for a private message to one person. */
export const USER_TARGET_PREFIX = 'user:';

/** Bytes → base64 without Node's Buffer, so this runs in a Worker too. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Output.messages → outbox items. Only the first one replies to the user's message: one quote is enough.
 * `asker`: whose message this answers; with it, a reply's question (`prompt`) is kept for merging.
 */
export function outboxItems(output: Output, chatId: string, replyTo: string | undefined, newUuid: () => string, asker?: string): OutboxItem[] {
  return output.messages.map((m, i) => {
    const base = { chatId, uuid: newUuid(), ...(i === 0 && replyTo ? { replyTo } : {}) };
    switch (m.type) {
      case 'text':
        return {
          ...base,
          kind: 'text',
          payload: {
            text: m.text,
            ...(m.mentions?.length ? { mentions: m.mentions } : {}),
            ...(asker && m.prompt && m.text.endsWith(m.prompt) ? { prompt: m.prompt, asker } : {}),
          } satisfies TextPayload,
        };
      case 'card':
        return { ...base, kind: 'card', payload: { card: m.card } satisfies CardPayload };
      case 'file':
        return { ...base, kind: 'file', payload: { fileName: m.fileName, base64: toBase64(m.bytes) } satisfies FilePayload };
    }
  });
}
