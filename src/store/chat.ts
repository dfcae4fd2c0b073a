// The hot path of a message: one read of what the engine needs about a chat, one
// transaction for everything the message writes (members, answers with their history,
// the dialog state, the replies and the end of the inbox entry).
//
// The answers of an evaluation are kept in memory keyed by its answers_version, so a
// message reads them only when someone else (another process, the CLI, an import)
// changed them; every write bumps the version, so a stale copy is never used. The
// write is guarded by the version the engine saw: if it moved, nothing is written
// and the caller decides again on fresh data.
import type { WarningsConfirmation } from '../../db/schema';
import { type AnswerRow, type AnswerValue, type StoreContext, type User } from './types';
import { withAnswers } from '../domain/answers';
import { chunkRows } from './atomic';
import { RowsAt } from './rowsAt';
import { outboxColumns, outboxRows, type OutgoingItem } from './outbox';
import { SqlStatement } from './sql';

export type ChatEvaluation = {
  id: number;
  templateId: string;
  templateVersion: string;
  year: number;
  projectName: string;
  status: string;
  deadline: string | null;
  answersVersion: number;
  documentsVersion: number | null;
  passedSections: string[] | null;
  warningsConfirmed: WarningsConfirmation | null;
};

/**
 * An evaluation's answers at one version, in the shapes the bot reads them. Shared between
 * messages (kept by version, and the next version is made from it): frozen, do not mutate.
 */
export type AnswersAt = {
  version: number;
  /** by path: the value and who last changed it */
  rows: RowsAt;
  values: Readonly<Record<string, AnswerValue>>;
};

export type ChatView = {
  evaluation?: ChatEvaluation;
  /** The person's saved dialog state, with the evaluation it belongs to. */
  dialog?: { evaluationId: number | null; state: unknown };
  answers: AnswersAt;
  assignments: { sectionId: string; userId: string; userName: string }[];
  problems: { category: string; unit: string | null; description: string }[];
};

export type MessageWrite = {
  chatId: string;
  userId: string;
  now: number;
  members: User[];
  /** Answer changes, checked against what `view` read: only real changes are written. */
  answers?: { view: ChatView; changes: { path: string; value: AnswerValue | null }[]; by: User; messageId?: string; via: string };
  dialog?: { evaluationId: number | null; state: unknown };
  replies?: OutgoingItem[];
  /** The inbox entry this message came from: closed in the same transaction. */
  inboxKey?: string;
};

/** The evaluation's answers changed since they were read: decide again on fresh data. */
export class StaleAnswersError extends Error {
  constructor(readonly evaluationId: number) {
    super(`answers of evaluation ${evaluationId} changed meanwhile`);
    this.name = 'StaleAnswersError';
  }
}

const encode = (value: AnswerValue): string => JSON.stringify(value);

export const LOAD_CHAT = `
select d.state as dialogState, d.evaluation_id as dialogEvaluationId,
  e.id, e.template_id as templateId, e.template_version as templateVersion, e.year, e.project_name as projectName,
  e.status, e.deadline, e.answers_version as answersVersion, e.documents_version as documentsVersion,
  e.passed_sections as passedSections, e.warnings_confirmed as warningsConfirmed,
  (select json_group_array(json_array(section_id, user_id, user_name))
     from (select * from assignments where evaluation_id = e.id order by section_id)) as assignments,
  (select json_group_array(json_array(category, unit, description))
     from (select * from problems where evaluation_id = e.id order by id)) as problems
from (select 1) as one
left join evaluations e on e.id = (select id from evaluations where chat_id = ? and status <> 'archived' order by created_at desc, id desc limit 1)
left join dialog_states d on d.chat_id = ? and d.user_id = ?`;

const LOAD_ANSWERS = `select path, value, updated_by as updatedBy, updated_by_name as updatedByName, updated_at as updatedAt, message_id as messageId
from answers where evaluation_id = ? order by path`;

const SEE_MEMBER = `insert into members (chat_id, user_id, user_name, last_seen_at) values (?, ?, ?, ?)
on conflict (chat_id, user_id) do update set user_name = excluded.user_name, last_seen_at = excluded.last_seen_at`;

// Optimistic lock that works inside a D1 batch too: if the version moved, answers_version
// becomes NULL, the NOT NULL constraint fails and the whole write rolls back.
const GUARD = `update evaluations set
  answers_version = case when answers_version = ? then ? else null end,
  status = case when status = 'generated' then 'filling' else status end,
  updated_at = ?
where id = ?`;

const UPSERT_DIALOG = `insert into dialog_states (chat_id, user_id, evaluation_id, state, updated_at) values (?, ?, ?, ?, ?)
on conflict (chat_id, user_id) do update set evaluation_id = excluded.evaluation_id, state = excluded.state, updated_at = excluded.updated_at`;

const CLOSE_INBOX = `update inbox set done_at = ? where key = ? and done_at is null`;

const placeholders = (rows: number, columns: number) =>
  Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');

