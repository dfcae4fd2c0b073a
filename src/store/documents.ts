// Generated documents (form, report, problems list): metadata only; the files live elsewhere.
import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { documents, evaluations } from '../../db/schema';
import { chunkRows } from './atomic';
import type { DocumentKind, DocumentRow, StoreContext } from './types';

export type NewDocument = { kind: DocumentKind; fileName: string; sha256: string; size: number };

export function documentStore({ db, atomic }: StoreContext) {
  return {
    /**
     * Records one generation atomically and points the evaluation at it.
     * Status becomes 'generated' only if no answer changed since `answersVersion`
     * (otherwise the new documents are already stale) and never un-archives.
     */
    async recordDocuments(evaluationId: number, docs: NewDocument[], answersVersion: number, by: string, now: number): Promise<void> {
      if (docs.length === 0) return;
      const rows = docs.map((d) => ({ evaluationId, ...d, answersVersion, createdAt: now, createdBy: by }));
      await atomic([
        ...chunkRows(rows, Object.keys(getTableColumns(documents)).length).map((chunk) => db.insert(documents).values(chunk)),
        db
          .update(evaluations)
          .set({
            documentsVersion: answersVersion,
            status: sql`case when ${evaluations.answersVersion} = ${answersVersion} and ${evaluations.status} <> 'archived' then 'generated' else ${evaluations.status} end`,
            updatedAt: now,
          })
          .where(eq(evaluations.id, evaluationId)),
      ]);
    },

    /** The documents of the most recent recordDocuments call, or [] when none. */
    async latestDocuments(evaluationId: number): Promise<DocumentRow[]> {
      const newest = await db
        .select({ createdAt: documents.createdAt, answersVersion: documents.answersVersion })
        .from(documents)
        .where(eq(documents.evaluationId, evaluationId))
        .orderBy(desc(documents.id))
        .limit(1)
        .get();
      if (!newest) return [];
      return await db
        .select()
        .from(documents)
        .where(
          and(
            eq(documents.evaluationId, evaluationId),
            eq(documents.createdAt, newest.createdAt),
            eq(documents.answersVersion, newest.answersVersion),
          ),
        )
        .orderBy(documents.id)
        .all();
    },
  };
}
