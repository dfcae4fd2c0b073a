// The one database schema. It runs on better-sqlite3 (Node) and on Cloudflare D1,
// so it sticks to plain SQLite: integer epoch-millisecond times, JSON in text columns.
// After editing: `npm run db:generate -- --name <what changed>` and commit db/migrations.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export interface WarningsConfirmation {
  userId: string;
  name: string;
  at: number;
  answersVersion: number;
  warnings: string[];
}

export const evaluationStatuses = ['filling', 'generated', 'archived'] as const;
export type EvaluationStatus = (typeof evaluationStatuses)[number];

export const evaluations = sqliteTable(
  'evaluations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    templateId: text('template_id').notNull(),
    templateVersion: text('template_version').notNull(),
    year: integer('year').notNull(),
    projectName: text('project_name').notNull(),
    chatId: text('chat_id').notNull(),
    tenantKey: text('tenant_key'),
    status: text('status', { enum: evaluationStatuses }).notNull().default('filling'),
    deadline: text('deadline'), // 'YYYY-MM-DD'
    remindersPaused: integer('reminders_paused', { mode: 'boolean' }).notNull().default(sql`0`), // 0/1 in SQL, boolean in TS
    reminderDays: text('reminder_days', { mode: 'json' }).$type<number[]>(), // e.g. [7,3,1,0]
    reminderTime: text('reminder_time'), // 'HH:MM' Beijing time
    // Bumped on every answer change; documentsVersion says which answers the documents show.
    answersVersion: integer('answers_version').notNull().default(0),
    documentsVersion: integer('documents_version'),
    // Optional sections someone said have nothing to add (e.g. 预算构成): done, not merely empty.
    passedSections: text('passed_sections', { mode: 'json' }).$type<string[]>(),
    // The reviewer's warnings someone accepted with 确认 before the final documents: who, when, which.
    warningsConfirmed: text('warnings_confirmed', { mode: 'json' }).$type<WarningsConfirmation>(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('evaluations_chat_id_idx').on(t.chatId)],
);

export const answers = sqliteTable(
  'answers',
  {
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    path: text('path').notNull(), // 'project.name', 'lineItems[0].budget'
    value: text('value').notNull(), // JSON-encoded string | number | boolean
    updatedBy: text('updated_by').notNull(),
    updatedByName: text('updated_by_name').notNull(),
    updatedAt: integer('updated_at').notNull(),
    messageId: text('message_id'),
  },
  (t) => [primaryKey({ columns: [t.evaluationId, t.path] })],
);

export const answerHistory = sqliteTable(
  'answer_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    oldValue: text('old_value'), // JSON; null = was not set
    newValue: text('new_value'), // JSON; null = deleted
    byUser: text('by_user').notNull(),
    byName: text('by_name').notNull(),
    at: integer('at').notNull(),
    messageId: text('message_id'),
    via: text('via').notNull(), // 'text' | 'card' | 'file' | 'cli' | …
  },
  (t) => [index('answer_history_eval_path_idx').on(t.evaluationId, t.path)],
);

export const assignments = sqliteTable(
  'assignments',
  {
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    sectionId: text('section_id').notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: integer('assigned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.evaluationId, t.sectionId] })],
);

export const dialogStates = sqliteTable(
  'dialog_states',
  {
    chatId: text('chat_id').notNull(),
    userId: text('user_id').notNull(),
    // No foreign key: a dialog may outlive (or precede) the evaluation it talks about.
    evaluationId: integer('evaluation_id'),
    state: text('state').notNull(), // JSON, encoded by the store (so null survives as 'null')
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.userId] })],
);

export const problems = sqliteTable(
  'problems',
  {
  id: integer('id').primaryKey({ autoIncrement: true }),
  evaluationId: integer('evaluation_id')
    .notNull()
    .references(() => evaluations.id, { onDelete: 'cascade' }),
  category: text('category').notNull(),
  unit: text('unit'),
  description: text('description').notNull(),
  addedBy: text('added_by').notNull(),
  addedAt: integer('added_at').notNull(),
  },
  // every message reads its evaluation's problems: without it, the whole table
  (t) => [index('problems_evaluation_idx').on(t.evaluationId)],
);