/** The SQL text for n rows, built once per n (and the same text finds the prepared statement). */
function byRows(text: (rows: number) => string): (rows: number) => string {
  const built: string[] = [];
  return (rows) => (built[rows] ??= text(rows));
}

const upsertAnswers = byRows((rows: number) => `insert into answers (evaluation_id, path, value, updated_by, updated_by_name, updated_at, message_id)
values ${placeholders(rows, 7)}
on conflict (evaluation_id, path) do update set value = excluded.value, updated_by = excluded.updated_by,
  updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at, message_id = excluded.message_id`);
const insertHistory = byRows((rows: number) => `insert into answer_history (evaluation_id, path, old_value, new_value, by_user, by_name, at, message_id, via)
values ${placeholders(rows, 9)}`);
const deleteAnswers = byRows((rows: number) => `delete from answers where evaluation_id = ? and path in (${Array.from({ length: rows }, () => '?').join(', ')})`);
const insertOutbox = byRows((rows: number) => `insert into outbox (chat_id, kind, payload, reply_to, uuid, next_attempt_at, created_at)
values ${placeholders(rows, 7)}`);

/**
 * A member seen again under the same name within this time is not written again: a row per
 * message was a statement and two pages of the commit, for a last_seen_at nothing reads finer.
 */
const MEMBER_REFRESH_MS = 60 * 60 * 1000;
const KEPT_MEMBERS = 50_000;
const memberKey = (chatId: string, userId: string, name: string) => `${chatId}\u0000${userId}\u0000${name}`;
const dialogKey = (chatId: string, userId: string) => `${chatId}\u0000${userId}`;

/** Dialog states kept in memory (people mid-conversation); the oldest written go first. */
const KEPT_DIALOGS = 4000;

/** Evaluations whose answers are kept in memory; the least recently used go first. */
const CACHED_EVALUATIONS = 2000;

const NO_ANSWERS: AnswersAt = Object.freeze({ version: 0, rows: RowsAt.of([]), values: Object.freeze({}) });

/** The shapes built from rows read: once per version, not once per message. */
function answersAt(version: number, rows: readonly AnswerRow[]): AnswersAt {
  const values: Record<string, AnswerValue> = {};
  for (const r of rows) values[r.path] = r.value;
  return Object.freeze({ version, rows: RowsAt.of(rows), values: Object.freeze(values) });
}

