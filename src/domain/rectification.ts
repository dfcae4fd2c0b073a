// 整改: every problem on the list (附件3) followed up until it is closed. An item
// has a measure, a responsible unit and person, a deadline and a status; 已完成 and
// 无需整改 close it and need a 说明. Pure: the store keeps items and their history,
// the conversation turns commands into the changes checked here.
import type { DateString } from './calendar';
import type { Problem } from './problems';

export const rectStatuses = ['todo', 'doing', 'done', 'waived'] as const;
export type RectStatus = (typeof rectStatuses)[number];

export const statusLabels: Record<RectStatus, string> = { todo: '未开始', doing: '整改中', done: '已完成', waived: '无需整改' };

export interface Person {
  userId: string;
  name: string;
}

export interface RectItem {
  id: number;
  evaluationId: number;
  seq: number; // 序号 within its evaluation, from 1
  category: string; // problemCategories[].id
  categoryLabel: string;
  description: string;
  measure: string;
  unit: string; // 责任单位
  owner?: Person; // 责任人, a chat member
  dueDate?: DateString; // 完成时限
  status: RectStatus;
  statusNote: string; // 说明 (required for done/waived)
  /** where it came from: an indicator id for a derived problem, 'manual:<text>' for one added by hand, '' for an item added directly */
  sourceKey: string;
}

/** One change to one field, as kept in the history. */
export type RectField = 'measure' | 'unit' | 'owner' | 'dueDate' | 'status' | 'evidence' | 'description' | 'category';

export interface RectChange {
  field: RectField;
  value: string; // owner: the name (the id goes beside it); status: the RectStatus; evidence: the note (for a file: evidenceFileText)
  ownerId?: string;
  note?: string; // the 说明 that goes with a status
  file?: EvidenceFile; // evidence posted as a file or image
}

/**
 * A file or image posted in the chat as an item's evidence. Lark keeps the bytes in
 * the message; we keep where they are (message and key), the name, the size, who and when.
 */
export interface EvidenceFile {
  key: string;
  name: string;
  size?: number; // bytes (at least this many when over the download limit); unknown when not downloaded
  type: 'file' | 'image';
  messageId: string;
}

/** 1.2 MB, 85 KB, 300 字节 */
export function fileSizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}

/** How a file shows in the history, the card and the 整改情况表: 「整改报告.pdf」（1.2 MB） */
export function evidenceFileText(f: Pick<EvidenceFile, 'name' | 'size'>): string {
  return `「${f.name}」${f.size !== undefined ? `（${fileSizeText(f.size)}）` : ''}`;
}

export const MAX_TEXT = 1000; // a card input holds at most 1,000 characters

export const isClosed = (item: Pick<RectItem, 'status'>): boolean => item.status === 'done' || item.status === 'waived';

/** Open and past its deadline (the deadline day itself is still in time). */
export const isOverdueItem = (item: Pick<RectItem, 'status' | 'dueDate'>, today: DateString): boolean =>
  !isClosed(item) && !!item.dueDate && item.dueDate < today;

/** The key that ties an item to the problem it came from, so a second 生成报告 does not add it again. */
export function problemKey(p: Pick<Problem, 'source' | 'indicatorId' | 'description'>): string {
  return p.source === 'scores' && p.indicatorId ? `indicator:${p.indicatorId}` : `manual:${p.description}`;
}

export interface NewRectItem {
  category: string;
  categoryLabel: string;
  description: string;
  unit: string;
  sourceKey: string;
}

export interface ProblemSync {
  add: NewRectItem[];
  /** untouched items whose problem changed wording (a score changed): new description */
  reword: { id: number; description: string }[];
}

/**
 * What the problem list of a (re)generated report means for the items: problems with
 * no item yet become items. An item already worked on keeps its wording; one nobody
 * touched follows the problem's new wording. Items are never deleted here: a problem
 * that disappeared is for people to close as 无需整改, with a reason.
 */
export function syncWithProblems(items: readonly RectItem[], problems: readonly Problem[], touched: ReadonlySet<number>): ProblemSync {
  const byKey = new Map(items.map((i) => [i.sourceKey, i]));
  const added = new Set<string>();
  const add: NewRectItem[] = [];
  const reword: ProblemSync['reword'] = [];
  for (const p of problems) {
    const key = problemKey(p);
    const found = byKey.get(key);
    if (found) {
      if (found.description !== p.description && !touched.has(found.id)) reword.push({ id: found.id, description: p.description });
    } else if (!added.has(key)) {
      added.add(key);
      add.push({ category: p.category, categoryLabel: p.categoryLabel, description: p.description, unit: p.unit, sourceKey: key });
    }
  }
  return { add, reword };
}

export type Checked = { ok: true; change: RectChange } | { ok: false; message: string };

