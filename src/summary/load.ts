// Store → EvaluationFacts, for the summary, the overdue list and the reminders, over
// thousands of evaluations without holding the event loop or issuing a query per
// evaluation: evaluations are read a page at a time, and what a chunk of them needs
// (stored facts, answers, assignments) in one query each.
//
// Facts derived from answers are found, in order, in memory (FactsCache, per process),
// in the evaluation_facts table (a restarted process or a new Worker isolate), or
// computed from the answers and then stored. Each is keyed by what it was derived from
// (answers version, status, template, passed sections): answers only change through
// applyAnswers, which bumps answersVersion, so a matching key is never stale.
import { type AnswerFacts, answerFacts, distinctPeople } from '../domain/evaluationFacts';
import type { EvaluationFacts } from '../domain/summary';
import type { Template } from '../domain/template';
import type { Evaluation, ScanFilter, ScannedEvaluation, Store, StoredFacts } from '../store';
import { slicer } from './pause';

export type FactsCache = Map<number, { key: string; facts: AnswerFacts }>;
export const newFactsCache = (): FactsCache => new Map();

/** Evaluations whose answers, assignments or stored facts are read in one query. */
export const CHUNK_SIZE = 100;

/** Bump when AnswerFacts or how it is derived changes: stored facts of an older format are recomputed. */
const FACTS_FORMAT = 2; // 2: execution (what each form's 执行率 divides)

/** How many more queries a pass may make (D1 counts them per invocation); absent = no limit. */
export interface QueryBudget {
  canSpend(queries: number): boolean;
}

/** Thrown before a query the budget cannot pay for: the pass stops there, and what it wrote stays written. */
export class OutOfBudget extends Error {
  constructor() {
    super('query budget spent');
    this.name = 'OutOfBudget';
  }
}

/** Call before making `queries` queries. */
export type Spend = (queries: number) => void;
export const spender = (budget: QueryBudget | undefined): Spend => (n) => {
  if (budget && !budget.canSpend(n)) throw new OutOfBudget();
};

export interface LoadOptions {
  templates: readonly Template[];
  year?: number;
  cache?: FactsCache;
  /** Load facts only for the rows this accepts (given the effective deadline). */
  want?: (row: Evaluation, deadline: string | undefined) => boolean;
  /** Only these evaluations: read by id, not found in a scan of all. */
  ids?: readonly number[];
  /** Read assignments only for the facts this accepts (the summary needs none). Default: all. */
  assignmentsFor?: (facts: EvaluationFacts) => boolean;
}

/** What deriving an evaluation's facts reads of its row. */
export type FactsRow = Pick<Evaluation, 'id' | 'templateId' | 'templateVersion' | 'status' | 'answersVersion' | 'passedSections'>;

export type LoaderStore = Pick<Store, 'scanEvaluations' | 'scanPageSize' | 'answersOf' | 'assignmentsOf' | 'storedFactsOf' | 'storeFacts'>;
export type Loaded = { row: Evaluation; facts: EvaluationFacts };

/** Every evaluation the filter accepts, a page per query, yielding the event loop in between. */
export async function* scanPages(store: Pick<Store, 'scanEvaluations' | 'scanPageSize'>, filter: ScanFilter, spend: Spend = () => {}): AsyncGenerator<ScannedEvaluation[]> {
  const size = store.scanPageSize;
  for (let after = 0; ; ) {
    spend(1);
    const page = await store.scanEvaluations(filter, after, size);
    if (!page.length) return;
    yield page;
    if (page.length < size) return;
    after = page[page.length - 1].id;
  }
}

/** The loader's answer to `templateOf`: the template a row was started with, if this build has it. */
export function templateOf(templates: readonly Template[], row: Pick<Evaluation, 'templateId' | 'templateVersion'>): Template | undefined {
  return templates.find((t) => t.id === row.templateId && t.version === Number(row.templateVersion));
}

const fingerprints = new WeakMap<Template, string>();
/** A short hash of the template's content: a template edited without a new version still invalidates stored facts. */
function fingerprint(template: Template): string {
  let f = fingerprints.get(template);
  if (!f) {
    const text = JSON.stringify(template);
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    fingerprints.set(template, (f = (h >>> 0).toString(36)));
  }
  return f;
}

export function factsKey(row: FactsRow, template: Template | undefined): string {
  const t = template ? `${template.id}@${template.version}:${fingerprint(template)}` : '-';
  return `${FACTS_FORMAT}|${row.answersVersion}|${row.status}|${t}|${(row.passedSections ?? []).join(',')}`;
}

export function encodeFacts(f: AnswerFacts): string {
  const execution = f.execution && { ...f.execution, part: String(f.execution.part), whole: String(f.execution.whole) };
  return JSON.stringify({ ...f, total: { budget: String(f.total.budget), arrived: String(f.total.arrived), spent: String(f.total.spent) }, execution });
}

