// Who fills which section of an evaluation.
import { and, asc, eq } from 'drizzle-orm';
import { assignments } from '../../db/schema';
import type { Assignment, StoreContext, User } from './types';

export function assignmentStore({ db }: StoreContext) {
  return {
    /** One person per section: assigning again replaces the previous person. */
    async assign(evaluationId: number, sectionId: string, user: User, by: string, now: number): Promise<void> {
      const row = { userId: user.userId, userName: user.name, assignedBy: by, assignedAt: now };
      await db
        .insert(assignments)
        .values({ evaluationId, sectionId, ...row })
        .onConflictDoUpdate({ target: [assignments.evaluationId, assignments.sectionId], set: row })
        .run();
    },

    /** True when there was an assignment to remove. */
    async unassign(evaluationId: number, sectionId: string): Promise<boolean> {
      const removed = await db
        .delete(assignments)
        .where(and(eq(assignments.evaluationId, evaluationId), eq(assignments.sectionId, sectionId)))
        .returning({ sectionId: assignments.sectionId });
      return removed.length > 0;
    },

    async getAssignments(evaluationId: number): Promise<Assignment[]> {
      return await db
        .select()
        .from(assignments)
        .where(eq(assignments.evaluationId, evaluationId))
        .orderBy(asc(assignments.sectionId))
        .all();
    },
  };
}