export const handledEvents = sqliteTable('handled_events', {
  key: text('key').primaryKey(), // 'event:<event_id>' | 'message:<message_id>'
  at: integer('at').notNull(),
});

/**
 * Messages accepted from Lark (answered 200) but not yet fully handled. A row is
 * written before Lark gets its answer and closed in the same write that queues the
 * replies, so a crash in between is recovered at the next start, not lost.
 */
export const inbox = sqliteTable(
  'inbox',
  {
    key: text('key').primaryKey(), // 'message:<message_id>'
    payload: text('payload').notNull(), // JSON: what the bot will handle
    receivedAt: integer('received_at').notNull(),
    doneAt: integer('done_at'),
  },
  (t) => [index('inbox_pending_idx').on(t.doneAt, t.receivedAt)],
);

export const outboxKinds = ['text', 'card', 'file'] as const;
export const outboxStatuses = ['pending', 'sent', 'failed'] as const;

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    chatId: text('chat_id').notNull(),
    kind: text('kind', { enum: outboxKinds }).notNull(),
    payload: text('payload').notNull(), // JSON, encoded by the store
    replyTo: text('reply_to'),
    uuid: text('uuid').notNull().unique(), // Lark's idempotency key: a resend never doubles a message
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    // 0: a reply to a person; 1: background (reminders, scheduled lists). Replies go first.
    priority: integer('priority').notNull().default(0),
    lastError: text('last_error'),
    sentMessageId: text('sent_message_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  // sent_at: the sender paces itself by what was sent in the last minute, by any process;
  // chat_id: a chat's pending rows (order, merging replies) without scanning every pending row
  (t) => [
    index('outbox_status_next_idx').on(t.status, t.nextAttemptAt),
    index('outbox_sent_at_idx').on(t.sentAt),
    index('outbox_chat_idx').on(t.chatId, t.status, t.id),
    // the sender's next batch in its order (replies first, then oldest): read from the front, not sorted from all pending
    index('outbox_due_idx').on(t.status, t.priority, t.id),
  ],
);

export const documentKinds = ['form', 'report', 'problems'] as const;

export const documents = sqliteTable(
  'documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: documentKinds }).notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    answersVersion: integer('answers_version').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [index('documents_evaluation_idx').on(t.evaluationId)],
);

export const roleNames = ['leader', 'admin'] as const;
export type RoleName = (typeof roleNames)[number];

export const roles = sqliteTable('roles', {
  userId: text('user_id').primaryKey(),
  role: text('role', { enum: roleNames }).notNull(),
  userName: text('user_name').notNull(),
  grantedBy: text('granted_by').notNull(),
  grantedAt: integer('granted_at').notNull(),
});

export const roleHistory = sqliteTable('role_history', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: text('user_id').notNull(),
  role: text('role', { enum: roleNames }), // null = removed
  byUser: text('by_user').notNull(),
  at: integer('at').notNull(),
});

export const remindersSent = sqliteTable('reminders_sent', {
  key: text('key').primaryKey(), // '<evaluationId>:<kind>:<date>'
  evaluationId: integer('evaluation_id')
    .notNull()
    .references(() => evaluations.id, { onDelete: 'cascade' }),
  sentAt: integer('sent_at').notNull(),
});

export const defaultDeadlines = sqliteTable(
  'default_deadlines',
  {
    year: integer('year').notNull(),
    templateId: text('template_id').notNull().default(''), // '' = any template
    deadline: text('deadline').notNull(),
    setBy: text('set_by').notNull(),
    setAt: integer('set_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.templateId] })],
);

export const members = sqliteTable(
  'members',
  {
    chatId: text('chat_id').notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.userId] })],
);

