// 汇总 kept between requests, per process (or Worker isolate). Every 汇总 still reads
// what the summary shows of every evaluation — one narrow scan, ~15 ms for 10,000 on
// SQLite — so whatever changed it, this process, another one or the CLI on the same
// file, is seen. What is kept is what was derived from that: per evaluation, the text
// the scan returned and the brief of its facts (the figures, how many parts are missing;
// not which ones, nor who answered: a tenth of the full facts); per facts and day, the
// summary row; per scope, the .xlsx slices and the last answer. A row whose scanned text
// is the same as last time reuses all of it; a changed one gets its brief again (kept,
// if its answers did not change; else the stored facts, read narrowly; else derived
// from the answers and stored: ./load); when nothing changed at all, the card and the
// .xlsx of last time are the answer.
import { type Summary, type SummaryFacts, type SummaryFilter, type SummaryRow, buildSummary, summaryRow } from '../domain/summary';
import type { Template } from '../domain/template';
import type { RectCounts } from '../domain/rectification';
import type { Outgoing } from '../conversation/types';
import type { Evaluation, Store, SummaryScanRow } from '../store';
import type { AnswerFacts } from '../domain/evaluationFacts';
import { type AnswerBrief, CHUNK_SIZE, type LoaderStore, decodeBrief, deriveFacts, factsKey, templateOf } from './load';
import { slicer } from './pause';

interface Entry {
  /** the scan's text for this evaluation when its facts were made */
  scanned: string;
  /** the key of the answer-derived part (./load factsKey): unchanged, a rename or a new deadline needs no stored read */
  key: string;
  answer: AnswerBrief | undefined;
  /** undefined: left out of summaries (archived without a report) */
  facts: SummaryFacts | undefined;
}

/** A summary answered earlier: reused while its rows are the very same objects and the 整改 counts equal. */
export interface KeptAnswer {
  rows: readonly SummaryRow[];
  rect: ReadonlyMap<number, RectCounts> | undefined;
  messages: Outgoing[];
}

export interface SummaryKeeper {
  entries: Map<number, Entry>;
  rows: WeakMap<SummaryFacts, { today: string; row: SummaryRow }>;
  /** by scope and day */
  summaries: Map<string, { facts: readonly SummaryFacts[]; summary: Summary }>;
  answers: Map<string, KeptAnswer>;
  /** anything a scope keeps besides its answer (the .xlsx slices), by scope */
  scopes: Map<string, unknown>;
}

export const newSummaryKeeper = (): SummaryKeeper => ({
  entries: new Map(),
  rows: new WeakMap(),
  summaries: new Map(),
  answers: new Map(),
  scopes: new Map(),
});

/** Scopes (and days) whose answers are kept: a leader asks for a few at a time. */
const KEEP = 4;

const answerKey = (s: Pick<Summary, 'year' | 'unit' | 'today'>) => JSON.stringify([s.year ?? null, s.unit ?? null, s.today]);

export type KeeperStore = LoaderStore & Pick<Store, 'scanSummaryRows' | 'storedSummaryFactsOf'>;

type Scanned = Pick<Evaluation, 'id' | 'templateId' | 'templateVersion' | 'year' | 'projectName' | 'status' | 'answersVersion' | 'documentsVersion' | 'chatId' | 'passedSections' | 'warningsConfirmed'> & {
  deadline: string | undefined;
};

/** A row of the scan as the summary sees it; undefined when the summary leaves it out. */
function parse(r: SummaryScanRow): Scanned | undefined {
  const [templateId, templateVersion, year, projectName, status, deadline, answersVersion, documentsVersion, chatId, passed, warnings] = JSON.parse(r.row) as [
    string, string, number, string, Evaluation['status'], string | null, number, number | null, string, string | null, string | null,
  ];
  // archived after its report was generated: finished, shown as generated; archived without one: abandoned (as ./load asSummarized)
  if (status === 'archived' && documentsVersion === null) return undefined;
  return {
    id: r.id,
    templateId,
    templateVersion: String(templateVersion),
    year,
    projectName,
    status: status === 'archived' ? 'generated' : status,
    answersVersion,
    documentsVersion,
    chatId,
    passedSections: passed === null ? null : (JSON.parse(passed) as string[]),
    warningsConfirmed: warnings === null ? null : (JSON.parse(warnings) as Evaluation['warningsConfirmed']),
    deadline: deadline ?? undefined,
  };
}