export function decodeFacts(text: string): AnswerFacts {
  const f = JSON.parse(text) as Omit<AnswerFacts, 'execution'> & {
    total: Record<'budget' | 'arrived' | 'spent', string>;
    execution?: { part: string; whole: string; definition: string };
  };
  const execution = f.execution && { ...f.execution, part: BigInt(f.execution.part), whole: BigInt(f.execution.whole) };
  return { ...f, total: { budget: BigInt(f.total.budget), arrived: BigInt(f.total.arrived), spent: BigInt(f.total.spent) }, execution };
}

/** What the summary reads of stored facts (see storedSummaryFactsOf): amounts as decimal strings, no gaps or people. */
export type AnswerBrief = Omit<AnswerFacts, 'gaps' | 'answeredBy'> & { gaps: { readonly length: number } };

export function decodeBrief(text: string, gaps: number): AnswerBrief {
  const f = JSON.parse(text) as Omit<AnswerBrief, 'total' | 'execution' | 'gaps'> & {
    total: Record<'budget' | 'arrived' | 'spent', string>;
    execution?: { part: string; whole: string; definition: string };
  };
  return {
    unit: f.unit,
    total: { budget: BigInt(f.total.budget), arrived: BigInt(f.total.arrived), spent: BigInt(f.total.spent) },
    executionRate: f.executionRate,
    execution: f.execution && { part: BigInt(f.execution.part), whole: BigInt(f.execution.whole), definition: f.execution.definition },
    score: f.score,
    grade: f.grade,
    sectionsDone: f.sectionsDone,
    sectionsTotal: f.sectionsTotal,
    gaps: { length: gaps },
  };
}

/** Facts derived from these rows' answers and stored (three queries per CHUNK_SIZE rows), not kept in memory. */
export async function deriveFacts(store: LoaderStore, rows: readonly FactsRow[], templates: readonly Template[], pause: () => Promise<void>, spend: Spend = () => {}): Promise<Map<number, AnswerFacts>> {
  const out = new Map<number, AnswerFacts>();
  const keys = new Map(rows.map((r) => [r.id, factsKey(r, templateOf(templates, r))]));
  for (let i = 0; i < rows.length; i += CHUNK_SIZE) await computeFacts(store, rows.slice(i, i + CHUNK_SIZE), templates, newFactsCache(), pause, spend, keys, out);
  return out;
}

/**
 * The answer-derived facts of a chunk of rows: from memory, else stored (one query),
 * else computed from their answers and stored (two queries per CHUNK_SIZE of those).
 */
export async function chunkFacts(
  store: LoaderStore,
  rows: readonly FactsRow[],
  templates: readonly Template[],
  cache: FactsCache,
  pause: () => Promise<void>,
  spend: Spend = () => {},
): Promise<Map<number, AnswerFacts>> {
  const out = new Map<number, AnswerFacts>();
  const keys = new Map<number, string>();
  for (const row of rows) {
    const key = factsKey(row, templateOf(templates, row));
    keys.set(row.id, key);
    const hit = cache.get(row.id);
    if (hit?.key === key) out.set(row.id, hit.facts);
  }
  let missing = rows.filter((r) => !out.has(r.id));
  if (!missing.length) return out;
  spend(1);
  for (const s of await store.storedFactsOf(missing.map((r) => r.id))) {
    if (s.key !== keys.get(s.evaluationId)) continue;
    await pause();
    const facts = decodeFacts(s.facts);
    out.set(s.evaluationId, facts);
    cache.set(s.evaluationId, { key: s.key, facts });
  }
  missing = missing.filter((r) => !out.has(r.id));
  for (let i = 0; i < missing.length; i += CHUNK_SIZE) await computeFacts(store, missing.slice(i, i + CHUNK_SIZE), templates, cache, pause, spend, keys, out);
  return out;
}

async function computeFacts(
  store: LoaderStore,
  missing: readonly FactsRow[],
  templates: readonly Template[],
  cache: FactsCache,
  pause: () => Promise<void>,
  spend: Spend,
  keys: ReadonlyMap<number, string>,
  out: Map<number, AnswerFacts>,
): Promise<void> {
  spend(3); // the answers, and storing what is derived (one statement, two when the facts are long)
  const answers = new Map<number, { path: string; value: string; updatedBy: string; updatedByName: string; updatedAt: number }[]>();
  for (const a of await store.answersOf(missing.map((r) => r.id))) {
    let list = answers.get(a.evaluationId);
    if (!list) answers.set(a.evaluationId, (list = []));
    list.push(a);
  }
  const toStore: StoredFacts[] = [];
  for (const row of missing) {
    await pause(); // deriving takes about a millisecond per evaluation
    const rowsOf = answers.get(row.id) ?? [];
    const values = Object.fromEntries(rowsOf.map((r) => [r.path, JSON.parse(r.value) as unknown]));
    // oldest answer first, so the people are listed in the order they joined in
    const answeredBy = distinctPeople([...rowsOf].sort((a, b) => a.updatedAt - b.updatedAt).map((r) => ({ userId: r.updatedBy, name: r.updatedByName })));
    const template = templateOf(templates, row);
    const facts = template
      ? answerFacts(template, values as never, { scored: row.status === 'generated', answeredBy, passed: row.passedSections ?? [] })
      : unknownTemplateFacts(values, answeredBy);
    const key = keys.get(row.id)!;
    out.set(row.id, facts);
    cache.set(row.id, { key, facts });
    if (template) toStore.push({ evaluationId: row.id, key, facts: encodeFacts(facts) });
  }
  await store.storeFacts(toStore);
}