export const rectStatuses = ['todo', 'doing', 'done', 'waived'] as const; // 未开始/整改中/已完成/无需整改

/** 整改: a problem from the list followed up until closed (see src/domain/rectification.ts). */
export const rectItems = sqliteTable(
  'rect_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(), // 序号 within the evaluation
    category: text('category').notNull(),
    categoryLabel: text('category_label').notNull(),
    description: text('description').notNull(),
    measure: text('measure').notNull().default(''),
    unit: text('unit').notNull().default(''),
    ownerId: text('owner_id'),
    ownerName: text('owner_name'),
    ownerToldId: text('owner_told_id'), // the owner who was told; told once
    dueDate: text('due_date'), // 'YYYY-MM-DD'
    status: text('status', { enum: rectStatuses }).notNull().default('todo'),
    statusNote: text('status_note').notNull().default(''),
    sourceKey: text('source_key').notNull(), // which problem it came from ('' when added directly)
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('rect_items_evaluation_seq_idx').on(t.evaluationId, t.seq), index('rect_items_status_idx').on(t.status)],
);

/** Every change to an item, with who and when (like answer_history); evidence notes live here too. */
export const rectHistory = sqliteTable(
  'rect_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => rectItems.id, { onDelete: 'cascade' }),
    field: text('field').notNull(), // 'created' | 'measure' | 'owner' | 'dueDate' | 'status' | 'evidence' | …
    oldValue: text('old_value'),
    newValue: text('new_value'),
    note: text('note'),
    byUser: text('by_user').notNull(),
    byName: text('by_name').notNull(),
    at: integer('at').notNull(),
    messageId: text('message_id'),
    via: text('via').notNull(),
    // evidence posted as a file or image: where it lives in Lark (the bytes are not kept, see README 问题整改)
    fileKey: text('file_key'),
    fileName: text('file_name'),
    fileSize: integer('file_size'), // bytes; at least this many when the file was over the download limit
    fileType: text('file_type', { enum: ['file', 'image'] }),
    fileMessageId: text('file_message_id'),
  },
  (t) => [index('rect_history_item_idx').on(t.itemId)],
);

/**
 * A file and its 整改 item meeting in the chat: `整改 3 附件` waits for the sender's next
 * file, or a file that came first waits for the sender's `整改 <序号> 附件`. One row per
 * person and chat; it lapses at `until`.
 */
export const rectAttachWaits = sqliteTable(
  'rect_attach_waits',
  {
    chatId: text('chat_id').notNull(),
    userId: text('user_id').notNull(),
    itemId: integer('item_id').references(() => rectItems.id, { onDelete: 'cascade' }), // set: waiting for a file
    fileKey: text('file_key'), // set: a file waiting for an item
    fileName: text('file_name'),
    fileSize: integer('file_size'),
    fileType: text('file_type', { enum: ['file', 'image'] }),
    fileMessageId: text('file_message_id'),
    until: integer('until').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.userId] })],
);

/**
 * Who may do a job that must not run twice at once, until when: e.g. sending the
 * outbox on Workers, where every isolate is a separate process sharing one D1.
 * An expired lease may be taken over, so a holder the platform cut off blocks nobody for long.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(), // 'outbox' | 'scheduler' | 'recovery'
  holder: text('holder').notNull(),
  until: integer('until').notNull(),
});

/**
 * What the leaders' summary and the reminders derive from an evaluation's answers
 * (amounts, progress, gaps, score), kept so that a restarted process or a fresh
 * Worker isolate reads 10,000 of them instead of recomputing them from every answer.
 * `key` says what they were derived from (answers version, status, template, format):
 * a row whose key no longer matches is recomputed and replaced.
 */
export const evaluationFacts = sqliteTable('evaluation_facts', {
  evaluationId: integer('evaluation_id')
    .primaryKey()
    .references(() => evaluations.id, { onDelete: 'cascade' }),
  key: text('key').notNull(),
  facts: text('facts').notNull(), // JSON of AnswerFacts, amounts as decimal strings
});
