// Answers and their history. applyAnswers is the one write path, so every change
// is recorded with who, when and from which message.
import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { answerHistory, answers, evaluations } from '../../db/schema';
import { chunkRows } from './atomic';
import type { AnswerChange, AnswerRow, AnswerValue, AtomicStatement, HistoryRow, StoreContext, User } from './types';

// Values are stored as JSON so 1, "1" and true stay distinct; comparing the
// encoded strings is also how "same value, no change" is decided.
const encode = (value: AnswerValue): string => JSON.stringify(value);
const decode = (text: string): AnswerValue => JSON.parse(text) as AnswerValue;
const decodeNullable = (text: string | null): AnswerValue | null => (text === null ? null : decode(text));

export type ApplyMeta = { now: number; messageId?: string; via: string };
export type ApplyResult = { changed: AnswerChange[]; answersVersion: number };

/** Tries before giving up when other writers keep changing the same evaluation. */
const MAX_ATTEMPTS = 8;
const answerColumns = Object.keys(getTableColumns(answers)).length;
const historyColumns = Object.keys(getTableColumns(answerHistory)).length;

export class EvaluationNotFoundError extends Error {
  constructor(readonly evaluationId: number) {
    super(`evaluation ${evaluationId} not found`);
    this.name = 'EvaluationNotFoundError';
  }
}

export function answerStore({ db, atomic }: StoreContext) {
  async function readVersion(evaluationId: number): Promise<number | undefined> {
    const row = await db
      .select({ v: evaluations.answersVersion })
      .from(evaluations)
      .where(eq(evaluations.id, evaluationId))
      .get();
    return row?.v;
  }

  async function getAnswerRows(evaluationId: number): Promise<AnswerRow[]> {
    const rows = await db
      .select()
      .from(answers)
      .where(eq(answers.evaluationId, evaluationId))
      .orderBy(asc(answers.path))
      .all();
    return rows.map((r) => ({
      path: r.path,
      value: decode(r.value),
      updatedBy: r.updatedBy,
      updatedByName: r.updatedByName,
      updatedAt: r.updatedAt,
      messageId: r.messageId,
    }));
  }

  /** One attempt; returns undefined when another writer got in between (retry). */
  async function tryApply(
    evaluationId: number,
    changes: { path: string; value: AnswerValue | null }[],
    by: User,
    meta: ApplyMeta,
  ): Promise<ApplyResult | undefined> {
    // Version first, then answers: a write landing between the two reads bumps
    // the version, so the guard below catches it instead of us recording stale old values.
    const version = await readVersion(evaluationId);
    if (version === undefined) throw new EvaluationNotFoundError(evaluationId);
    const current = new Map((await db.select().from(answers).where(eq(answers.evaluationId, evaluationId)).all()).map((r) => [r.path, r]));

    // The last change to a path wins; compare it with what is stored now.
    const wanted = new Map<string, string | null>();
    for (const c of changes) wanted.set(c.path, c.value === null ? null : encode(c.value));
    const changed: AnswerChange[] = [];
    const upserts: (typeof answers.$inferInsert)[] = [];
    const deletes: string[] = [];
    for (const [path, next] of wanted) {
      const old = current.get(path);
      if ((old?.value ?? null) === next) continue;
      changed.push({
        path,
        oldValue: old ? decode(old.value) : null,
        newValue: next === null ? null : decode(next),
        ...(old && { previousBy: { userId: old.updatedBy, name: old.updatedByName, at: old.updatedAt } }),
      });
      if (next === null) deletes.push(path);
      else upserts.push({ evaluationId, path, value: next, updatedBy: by.userId, updatedByName: by.name, updatedAt: meta.now, messageId: meta.messageId ?? null });
    }
    if (changed.length === 0) return { changed, answersVersion: version };

    // Multi-row statements, chunked under D1's bound-parameter limit: a file
    // import can change hundreds of answers, and D1 also caps queries per request.
    const writes: AtomicStatement[] = [];
    for (const rows of chunkRows(upserts, answerColumns)) {
      writes.push(
        db
          .insert(answers)
          .values(rows)
          .onConflictDoUpdate({
            target: [answers.evaluationId, answers.path],
            set: {
              value: sql`excluded.value`,
              updatedBy: sql`excluded.updated_by`,
              updatedByName: sql`excluded.updated_by_name`,
              updatedAt: sql`excluded.updated_at`,
              messageId: sql`excluded.message_id`,
            },
          }),
      );
    }
    for (const paths of chunkRows(deletes, 1, 1)) {
      writes.push(db.delete(answers).where(and(eq(answers.evaluationId, evaluationId), inArray(answers.path, paths))));
    }

    // Optimistic lock that works inside a D1 batch too: if the version moved since
    // we read it, answers_version becomes NULL, the NOT NULL constraint fails and
    // the whole batch rolls back. Documents are now out of date: 'generated' → 'filling'.
    const guard = db
      .update(evaluations)
      .set({
        answersVersion: sql`case when ${evaluations.answersVersion} = ${version} then ${version + 1} else null end`,
        status: sql`case when ${evaluations.status} = 'generated' then 'filling' else ${evaluations.status} end`,
        updatedAt: meta.now,
      })
      .where(eq(evaluations.id, evaluationId));
    const historyRows = changed.map((c) => ({
      evaluationId,
      path: c.path,
      oldValue: c.oldValue === null ? null : encode(c.oldValue),
      newValue: c.newValue === null ? null : encode(c.newValue),
      byUser: by.userId,
      byName: by.name,
      at: meta.now,
      messageId: meta.messageId ?? null,
      via: meta.via,
    }));
    const history = chunkRows(historyRows, historyColumns).map((rows) => db.insert(answerHistory).values(rows));
    try {
      await atomic([guard, ...writes, ...history]);
    } catch (error) {
      // Lost the race (version moved) → retry; anything else is a real error.
      if ((await readVersion(evaluationId)) !== version) return undefined;
      throw error;
    }
    return { changed, answersVersion: version + 1 };
  }

  return {
    async getAnswers(evaluationId: number): Promise<Record<string, AnswerValue>> {
      const out: Record<string, AnswerValue> = {};
      for (const row of await getAnswerRows(evaluationId)) out[row.path] = row.value;
      return out;
    },

    getAnswerRows,

    /**
     * Sets (value) or deletes (null) answers in one atomic write: answers, one
     * history row per path that really changed, answers_version + 1 once.
     */
    async applyAnswers(
      evaluationId: number,
      changes: { path: string; value: AnswerValue | null }[],
      by: User,
      meta: ApplyMeta,
    ): Promise<ApplyResult> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const result = await tryApply(evaluationId, changes, by, meta);
        if (result) return result;
      }
      throw new Error(`applyAnswers: evaluation ${evaluationId} kept changing; gave up after ${MAX_ATTEMPTS} tries`);
    },

    /** Oldest first; all paths, or one. */
    async getHistory(evaluationId: number, path?: string): Promise<HistoryRow[]> {
      const where =
        path === undefined
          ? eq(answerHistory.evaluationId, evaluationId)
          : and(eq(answerHistory.evaluationId, evaluationId), eq(answerHistory.path, path));
      const rows = await db.select().from(answerHistory).where(where).orderBy(asc(answerHistory.id)).all();
      return rows.map((r) => ({ ...r, oldValue: decodeNullable(r.oldValue), newValue: decodeNullable(r.newValue) }));
    },
  };
}