/** A row and its answer-derived facts as the summary and the reminders see them. */
export function evaluationFacts(row: Pick<Evaluation, 'id' | 'projectName' | 'year' | 'templateId' | 'chatId' | 'status' | 'warningsConfirmed'>, facts: AnswerFacts, deadline: string | undefined): EvaluationFacts {
  return {
    ...facts,
    id: row.id,
    projectName: row.projectName,
    year: row.year,
    templateId: row.templateId,
    chatId: row.chatId,
    status: row.status,
    deadline,
    assignments: [],
    warningsConfirmed: row.warningsConfirmed
      ? { name: row.warningsConfirmed.name, at: row.warningsConfirmed.at, count: row.warningsConfirmed.warnings.length }
      : undefined,
  };
}

/** Fills in the assignments of these facts: one query. */
export async function withAssignments(store: Pick<Store, 'assignmentsOf'>, facts: readonly EvaluationFacts[], spend: Spend = () => {}): Promise<void> {
  if (!facts.length) return;
  spend(1);
  const by = new Map(facts.map((f) => [f.id, f]));
  for (const a of await store.assignmentsOf(facts.map((f) => f.id))) by.get(a.evaluationId)?.assignments.push({ sectionId: a.sectionId, userId: a.userId, name: a.userName });
}

/**
 * An evaluation archived after its report was generated is finished, not gone: it stays
 * in the summaries as generated. One archived without a report was abandoned and is left out.
 */
export function asSummarized(row: ScannedEvaluation): ScannedEvaluation | undefined {
  if (row.status !== 'archived') return row;
  return row.documentsVersion === null ? undefined : { ...row, status: 'generated' };
}

export async function loadFacts(store: LoaderStore, opts: LoadOptions): Promise<EvaluationFacts[]> {
  return (await loadFactsWithRows(store, opts)).map((x) => x.facts);
}

/** The facts with the rows behind them (reminders also need each row's settings). */
export async function loadFactsWithRows(store: LoaderStore, opts: LoadOptions): Promise<Loaded[]> {
  const cache = opts.cache ?? newFactsCache();
  const pause = slicer(); // 10,000 evaluations must not hold the event loop (see pause.ts)
  const out: Loaded[] = [];
  for await (const page of scanPages(store, { ...(opts.year === undefined ? {} : { year: opts.year }), ...(opts.ids ? { ids: opts.ids } : {}) })) {
    // a page read on SQLite resolves at once: without this, ten pages of a few ms each run in one turn
    await pause();
    const rows: ScannedEvaluation[] = [];
    for (const raw of page) {
      const row = asSummarized(raw);
      if (row && (!opts.want || opts.want(row, row.effectiveDeadline))) rows.push(row);
    }
    for (let i = 0; i < rows.length; i += CHUNK_SIZE) {
      await pause();
      const chunk = rows.slice(i, i + CHUNK_SIZE);
      const facts = await chunkFacts(store, chunk, opts.templates, cache, pause);
      const loaded = chunk.map((row) => ({ row, facts: evaluationFacts(row, facts.get(row.id)!, row.effectiveDeadline) }));
      await withAssignments(store, loaded.map((l) => l.facts).filter((f) => !opts.assignmentsFor || opts.assignmentsFor(f)));
      out.push(...loaded);
    }
  }
  return out;
}

/** A template this build no longer ships: show the row, without progress, and never remind. */
function unknownTemplateFacts(answers: Record<string, unknown>, answeredBy: AnswerFacts['answeredBy']): AnswerFacts {
  const unit = answers['project.unit'];
  return {
    unit: typeof unit === 'string' ? unit : '',
    total: { budget: 0n, arrived: 0n, spent: 0n },
    sectionsDone: 0,
    sectionsTotal: 0,
    gaps: [],
    answeredBy,
  };
}

/** Each evaluation's deadline: its own, else the administrator's default for its year (and template). For a few rows. */
export async function effectiveDeadlines(store: Pick<Store, 'getDefaultDeadline'>, rows: readonly Evaluation[]): Promise<Map<number, string | undefined>> {
  const out = new Map<number, string | undefined>();
  for (const row of rows) out.set(row.id, row.deadline ?? (await store.getDefaultDeadline(row.year, row.templateId)));
  return out;
}
