// 整改 items and their history. changeRectItem is the one write path for a change,
// so each is recorded with who, when and from which message, in the same write.
import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { evaluations, rectAttachWaits, rectHistory, rectItems } from '../../db/schema';
import type { EvidenceFile, NewRectItem, RectChange, RectItem } from '../domain/rectification';
import type { StoreContext, User } from './types';

type ItemRow = typeof rectItems.$inferSelect;
export type RectHistoryRow = typeof rectHistory.$inferSelect;
export type RectMeta = { now: number; messageId?: string; via: string };
/** What waits in a chat for a person: an item waiting for their file, or their file waiting for an item. */
export type AttachWait = { itemId: number; until: number } | { file: EvidenceFile; until: number };

const fileColumns = (f: EvidenceFile | undefined) =>
  f ? { fileKey: f.key, fileName: f.name, fileSize: f.size ?? null, fileType: f.type, fileMessageId: f.messageId } : {};

/** The columns an item is made of: the row itself, or a query's row that also carries other things (the reminder pass's). */
export type ItemColumns = Pick<ItemRow, 'id' | 'evaluationId' | 'seq' | 'category' | 'categoryLabel' | 'description' | 'measure' | 'unit' | 'ownerId' | 'ownerName' | 'dueDate' | 'status' | 'statusNote' | 'sourceKey'>;

export const toItem = (r: ItemColumns): RectItem => ({
  id: r.id,
  evaluationId: r.evaluationId,
  seq: r.seq,
  category: r.category,
  categoryLabel: r.categoryLabel,
  description: r.description,
  measure: r.measure,
  unit: r.unit,
  ...(r.ownerId ? { owner: { userId: r.ownerId, name: r.ownerName ?? r.ownerId } } : {}),
  ...(r.dueDate ? { dueDate: r.dueDate } : {}),
  status: r.status,
  statusNote: r.statusNote,
  sourceKey: r.sourceKey,
});

/** What a change writes to the item's columns. */
function columnsFor(after: RectItem): Partial<typeof rectItems.$inferInsert> {
  return {
    description: after.description,
    category: after.category,
    measure: after.measure,
    unit: after.unit,
    ownerId: after.owner?.userId ?? null,
    ownerName: after.owner?.name ?? null,
    dueDate: after.dueDate ?? null,
    status: after.status,
    statusNote: after.statusNote,
  };
}

/** The value a field had, as the history keeps it. */
function valueOf(item: RectItem, field: RectChange['field']): string | null {
  switch (field) {
    case 'owner':
      return item.owner ? `${item.owner.name}|${item.owner.userId}` : null;
    case 'evidence':
      return null;
    case 'dueDate':
      return item.dueDate ?? null;
    default:
      return String(item[field] ?? '') || null;
  }
}