/** A change as typed or submitted, checked: a clear Chinese message when it cannot be applied. */
export function checkChange(item: RectItem, change: RectChange): Checked {
  const value = change.value.trim();
  const note = change.note?.trim() ?? '';
  switch (change.field) {
    case 'measure':
    case 'unit':
    case 'evidence':
    case 'description': {
      const label = { measure: '整改措施', unit: '责任单位', evidence: '整改进展', description: '问题描述' }[change.field];
      if (!value) return { ok: false, message: `${label}不能是空的。` };
      if (value.length > MAX_TEXT) return { ok: false, message: `${label}太长了（最多${MAX_TEXT}字，现在${value.length}字）。` };
      return { ok: true, change: { ...change, value } };
    }
    case 'owner':
      if (!value || !change.ownerId) return { ok: false, message: '请 @ 责任人，例如：整改 1 责任人 @张三' };
      return { ok: true, change: { ...change, value } };
    case 'dueDate':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return { ok: false, message: '完成时限要写到哪一天，例如 2025-09-30。' };
      return { ok: true, change: { ...change, value } };
    case 'category':
      return value ? { ok: true, change: { ...change, value } } : { ok: false, message: '问题分类不能是空的。' };
    case 'status': {
      const status = value as RectStatus;
      if (!rectStatuses.includes(status)) return { ok: false, message: `状态只能是：${Object.values(statusLabels).join('、')}。` };
      if ((status === 'done' || status === 'waived') && !note)
        return {
          ok: false,
          message: `标记为“${statusLabels[status]}”要写上说明（${status === 'done' ? '做了什么、结果如何' : '为什么不需要整改'}），例如：整改 ${item.seq} ${statusLabels[status]} ${status === 'done' ? '已按整改措施落实，相关材料已归档' : '该项目已结束，问题不再存在'}`,
        };
      if (note.length > MAX_TEXT) return { ok: false, message: `说明太长了（最多${MAX_TEXT}字）。` };
      return { ok: true, change: { ...change, value: status, note } };
    }
  }
}

/** The item after a checked change (evidence leaves the item as is, apart from starting it). */
export function applyChange(item: RectItem, change: RectChange): RectItem {
  switch (change.field) {
    case 'measure':
      return { ...item, measure: change.value };
    case 'unit':
      return { ...item, unit: change.value };
    case 'owner':
      return { ...item, owner: { userId: change.ownerId!, name: change.value } };
    case 'dueDate':
      return { ...item, dueDate: change.value };
    case 'description':
      return { ...item, description: change.value };
    case 'category':
      return { ...item, category: change.value };
    case 'status':
      return { ...item, status: change.value as RectStatus, statusNote: change.note ?? '' };
    case 'evidence':
      // reporting progress on an item not started means it has started
      return item.status === 'todo' ? { ...item, status: 'doing' } : item;
  }
}

/** A deadline for examples in replies: the end of this year, or mid next year in December (never a day already past). */
export function exampleDueDate(today: DateString): DateString {
  const year = Number(today.slice(0, 4));
  return today < `${year}-12-01` ? `${year}-12-31` : `${year + 1}-06-30`;
}

/** What is still missing before the item can be worked on: measure, owner, deadline. */
export function missingSetup(item: RectItem): string[] {
  const out: string[] = [];
  if (!item.measure) out.push('整改措施');
  if (!item.owner) out.push('责任人');
  if (!item.dueDate) out.push('完成时限');
  return out;
}

/**
 * 完成情况 as printed in the 整改情况 table and carried into next year's evaluation:
 * the state with its 说明 (or the latest progress note while open), then the files
 * attached as evidence, by name.
 */
export function outcomeText(item: Pick<RectItem, 'status' | 'statusNote'>, lastEvidence?: string, files: readonly string[] = []): string {
  const label = statusLabels[item.status];
  const detail = isClosed(item) ? item.statusNote : lastEvidence;
  if (!files.length) return detail ? `${label}：${detail}` : label;
  const listed = `证明材料：${files.map((f) => `「${f}」`).join('、')}`;
  return detail ? `${label}：${detail.replace(/[。；;\s]+$/, '')}；${listed}` : `${label}，${listed}`;
}

export interface RectCounts {
  total: number;
  open: number;
  overdue: number;
  closed: number;
}

export function countItems(items: readonly Pick<RectItem, 'status' | 'dueDate'>[], today: DateString): RectCounts {
  let open = 0;
  let overdue = 0;
  for (const i of items) {
    if (isClosed(i)) continue;
    open++;
    if (isOverdueItem(i, today)) overdue++;
  }
  return { total: items.length, open, overdue, closed: items.length - open };
}

export interface UnitCount {
  unit: string;
  open: number;
  overdue: number;
}

/** Open and overdue items per responsible unit, most open first (the leaders' chart). */
export function countByUnit(items: readonly Pick<RectItem, 'status' | 'dueDate' | 'unit'>[], today: DateString): UnitCount[] {
  const by = new Map<string, UnitCount>();
  for (const i of items) {
    if (isClosed(i)) continue;
    const unit = i.unit || '未填单位';
    const c = by.get(unit) ?? { unit, open: 0, overdue: 0 };
    c.open++;
    if (isOverdueItem(i, today)) c.overdue++;
    by.set(unit, c);
  }
  return [...by.values()].sort((a, b) => b.open - a.open || b.overdue - a.overdue || (a.unit < b.unit ? -1 : 1));
}

/** 上年问题整改情况: last year's items and their outcome, as the answer next year's evaluation starts with. */
export function lastYearText(year: number, items: readonly RectItem[], lastEvidence: ReadonlyMap<number, string>, files: ReadonlyMap<number, string[]> = new Map()): string {
  const closed = items.filter(isClosed).length;
  const head = `${year}年度绩效评价发现问题${items.length}项，已整改完成或说明无需整改${closed}项${items.length > closed ? `，尚未完成${items.length - closed}项` : ''}：`;
  const lines = items.map((i) => {
    const parts = [`${i.seq}. ${i.categoryLabel}：${i.description}`];
    if (i.measure) parts.push(`整改措施：${i.measure}`);
    parts.push(`完成情况：${outcomeText(i, lastEvidence.get(i.id), files.get(i.id))}`);
    return parts.map((p) => p.replace(/[。；;\s]+$/, '')).join('；');
  });
  return [head, ...lines].join('\n');
}
