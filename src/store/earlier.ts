// Earlier evaluations a new one may carry answers over from (沿用): those of the same
// chat, and those of a project with the same name in other chats. Read only when a
// message may be 新建评价 or 沿用, so the hot path does not pay for it.
import { and, desc, eq, inArray, ne, or } from 'drizzle-orm';
import { answers, evaluations } from '../../db/schema';
import type { AnswerValue, StoreContext } from './types';

export interface EarlierEvaluation {
  id: number;
  year: number;
  projectName: string;
  chatId: string;
  templateId: string;
  answers: Record<string, AnswerValue>;
}

export function earlierStore({ db }: StoreContext) {
  return {
    /** Newest year first; not `exceptId` (the chat's current one). */
    async earlierEvaluations(chatId: string, projectName: string | undefined, exceptId?: number, limit = 6): Promise<EarlierEvaluation[]> {
      const where = projectName ? or(eq(evaluations.chatId, chatId), eq(evaluations.projectName, projectName)) : eq(evaluations.chatId, chatId);
      const rows = await db
        .select()
        .from(evaluations)
        .where(exceptId === undefined ? where : and(where, ne(evaluations.id, exceptId)))
        .orderBy(desc(evaluations.year), desc(evaluations.id))
        .limit(limit)
        .all();
      if (!rows.length) return [];
      const values = await db.select().from(answers).where(inArray(answers.evaluationId, rows.map((r) => r.id))).all();
      return rows.map((r) => ({
        id: r.id,
        year: r.year,
        projectName: r.projectName,
        chatId: r.chatId,
        templateId: r.templateId,
        answers: Object.fromEntries(values.filter((v) => v.evaluationId === r.id).map((v) => [v.path, JSON.parse(v.value) as AnswerValue])),
      }));
    },
  };
}