/** A brief of full facts (just derived from the answers). */
const briefOf = (a: AnswerFacts): AnswerBrief => ({
  unit: a.unit,
  total: a.total,
  executionRate: a.executionRate,
  execution: a.execution,
  score: a.score,
  grade: a.grade,
  sectionsDone: a.sectionsDone,
  sectionsTotal: a.sectionsTotal,
  gaps: { length: a.gaps.length },
});

/**
 * A row and its brief as the summary reads them, every field always present and in one
 * order (briefs are made in one order: briefOf, ./load decodeBrief): one hidden class
 * for all 10,000, so the loops over them (buildSummary) stay monomorphic — with the
 * shapes of decoded JSON (score only when scored, …) they ran several times slower.
 */
function shaped(row: Scanned, a: AnswerBrief): SummaryFacts {
  const w = row.warningsConfirmed;
  return {
    id: row.id,
    projectName: row.projectName,
    year: row.year,
    status: row.status,
    deadline: row.deadline,
    warningsConfirmed: w ? { name: w.name, at: w.at, count: w.warnings.length } : undefined,
    ...a,
  };
}

/**
 * The answer-derived part of changed rows: kept from last time when its key did not
 * change, else stored (one query per CHUNK_SIZE), else derived from the answers and stored.
 */
async function briefs(store: KeeperStore, keeper: SummaryKeeper, rows: readonly (Scanned & { key: string })[], templates: readonly Template[], pause: () => Promise<void>): Promise<Map<number, AnswerBrief>> {
  const out = new Map<number, AnswerBrief>();
  for (const row of rows) {
    const e = keeper.entries.get(row.id);
    if (e?.answer && e.key === row.key) out.set(row.id, e.answer);
  }
  let missing = rows.filter((r) => !out.has(r.id) && templateOf(templates, r));
  for (let i = 0; i < missing.length; i += CHUNK_SIZE) {
    await pause();
    const chunk = missing.slice(i, i + CHUNK_SIZE);
    const keys = new Map(chunk.map((r) => [r.id, r.key]));
    for (const s of await store.storedSummaryFactsOf(chunk.map((r) => r.id))) {
      if (s.key !== keys.get(s.evaluationId)) continue;
      await pause();
      out.set(s.evaluationId, decodeBrief(s.facts, s.gaps));
    }
  }
  // not stored yet, stale, or of a template this build no longer ships (never stored: ./load shows it without progress)
  missing = rows.filter((r) => !out.has(r.id));
  if (missing.length) for (const [id, facts] of await deriveFacts(store, missing, templates, pause)) out.set(id, briefOf(facts));
  return out;
}

/** The facts of every evaluation of the year (or all), in id order, derived again only where the scan shows a change. */
export async function keptFacts(store: KeeperStore, keeper: SummaryKeeper, opts: { templates: readonly Template[]; year?: number }): Promise<SummaryFacts[]> {
  const pause = slicer(); // 10,000 evaluations must not hold the event loop (see pause.ts)
  const out: SummaryFacts[] = [];
  const seen = opts.year === undefined ? new Set<number>() : undefined;
  const size = store.scanPageSize;
  for (let after = 0; ; ) {
    await pause();
    const page = await store.scanSummaryRows(opts.year, after, size);
    await pause();
    const stale: { r: SummaryScanRow; row: (Scanned & { key: string }) | undefined }[] = [];
    for (let i = 0; i < page.length; i++) {
      if (i % 100 === 99) await pause(); // parsing a changed row takes microseconds; a page of them does not
      const r = page[i];
      seen?.add(r.id);
      if (keeper.entries.get(r.id)?.scanned === r.row) continue;
      const row = parse(r);
      stale.push({ r, row: row && { ...row, key: factsKey(row, templateOf(opts.templates, row)) } });
    }
    for (let i = 0; i < stale.length; i += CHUNK_SIZE) {
      await pause();
      const chunk = stale.slice(i, i + CHUNK_SIZE);
      const rows = chunk.flatMap((x) => (x.row ? [x.row] : []));
      const answers = await briefs(store, keeper, rows, opts.templates, pause);
      for (const { r, row } of chunk) {
        const answer = row && answers.get(r.id)!;
        keeper.entries.set(r.id, { scanned: r.row, key: row?.key ?? '', answer, facts: row && answer && shaped(row, answer) });
      }
    }
    for (const r of page) {
      const f = keeper.entries.get(r.id)!.facts;
      if (f) out.push(f);
    }
    if (page.length < size) break;
    after = page[page.length - 1].id;
  }
  // an evaluation no longer there (a full scan did not return it) is forgotten
  if (seen) for (const id of keeper.entries.keys()) if (!seen.has(id)) keeper.entries.delete(id);
  return out;
}

