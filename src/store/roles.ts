// Bot-wide roles (leader, admin) with an audit trail of every grant and removal.
import { asc, eq } from 'drizzle-orm';
import { roleHistory, roles } from '../../db/schema';
import type { RoleName, RoleRow, StoreContext } from './types';

export function roleStore({ db, atomic }: StoreContext) {
  return {
    /** role null removes it. The role and its history row are written together. */
    async setRole(userId: string, role: RoleName | null, userName: string, by: string, now: number): Promise<void> {
      const change =
        role === null
          ? db.delete(roles).where(eq(roles.userId, userId))
          : db
              .insert(roles)
              .values({ userId, role, userName, grantedBy: by, grantedAt: now })
              .onConflictDoUpdate({ target: roles.userId, set: { role, userName, grantedBy: by, grantedAt: now } });
      await atomic([change, db.insert(roleHistory).values({ userId, role, byUser: by, at: now })]);
    },

    async getRole(userId: string): Promise<RoleRow | undefined> {
      return await db.select().from(roles).where(eq(roles.userId, userId)).get();
    },

    async listRoles(): Promise<RoleRow[]> {
      return await db.select().from(roles).orderBy(asc(roles.grantedAt), asc(roles.userId)).all();
    },

    async roleHistory(userId?: string) {
      return await db
        .select()
        .from(roleHistory)
        .where(userId === undefined ? undefined : eq(roleHistory.userId, userId))
        .orderBy(asc(roleHistory.id))
        .all();
    },
  };
}
