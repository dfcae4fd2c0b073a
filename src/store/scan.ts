// Reads for the long passes over every evaluation (汇总, the reminder pass): a page of
// evaluations at a time, and what a chunk of them needs in one query each (answers,
// assignments, derived facts). A list of ids or keys travels as one JSON parameter read
// with json_each, so a chunk of any size binds one parameter (D1 allows 100 per query)
// and costs one query (D1 allows 1,000 per invocation, 50 on the free plan).
// Plain SQL with fixed texts: prepared once on better-sqlite3, the same text on D1.
import type { Evaluation, StoreContext } from './types';
import { SqlStatement } from './sql';

/** An evaluation with the deadline that applies to it: its own, else the administrator's default for its year (and template). */
export type ScannedEvaluation = Evaluation & { effectiveDeadline: string | undefined };

export interface ScanFilter {
  /** Only this year. */
  year?: number;
  /** Only evaluations being filled whose deadline is on or before this day (a later one has no reminder yet). */
  remindableBy?: string;
  /** Only these evaluations (the 逾期 card's, out of thousands). */
  ids?: readonly number[];
}

/** Rows of a chunk of answers, by evaluation. */
export type ChunkAnswer = { evaluationId: number; path: string; value: string; updatedBy: string; updatedByName: string; updatedAt: number };
export type ChunkAssignment = { evaluationId: number; sectionId: string; userId: string; userName: string };
export type StoredFacts = { evaluationId: number; key: string; facts: string };

const ids = (list: readonly number[]) => JSON.stringify(list);

const EFFECTIVE_DEADLINE = `coalesce(e.deadline, (SELECT d.deadline FROM default_deadlines d
  WHERE d.year = e.year AND d.template_id IN (e.template_id, '') ORDER BY d.template_id DESC LIMIT 1))`;

const SCAN = `SELECT * FROM (SELECT e.*, ${EFFECTIVE_DEADLINE} AS effective_deadline FROM evaluations e
    WHERE e.id > ? AND (? IS NULL OR e.id IN (SELECT value FROM json_each(?)))) x
  WHERE (? IS NULL OR x.year = ?)
    AND (? IS NULL OR (x.status = 'filling' AND x.effective_deadline IS NOT NULL AND x.effective_deadline <= ?))
  ORDER BY x.id LIMIT ?`;

/**
 * What the summary shows of each evaluation, one JSON array per row (json_array escapes,
 * so equal text means equal columns): template id and version, year, project name,
 * status, effective deadline, answers version, documents version, chat, passed sections
 * and confirmed warnings (these two as their JSON text). Narrow, so 10,000 rows read in ~15 ms.
 */
const SUMMARY_SCAN = `SELECT e.id AS id, json_array(e.template_id, e.template_version, e.year, e.project_name, e.status, ${EFFECTIVE_DEADLINE},
    e.answers_version, e.documents_version, e.chat_id, e.passed_sections, e.warnings_confirmed) AS row
  FROM evaluations e WHERE e.id > ? AND (? IS NULL OR e.year = ?) ORDER BY e.id LIMIT ?`;

/** A row of SUMMARY_SCAN. */
export type SummaryScanRow = { id: number; row: string };

type RawEvaluation = Record<string, unknown>;
const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (JSON.parse(String(v)) as T));

function toEvaluation(r: RawEvaluation): ScannedEvaluation {
  return {
    id: r.id as number,
    templateId: r.template_id as string,
    templateVersion: r.template_version as string,
    year: r.year as number,
    projectName: r.project_name as string,
    chatId: r.chat_id as string,
    tenantKey: (r.tenant_key as string | null) ?? null,
    status: r.status as Evaluation['status'],
    deadline: (r.deadline as string | null) ?? null,
    remindersPaused: !!r.reminders_paused,
    reminderDays: json<number[]>(r.reminder_days),
    reminderTime: (r.reminder_time as string | null) ?? null,
    answersVersion: r.answers_version as number,
    documentsVersion: (r.documents_version as number | null) ?? null,
    passedSections: json<string[]>(r.passed_sections),
    warningsConfirmed: json<Evaluation['warningsConfirmed']>(r.warnings_confirmed),
    createdBy: r.created_by as string,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    effectiveDeadline: (r.effective_deadline as string | null) ?? undefined,
  };
}

