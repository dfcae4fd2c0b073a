import { type DialogState, type Snapshot, type Write, emptyDialog } from '../conversation/state';
import type { Input } from '../conversation/types';

/**
 * The dialog state to save after a message, or undefined for none. It carries the
 * message id whenever the message wrote something, so a message handled again after
 * a crash is recognised instead of being taken as the answer to the next question.
 */
export function dialogAfter(input: Input, snap: Snapshot, writes: Write[]): DialogState | null | undefined {
  const messageId = input.message.messageId;
  const dialogWrite = [...writes].reverse().find((w) => w.type === 'dialog');
  if (!dialogWrite && !(messageId && writes.length)) return undefined;
  const state = dialogWrite?.type === 'dialog' ? dialogWrite.state : (snap.dialog ?? emptyDialog());
  return state && messageId ? { ...state, lastMessageId: messageId } : state;
}
