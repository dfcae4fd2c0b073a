// Who has been seen in which chat: to tell outsiders from members and to @-mention by name.
import { and, asc, eq } from 'drizzle-orm';
import { members } from '../../db/schema';
import type { Member, StoreContext } from './types';

export function memberStore({ db }: StoreContext) {
  return {
    async seeMember(chatId: string, userId: string, userName: string, now: number): Promise<void> {
      await db
        .insert(members)
        .values({ chatId, userId, userName, lastSeenAt: now })
        .onConflictDoUpdate({ target: [members.chatId, members.userId], set: { userName, lastSeenAt: now } })
        .run();
    },

    async isMember(chatId: string, userId: string): Promise<boolean> {
      const row = await db
        .select({ userId: members.userId })
        .from(members)
        .where(and(eq(members.chatId, chatId), eq(members.userId, userId)))
        .get();
      return row !== undefined;
    },

    async listMembers(chatId: string): Promise<Member[]> {
      return await db.select().from(members).where(eq(members.chatId, chatId)).orderBy(asc(members.userName), asc(members.userId)).all();
    },
  };
}
