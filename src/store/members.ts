// Who has been seen in which chat: to tell outsiders from members and to @-mention by name.
import { and, eq } from 'drizzle-orm';
import { members } from '../../db/schema';
import type { Member, StoreContext } from './types';

// plain SQL, prepared once: the Lark channel reads a chat's members on the first event of each chat, before acknowledging it
const LIST_MEMBERS = `select chat_id as chatId, user_id as userId, user_name as userName, last_seen_at as lastSeenAt
from members where chat_id = ? order by user_name, user_id`;

export function memberStore({ db, sql }: StoreContext) {
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
      return await sql.all<Member>(LIST_MEMBERS, [chatId]);
    },
  };
}
