// Per-user conversation state in a chat (what the bot is waiting for). The state
// is opaque JSON owned by the conversation layer.
import { and, eq } from 'drizzle-orm';
import { dialogStates } from '../../db/schema';
import type { StoreContext } from './types';

export type DialogState = { evaluationId: number | null; state: unknown; updatedAt: number };

export function dialogStore({ db }: StoreContext) {
  const key = (chatId: string, userId: string) => and(eq(dialogStates.chatId, chatId), eq(dialogStates.userId, userId));
  return {
    async getDialogState(chatId: string, userId: string): Promise<DialogState | undefined> {
      const row = await db
        .select({ evaluationId: dialogStates.evaluationId, state: dialogStates.state, updatedAt: dialogStates.updatedAt })
        .from(dialogStates)
        .where(key(chatId, userId))
        .get();
      return row && { evaluationId: row.evaluationId, state: JSON.parse(row.state) as unknown, updatedAt: row.updatedAt };
    },

    async setDialogState(chatId: string, userId: string, evaluationId: number | null, state: unknown, now: number): Promise<void> {
      // JSON has no undefined: it is stored as null.
      const row = { evaluationId, state: JSON.stringify(state ?? null), updatedAt: now };
      await db
        .insert(dialogStates)
        .values({ chatId, userId, ...row })
        .onConflictDoUpdate({ target: [dialogStates.chatId, dialogStates.userId], set: row })
        .run();
    },

    async clearDialogState(chatId: string, userId: string): Promise<void> {
      await db.delete(dialogStates).where(key(chatId, userId)).run();
    },
  };
}