export function chatStore({ sql }: StoreContext) {
  const cache = new Map<number, AnswersAt>();
  /** Members this process recorded, with the name, and when: the same again soon after is not written again. */
  const membersWritten = new Map<string, number>();
  const remember = (evaluationId: number, entry: AnswersAt) => {
    cache.delete(evaluationId);
    cache.set(evaluationId, entry);
    if (cache.size > CACHED_EVALUATIONS) cache.delete(cache.keys().next().value!);
  };

  /**
   * Dialog states this process wrote, with their text: the same text read back is the same state,
   * not parsed again. Shared with the engine, which never changes a state in place (it makes a new one).
   */
  const dialogs = new Map<string, { text: string; state: unknown }>();
  const dialogOf = (chatId: string, userId: string, text: string): unknown => {
    const kept = dialogs.get(dialogKey(chatId, userId));
    return kept?.text === text ? kept.state : JSON.parse(text);
  };
  const keepDialog = (chatId: string, userId: string, text: string, state: unknown) => {
    const key = dialogKey(chatId, userId);
    dialogs.delete(key);
    if (dialogs.size >= KEPT_DIALOGS) dialogs.delete(dialogs.keys().next().value!);
    dialogs.set(key, { text, state: state == null ? null : Object.freeze(state) });
  };

  async function answersOf(evaluationId: number, version: number): Promise<AnswersAt> {
    const hit = cache.get(evaluationId);
    if (hit && hit.version === version) {
      remember(evaluationId, hit);
      return hit;
    }
    const raw = await sql.all<AnswerRow & { value: string }>(LOAD_ANSWERS, [evaluationId]);
    const entry = answersAt(version, raw.map((r) => ({ ...r, value: JSON.parse(r.value) as AnswerValue })));
    remember(evaluationId, entry);
    return entry;
  }

  return {
    /** Everything the engine needs about this chat and person, in one query (two when the answers changed elsewhere). */
    async loadChat(chatId: string, userId: string): Promise<ChatView> {
      const row = await sql.get<Record<string, any>>(LOAD_CHAT, [chatId, chatId, userId]);
      const dialog = row?.dialogState != null ? { evaluationId: row.dialogEvaluationId as number | null, state: dialogOf(chatId, userId, row.dialogState) } : undefined;
      if (!row || row.id == null) return { dialog, answers: NO_ANSWERS, assignments: [], problems: [] };
      const evaluation: ChatEvaluation = {
        id: row.id,
        templateId: row.templateId,
        templateVersion: row.templateVersion,
        year: row.year,
        projectName: row.projectName,
        status: row.status,
        deadline: row.deadline,
        answersVersion: row.answersVersion,
        documentsVersion: row.documentsVersion,
        passedSections: row.passedSections == null ? null : (JSON.parse(row.passedSections) as string[]),
        warningsConfirmed: row.warningsConfirmed == null ? null : (JSON.parse(row.warningsConfirmed) as WarningsConfirmation),
      };
      const assignments = (JSON.parse(row.assignments) as [string, string, string][]).map(([sectionId, userId, userName]) => ({ sectionId, userId, userName }));
      const problems = (JSON.parse(row.problems) as [string, string | null, string][]).map(([category, unit, description]) => ({ category, unit, description }));
      return { evaluation, dialog, answers: await answersOf(evaluation.id, evaluation.answersVersion), assignments, problems };
    },

    /**
     * One transaction for everything a message writes. Throws StaleAnswersError (nothing
     * written) when the evaluation's answers changed since `answers.view` was read.
     */
    async commitMessage(w: MessageWrite): Promise<void> {
      const statements: SqlStatement[] = [];
      const seen = new Set<string>();
      const written: string[] = [];
      for (const m of w.members) {
        if (seen.has(m.userId)) continue;
        seen.add(m.userId);
        const key = memberKey(w.chatId, m.userId, m.name);
        const at = membersWritten.get(key);
        if (at !== undefined && w.now - at >= 0 && w.now - at < MEMBER_REFRESH_MS) continue;
        written.push(key);
        statements.push(new SqlStatement(SEE_MEMBER, [w.chatId, m.userId, m.name, w.now]));
      }

      let after: AnswersAt | undefined;
      const ev = w.answers?.view.evaluation;
      if (w.answers && ev) {
        const { by, via } = w.answers;
        const messageId = w.answers.messageId ?? null;
        const current = w.answers.view.answers.rows;
        const wanted = new Map<string, AnswerValue | null>();
        for (const c of w.answers.changes) wanted.set(c.path, c.value);
        const upserts: unknown[][] = [];
        const deletes: string[] = [];
        const history: unknown[][] = [];
        const next = new Map<string, AnswerRow | null>();
        const changed: [string, AnswerValue | null][] = [];
        for (const [path, value] of wanted) {
          const old = current.get(path);
          const oldText = old ? encode(old.value) : null;
          const newText = value === null ? null : encode(value);
          if (oldText === newText) continue;
          changed.push([path, value]);
          history.push([ev.id, path, oldText, newText, by.userId, by.name, w.now, messageId, via]);
          if (value === null) {
            deletes.push(path);
            next.set(path, null);
          } else {
            upserts.push([ev.id, path, newText, by.userId, by.name, w.now, messageId]);
            next.set(path, { path, value, updatedBy: by.userId, updatedByName: by.name, updatedAt: w.now, messageId });
          }
        }
        if (history.length) {
          const version = ev.answersVersion;
          statements.push(new SqlStatement(GUARD, [version, version + 1, w.now, ev.id]));
          // chunked under D1's 100 bound parameters per statement
          for (const rows of chunkRows(upserts, 7)) statements.push(new SqlStatement(upsertAnswers(rows.length), rows.flat()));
          for (const paths of chunkRows(deletes, 1, 1)) statements.push(new SqlStatement(deleteAnswers(paths.length), [ev.id, ...paths]));
          for (const rows of chunkRows(history, 9)) statements.push(new SqlStatement(insertHistory(rows.length), rows.flat()));
          // the next version from this one and its changes: its figures that the changes do not touch carry over
          after = Object.freeze({ version: version + 1, rows: current.with(next), values: withAnswers(w.answers.view.answers.values, changed) });
        }
      }

      const dialogText = w.dialog ? JSON.stringify(w.dialog.state ?? null) : undefined;
      if (w.dialog) statements.push(new SqlStatement(UPSERT_DIALOG, [w.chatId, w.userId, w.dialog.evaluationId, dialogText, w.now]));
      if (w.replies?.length) {
        const rows = outboxRows(w.replies, w.now).map((r) => [r.chatId, r.kind, r.payload, r.replyTo, r.uuid, r.nextAttemptAt, r.createdAt]);
        for (const chunk of chunkRows(rows, outboxColumns)) statements.push(new SqlStatement(insertOutbox(chunk.length), chunk.flat()));
      }
      if (w.inboxKey) statements.push(new SqlStatement(CLOSE_INBOX, [w.now, w.inboxKey]));

      try {
        await sql.groupCommit(statements);
      } catch (error) {
        if (ev && after) {
          const row = await sql.get<{ v: number }>('select answers_version as v from evaluations where id = ?', [ev.id]);
          if (row?.v !== ev.answersVersion) {
            cache.delete(ev.id);
            throw new StaleAnswersError(ev.id);
          }
        }
        throw error;
      }
      if (ev && after) remember(ev.id, after);
      if (w.dialog && dialogText !== undefined) keepDialog(w.chatId, w.userId, dialogText, w.dialog.state);
      if (membersWritten.size + written.length > KEPT_MEMBERS) membersWritten.clear();
      for (const key of written) membersWritten.set(key, w.now);
    },
  };
}
