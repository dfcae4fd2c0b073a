// Problems found during the evaluation, added by hand (they go into the problems list document).
import { asc, eq } from 'drizzle-orm';
import { problems } from '../../db/schema';
import type { Problem, StoreContext } from './types';

export type NewProblem = { category: string; unit?: string | null; description: string };

export function problemStore({ db }: StoreContext) {
  return {
    async addProblem(evaluationId: number, problem: NewProblem, by: string, now: number): Promise<Problem> {
      const [row] = await db
        .insert(problems)
        .values({
          evaluationId,
          category: problem.category,
          unit: problem.unit ?? null,
          description: problem.description,
          addedBy: by,
          addedAt: now,
        })
        .returning();
      return row;
    },

    async listProblems(evaluationId: number): Promise<Problem[]> {
      return await db.select().from(problems).where(eq(problems.evaluationId, evaluationId)).orderBy(asc(problems.id)).all();
    },

    /** True when the problem existed. */
    async removeProblem(id: number): Promise<boolean> {
      const removed = await db.delete(problems).where(eq(problems.id, id)).returning({ id: problems.id });
      return removed.length > 0;
    },
  };
}