/** buildSummary, or the summary built last time for this scope and day when its facts are the very same objects. */
export function keptSummary(keeper: SummaryKeeper, facts: readonly SummaryFacts[], filter: SummaryFilter, today: string): Summary {
  const key = answerKey({ ...filter, today });
  const last = keeper.summaries.get(key);
  if (last && last.facts.length === facts.length && last.facts.every((f, i) => f === facts[i])) return last.summary;
  const summary = buildSummary(facts, filter, today, keptRow(keeper));
  keeper.summaries.delete(key);
  keeper.summaries.set(key, { facts, summary });
  if (keeper.summaries.size > KEEP) keeper.summaries.delete(keeper.summaries.keys().next().value!);
  return summary;
}

/** buildSummary's rowOf: the row made earlier from the same facts on the same day. */
export const keptRow =
  (keeper: SummaryKeeper) =>
  (f: SummaryFacts, today: string): SummaryRow => {
    const hit = keeper.rows.get(f);
    if (hit?.today === today) return hit.row;
    const row = summaryRow(f, today);
    keeper.rows.set(f, { today, row });
    return row;
  };

const sameRect = (a: ReadonlyMap<number, RectCounts> | undefined, b: ReadonlyMap<number, RectCounts> | undefined): boolean => {
  if (!a || !b) return a === b;
  if (a.size !== b.size) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (!y || x.total !== y.total || x.open !== y.open || x.overdue !== y.overdue || x.closed !== y.closed) return false;
  }
  return true;
};


/** The answer given for this very summary before, if every row and 整改 count is what it was. */
export function keptAnswer(keeper: SummaryKeeper, s: Summary, rect: ReadonlyMap<number, RectCounts> | undefined): Outgoing[] | undefined {
  const a = keeper.answers.get(answerKey(s));
  if (!a || a.rows.length !== s.rows.length || !sameRect(a.rect, rect)) return undefined;
  for (let i = 0; i < s.rows.length; i++) if (a.rows[i] !== s.rows[i]) return undefined;
  return a.messages;
}

export function keepAnswer(keeper: SummaryKeeper, s: Summary, rect: ReadonlyMap<number, RectCounts> | undefined, messages: Outgoing[]): void {
  const key = answerKey(s);
  keeper.answers.delete(key);
  keeper.answers.set(key, { rows: s.rows, rect, messages });
  if (keeper.answers.size > KEEP) keeper.answers.delete(keeper.answers.keys().next().value!);
}

/** What a scope keeps between its summaries (its .xlsx slices), made on first use. */
export function scopeKept<T>(keeper: SummaryKeeper, s: Pick<Summary, 'year' | 'unit'>, make: () => T): T {
  const key = JSON.stringify([s.year ?? null, s.unit ?? null]);
  let v = keeper.scopes.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    if (keeper.scopes.size >= KEEP) keeper.scopes.delete(keeper.scopes.keys().next().value!);
  }
  keeper.scopes.delete(key);
  keeper.scopes.set(key, v);
  return v;
}