export function rectificationStore({ db, atomic }: StoreContext) {
  async function getRectItem(id: number): Promise<RectItem | undefined> {
    const row = await db.select().from(rectItems).where(eq(rectItems.id, id)).get();
    return row ? toItem(row) : undefined;
  }

  return {
    getRectItem,

    async listRectItems(evaluationId: number): Promise<RectItem[]> {
      return (await db.select().from(rectItems).where(eq(rectItems.evaluationId, evaluationId)).orderBy(asc(rectItems.seq)).all()).map(toItem);
    },

    /** Items of these evaluations (all when `evaluationIds` is undefined: keep a given list short, D1 binds at most 100 parameters), open ones only when asked. */
    async listRectItemsOf(evaluationIds: number[] | undefined, opts: { openOnly?: boolean } = {}): Promise<RectItem[]> {
      if (evaluationIds && !evaluationIds.length) return [];
      const open = opts.openOnly ? inArray(rectItems.status, ['todo', 'doing']) : undefined;
      const where = evaluationIds ? and(inArray(rectItems.evaluationId, evaluationIds), open) : open;
      return (await db.select().from(rectItems).where(where).orderBy(asc(rectItems.evaluationId), asc(rectItems.seq)).all()).map(toItem);
    },

    /** New items at the end of the evaluation's list, each with a 'created' history row. */
    async addRectItems(evaluationId: number, items: NewRectItem[], by: User, meta: RectMeta): Promise<RectItem[]> {
      if (!items.length) return [];
      const last = await db
        .select({ seq: sql<number>`coalesce(max(${rectItems.seq}), 0)` })
        .from(rectItems)
        .where(eq(rectItems.evaluationId, evaluationId))
        .get();
      const first = (last?.seq ?? 0) + 1;
      const rows = await db
        .insert(rectItems)
        .values(items.map((it, i) => ({ ...it, evaluationId, seq: first + i, createdBy: by.userId, createdAt: meta.now, updatedAt: meta.now })))
        .returning();
      await db
        .insert(rectHistory)
        .values(rows.map((r) => ({ itemId: r.id, field: 'created', newValue: r.description, byUser: by.userId, byName: by.name, at: meta.now, messageId: meta.messageId ?? null, via: meta.via })))
        .run();
      return rows.map(toItem);
    },

    /**
     * Applies one checked change: the item and its history row in one write. Returns
     * the item before and after, or undefined when the item is gone. A change to the
     * value it already has writes nothing (evidence is always new).
     */
    async changeRectItem(id: number, change: RectChange, after: RectItem, by: User, meta: RectMeta): Promise<{ before: RectItem; after: RectItem; changed: boolean } | undefined> {
      const before = await getRectItem(id);
      if (!before) return undefined;
      const oldValue = valueOf(before, change.field);
      const newValue = change.field === 'evidence' ? change.value : valueOf(after, change.field);
      const same = change.field !== 'evidence' && oldValue === newValue && (change.field !== 'status' || before.statusNote === after.statusNote);
      if (same) return { before, after: before, changed: false };
      await atomic([
        db.update(rectItems).set({ ...columnsFor(after), updatedAt: meta.now }).where(eq(rectItems.id, id)),
        db.insert(rectHistory).values({
          itemId: id,
          field: change.field,
          oldValue,
          newValue,
          note: change.note ?? null,
          byUser: by.userId,
          byName: by.name,
          at: meta.now,
          messageId: meta.messageId ?? null,
          via: meta.via,
          ...fileColumns(change.file),
        }),
      ]);
      return { before, after, changed: true };
    },

    /** Evaluations of this chat that have items, newest first (an archived one's items are still followed up). */
    async rectEvaluationsInChat(chatId: string): Promise<number[]> {
      const rows = await db
        .selectDistinct({ id: evaluations.id })
        .from(evaluations)
        .innerJoin(rectItems, eq(rectItems.evaluationId, evaluations.id))
        .where(eq(evaluations.chatId, chatId))
        .orderBy(desc(evaluations.id))
        .all();
      return rows.map((r) => r.id);
    },

    /** A wording the problem list changed, on an item nobody has touched (history kept). */
    async rewordRectItem(id: number, description: string, by: User, meta: RectMeta): Promise<void> {
      const before = await getRectItem(id);
      if (!before || before.description === description) return;
      await atomic([
        db.update(rectItems).set({ description, updatedAt: meta.now }).where(eq(rectItems.id, id)),
        db.insert(rectHistory).values({ itemId: id, field: 'reworded', oldValue: before.description, newValue: description, byUser: by.userId, byName: by.name, at: meta.now, via: meta.via }),
      ]);
    },

    /** Items of the evaluation that people have changed (anything beyond being created or reworded). */
    async touchedRectItems(evaluationId: number): Promise<Set<number>> {
      const rows = await db
        .selectDistinct({ id: rectHistory.itemId })
        .from(rectHistory)
        .innerJoin(rectItems, eq(rectItems.id, rectHistory.itemId))
        .where(and(eq(rectItems.evaluationId, evaluationId), inArray(rectHistory.field, ['measure', 'unit', 'owner', 'dueDate', 'status', 'evidence', 'description', 'category'])))
        .all();
      return new Set(rows.map((r) => r.id));
    },

    async rectHistoryOf(itemId: number): Promise<RectHistoryRow[]> {
      return await db.select().from(rectHistory).where(eq(rectHistory.itemId, itemId)).orderBy(asc(rectHistory.id)).all();
    },

    /** The newest evidence note (text, not a file) of each item, for the 完成情况 column. */
    async lastEvidence(itemIds: number[]): Promise<Map<number, string>> {
      const out = new Map<number, string>();
      if (!itemIds.length) return out;
      const rows = await db
        .select({ itemId: rectHistory.itemId, value: rectHistory.newValue })
        .from(rectHistory)
        .where(and(inArray(rectHistory.itemId, itemIds), eq(rectHistory.field, 'evidence'), isNull(rectHistory.fileKey)))
        .orderBy(desc(rectHistory.id))
        .all();
      for (const r of rows) if (!out.has(r.itemId) && r.value) out.set(r.itemId, r.value);
      return out;
    },

    /** The names of the files attached to each item as evidence, oldest first. */
    async evidenceFiles(itemIds: number[]): Promise<Map<number, string[]>> {
      const out = new Map<number, string[]>();
      if (!itemIds.length) return out;
      const rows = await db
        .select({ itemId: rectHistory.itemId, name: rectHistory.fileName })
        .from(rectHistory)
        .where(and(inArray(rectHistory.itemId, itemIds), eq(rectHistory.field, 'evidence'), sql`${rectHistory.fileKey} is not null`))
        .orderBy(asc(rectHistory.id))
        .all();
      for (const r of rows) out.set(r.itemId, [...(out.get(r.itemId) ?? []), r.name ?? '文件']);
      return out;
    },

    /** Leaves something waiting for this person in this chat (replacing what waited before). */
    async setAttachWait(chatId: string, userId: string, wait: AttachWait): Promise<void> {
      const row = {
        chatId,
        userId,
        until: wait.until,
        itemId: 'itemId' in wait ? wait.itemId : null,
        ...('file' in wait ? fileColumns(wait.file) : { fileKey: null, fileName: null, fileSize: null, fileType: null, fileMessageId: null }),
      };
      await db.insert(rectAttachWaits).values(row).onConflictDoUpdate({ target: [rectAttachWaits.chatId, rectAttachWaits.userId], set: row }).run();
    },

    /** What waited for this person in this chat and has not lapsed by `now`; taken (removed) by this call. */
    async takeAttachWait(chatId: string, userId: string, now: number): Promise<AttachWait | undefined> {
      const [row] = await db
        .delete(rectAttachWaits)
        .where(and(eq(rectAttachWaits.chatId, chatId), eq(rectAttachWaits.userId, userId)))
        .returning();
      if (!row || row.until < now) return undefined;
      if (row.itemId !== null) return { itemId: row.itemId, until: row.until };
      if (!row.fileKey || !row.fileMessageId) return undefined;
      const file: EvidenceFile = { key: row.fileKey, name: row.fileName ?? '文件', type: row.fileType ?? 'file', messageId: row.fileMessageId, ...(row.fileSize !== null ? { size: row.fileSize } : {}) };
      return { file, until: row.until };
    },

    /** True for the one call that records `userId` as told about owning the item: the owner is told once. */
    async markOwnerTold(itemId: number, userId: string): Promise<boolean> {
      const updated = await db
        .update(rectItems)
        .set({ ownerToldId: userId })
        .where(and(eq(rectItems.id, itemId), or(isNull(rectItems.ownerToldId), ne(rectItems.ownerToldId, userId))))
        .returning({ id: rectItems.id });
      return updated.length > 0;
    },
  };
}
