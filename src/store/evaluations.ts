// Evaluations: one per project per year, living in one group chat.
import { and, desc, eq, ne, type SQL } from 'drizzle-orm';
import { type WarningsConfirmation, evaluations } from '../../db/schema';
import type { Evaluation, EvaluationStatus, StoreContext } from './types';

export type NewEvaluation = {
  templateId: string;
  templateVersion: string;
  year: number;
  projectName: string;
  chatId: string;
  tenantKey?: string | null;
  createdBy: string;
  deadline?: string | null;
  now: number;
};

export type EvaluationPatch = Partial<{
  status: EvaluationStatus;
  deadline: string | null;
  remindersPaused: boolean;
  reminderDays: number[] | null;
  reminderTime: string | null;
  documentsVersion: number | null;
  projectName: string;
  year: number;
  passedSections: string[] | null;
  warningsConfirmed: WarningsConfirmation | null;
}>;

export function evaluationStore({ db }: StoreContext) {
  return {
    async createEvaluation(input: NewEvaluation): Promise<Evaluation> {
      const [row] = await db
        .insert(evaluations)
        .values({
          templateId: input.templateId,
          templateVersion: input.templateVersion,
          year: input.year,
          projectName: input.projectName,
          chatId: input.chatId,
          tenantKey: input.tenantKey ?? null,
          createdBy: input.createdBy,
          deadline: input.deadline ?? null,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning();
      return row;
    },

    async getEvaluation(id: number): Promise<Evaluation | undefined> {
      return await db.select().from(evaluations).where(eq(evaluations.id, id)).get();
    },

    /** The chat's current evaluation: the newest one that is not archived. */
    async findEvaluationByChat(chatId: string): Promise<Evaluation | undefined> {
      return await db
        .select()
        .from(evaluations)
        .where(and(eq(evaluations.chatId, chatId), ne(evaluations.status, 'archived')))
        .orderBy(desc(evaluations.createdAt), desc(evaluations.id))
        .limit(1)
        .get();
    },

    async listEvaluations(filter: { year?: number; status?: EvaluationStatus } = {}): Promise<Evaluation[]> {
      const conditions: SQL[] = [];
      if (filter.year !== undefined) conditions.push(eq(evaluations.year, filter.year));
      if (filter.status !== undefined) conditions.push(eq(evaluations.status, filter.status));
      return await db
        .select()
        .from(evaluations)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(evaluations.id)
        .all();
    },

    /** Returns the updated row, or undefined when there is no such evaluation. */
    async updateEvaluation(id: number, patch: EvaluationPatch, now: number): Promise<Evaluation | undefined> {
      // Copy only known keys: a stray property must not reach SQL (e.g. answersVersion).
      const set: Partial<typeof evaluations.$inferInsert> = { updatedAt: now };
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.deadline !== undefined) set.deadline = patch.deadline;
      if (patch.remindersPaused !== undefined) set.remindersPaused = patch.remindersPaused;
      if (patch.reminderDays !== undefined) set.reminderDays = patch.reminderDays;
      if (patch.reminderTime !== undefined) set.reminderTime = patch.reminderTime;
      if (patch.documentsVersion !== undefined) set.documentsVersion = patch.documentsVersion;
      if (patch.projectName !== undefined) set.projectName = patch.projectName;
      if (patch.year !== undefined) set.year = patch.year;
      if (patch.passedSections !== undefined) set.passedSections = patch.passedSections;
      if (patch.warningsConfirmed !== undefined) set.warningsConfirmed = patch.warningsConfirmed;
      const [row] = await db.update(evaluations).set(set).where(eq(evaluations.id, id)).returning();
      return row;
    },
  };
}