/** Keeps a JSON parameter well under D1's 2 MB per value. */
const MAX_PARAM_BYTES = 1_500_000;

/** Splits rows so that each chunk's JSON stays under MAX_PARAM_BYTES and `maxRows`. */
export function jsonChunks<T>(rows: readonly T[], maxRows = 100): T[][] {
  const out: T[][] = [];
  let chunk: T[] = [];
  let bytes = 2;
  for (const row of rows) {
    const size = JSON.stringify(row).length * 3 + 1; // UTF-8 is at most 3 bytes per UTF-16 unit
    if (chunk.length && (chunk.length >= maxRows || bytes + size > MAX_PARAM_BYTES)) {
      out.push(chunk);
      chunk = [];
      bytes = 2;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length) out.push(chunk);
  return out;
}

const ANSWERS = `SELECT evaluation_id AS evaluationId, path, value, updated_by AS updatedBy, updated_by_name AS updatedByName, updated_at AS updatedAt
  FROM answers WHERE evaluation_id IN (SELECT value FROM json_each(?))`;
/** Evaluations whose answers are read at once on SQLite: up to ~1,500 rows, a few milliseconds. */
const ANSWER_GROUP = 5;
const yieldLoop = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** One row of derived facts, unless its evaluation is gone meanwhile (the WHERE also lets SQLite parse the upsert). */
const STORE_ONE = `INSERT INTO evaluation_facts (evaluation_id, key, facts) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM evaluations e WHERE e.id = ?)
  ON CONFLICT(evaluation_id) DO UPDATE SET key = excluded.key, facts = excluded.facts`;
/** Rows of derived facts stored per transaction on SQLite. */
const STORE_GROUP = 25;

export function scanStore({ sql, driver }: StoreContext) {
  return {
    /**
     * Evaluations a pass reads per query: D1 counts queries (1,000 per invocation) and
     * answers them over the network; better-sqlite3 answers synchronously, holding the
     * event loop about 10 ms per 1,000 rows.
     */
    scanPageSize: driver === 'd1' ? 10_000 : 1_000,

    /** Evaluations after `afterId` in id order, at most `limit`: one query. */
    async scanEvaluations(filter: ScanFilter, afterId: number, limit: number): Promise<ScannedEvaluation[]> {
      const year = filter.year ?? null;
      const by = filter.remindableBy ?? null;
      const only = filter.ids ? ids(filter.ids) : null;
      return (await sql.all<RawEvaluation>(SCAN, [afterId, only, only, year, year, by, by, limit])).map(toEvaluation);
    },

    /** What the summary shows of evaluations after `afterId` (of one year, or all), in id order, at most `limit`: one query. */
    async scanSummaryRows(year: number | undefined, afterId: number, limit: number): Promise<SummaryScanRow[]> {
      return await sql.all<SummaryScanRow>(SUMMARY_SCAN, [afterId, year ?? null, year ?? null, limit]);
    },

    /**
     * The answers of these evaluations, in evaluation and path order. D1: one query (a
     * query is what it counts). SQLite: ANSWER_GROUP evaluations at a time with the event loop
     * handed back in between, since a synchronous read of 100 full evaluations (15,000
     * rows) holds it for about 100 ms.
     */
    async answersOf(evaluationIds: readonly number[]): Promise<ChunkAnswer[]> {
      if (!evaluationIds.length) return [];
      if (driver === 'd1') return await sql.all<ChunkAnswer>(`${ANSWERS} ORDER BY evaluation_id, path`, [ids(evaluationIds)]);
      const out: ChunkAnswer[] = [];
      for (let i = 0; i < evaluationIds.length; i += ANSWER_GROUP) {
        if (i) await yieldLoop();
        out.push(...(await sql.all<ChunkAnswer>(`${ANSWERS} ORDER BY evaluation_id, path`, [ids(evaluationIds.slice(i, i + ANSWER_GROUP))])));
      }
      return out;
    },

    async assignmentsOf(evaluationIds: readonly number[]): Promise<ChunkAssignment[]> {
      if (!evaluationIds.length) return [];
      return await sql.all<ChunkAssignment>(
        `SELECT evaluation_id AS evaluationId, section_id AS sectionId, user_id AS userId, user_name AS userName
         FROM assignments WHERE evaluation_id IN (SELECT value FROM json_each(?)) ORDER BY evaluation_id, section_id`,
        [ids(evaluationIds)],
      );
    },

    /** Facts stored for these evaluations (whatever their key: the caller compares it). */
    async storedFactsOf(evaluationIds: readonly number[]): Promise<StoredFacts[]> {
      if (!evaluationIds.length) return [];
      return await sql.all<StoredFacts>(
        `SELECT evaluation_id AS evaluationId, key, facts FROM evaluation_facts WHERE evaluation_id IN (SELECT value FROM json_each(?))`,
        [ids(evaluationIds)],
      );
    },

    /**
     * What the summary reads of the facts stored for these evaluations: without the
     * missing parts' names and the people (most of the text), with how many parts are missing.
     */
    async storedSummaryFactsOf(evaluationIds: readonly number[]): Promise<(StoredFacts & { gaps: number })[]> {
      if (!evaluationIds.length) return [];
      return await sql.all<StoredFacts & { gaps: number }>(
        `SELECT evaluation_id AS evaluationId, key, json_remove(facts, '$.gaps', '$.answeredBy') AS facts, json_array_length(facts, '$.gaps') AS gaps
         FROM evaluation_facts WHERE evaluation_id IN (SELECT value FROM json_each(?))`,
        [ids(evaluationIds)],
      );
    },

    /**
     * Stores derived facts, replacing older ones. D1: one statement per chunk (a JSON
     * parameter). SQLite: a prepared statement per row, STORE_GROUP rows per transaction
     * with the event loop handed back in between (100 rows of ~2 KB held it up to 35 ms).
     * Each row stands alone (a cache of what the answers give), so the groups need not be one transaction.
     */
    async storeFacts(rows: readonly StoredFacts[]): Promise<void> {
      if (driver !== 'd1') {
        for (let i = 0; i < rows.length; i += STORE_GROUP) {
          if (i) await yieldLoop();
          await sql.transaction(rows.slice(i, i + STORE_GROUP).map((r) => new SqlStatement(STORE_ONE, [r.evaluationId, r.key, r.facts, r.evaluationId])));
        }
        return;
      }
      const statements = jsonChunks(rows.map((r) => [r.evaluationId, r.key, r.facts])).map(
        (chunk) =>
          new SqlStatement(
            `INSERT INTO evaluation_facts (evaluation_id, key, facts)
             SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]') FROM json_each(?) j
             WHERE EXISTS (SELECT 1 FROM evaluations e WHERE e.id = json_extract(j.value, '$[0]'))
             ON CONFLICT(evaluation_id) DO UPDATE SET key = excluded.key, facts = excluded.facts`,
            [JSON.stringify(chunk)],
          ),
      );
      if (statements.length) await sql.transaction(statements);
    },

    /** Open and overdue 整改 items per evaluation, counted in SQL (only evaluations that have items). */
    async rectCountsByEvaluation(today: string): Promise<{ evaluationId: number; total: number; open: number; overdue: number }[]> {
      return await sql.all(
        `SELECT evaluation_id AS evaluationId, count(*) AS total,
                coalesce(sum(status IN ('todo', 'doing')), 0) AS open,
                coalesce(sum(status IN ('todo', 'doing') AND due_date IS NOT NULL AND due_date < ?), 0) AS overdue
         FROM rect_items GROUP BY evaluation_id`,
        [today],
      );
    },
  };
}
