// Answers are a flat map from a path to a value: `project.name`, `lineItems[0].budget`,
// `ind.outputQuality[1].actual`. Flat paths are what the database keeps one row and
// one history line for, and what a person changes one at a time in the chat.
import { z } from 'zod';

export type AnswerValue = string | number | boolean;
export type Answers = Record<string, AnswerValue>;

export const answerValueSchema = z.union([z.string(), z.number(), z.boolean()]);

export const manualProblemSchema = z.object({
  category: z.string().min(1),
  unit: z.string().optional(),
  description: z.string().min(1),
});
export type ManualProblem = z.infer<typeof manualProblemSchema>;

/** An evaluation as a file: what `cli score` and `cli render` read, and what example.json holds. */
export const evaluationFileSchema = z.object({
  template: z.string().min(1),
  templateVersion: z.number().int().min(1),
  year: z.number().int().min(2000).max(2100),
  note: z.string().optional(),
  answers: z.record(z.string(), answerValueSchema),
  problems: z.array(manualProblemSchema).default([]),
});
export type EvaluationFile = z.infer<typeof evaluationFileSchema>;

/**
 * A copy of `answers` with `changes` made (null removes a path), frozen so that it can be shared
 * and its derived figures kept by identity. Copied key by key: V8 holds a record of this many
 * keys as a dictionary, and spreading one costs about three times as much (30 µs for 150 keys).
 */
export function withAnswers(answers: Answers, changes: Iterable<Change>): Answers {
  const list = [...changes];
  // the engine decides on a copy with a message's changes, then the store keeps the same changes as
  // the next version: asked twice, the copy is made once
  const last = lastMade.get(answers);
  if (last && sameChanges(last.changes, list)) return last.made;
  const next = copyAnswers(answers);
  for (const [path, value] of list) {
    if (value === null || value === undefined) delete next[path];
    else next[path] = value;
  }
  derived.delete(answers);
  derived.set(next, { from: answers, changed: list.map(([path]) => path) });
  Object.freeze(next);
  lastMade.set(answers, { changes: list, made: next });
  return next;
}

type Change = readonly [string, AnswerValue | null | undefined];
const lastMade = new WeakMap<Answers, { changes: Change[]; made: Answers }>();
const sameChanges = (a: Change[], b: Change[]) => a.length === b.length && a.every(([path, value], i) => path === b[i][0] && (value ?? null) === (b[i][1] ?? null));

/** A mutable copy, key by key (see withAnswers). */
export function copyAnswers(answers: Answers): Answers {
  const next: Answers = {};
  for (const path in answers) next[path] = answers[path];
  return next;
}

/**
 * Which answers a withAnswers result was made from, and the paths it changed: figures of the first
 * that do not read those paths still hold. One step deep (made again from the result, the older
 * link goes; taken, it goes too), so a chain of versions never keeps the old ones alive.
 */
const derived = new WeakMap<Answers, { from: Answers; changed: readonly string[] }>();
export function takeDerivation(answers: Answers): { from: Answers; changed: readonly string[] } | undefined {
  const link = derived.get(answers);
  derived.delete(answers);
  return link;
}

export const itemPath = (group: string, index: number, field: string): string => `${group}[${index}].${field}`;

/** Counts already made, by group, of answers that cannot change (frozen): the engine asks for the same ones many times a message. */
const countsOf = new WeakMap<Answers, Map<string, number>>();

/** How many items a repeated group has: one more than the highest index answered. */
export function itemCount(answers: Answers, group: string): number {
  if (!Object.isFrozen(answers)) return countItems(answers, group);
  let counts = countsOf.get(answers);
  if (!counts) countsOf.set(answers, (counts = new Map()));
  let n = counts.get(group);
  if (n === undefined) counts.set(group, (n = countItems(answers, group)));
  return n;
}

function countItems(answers: Answers, group: string): number {
  const prefix = `${group}[`;
  let count = 0;
  for (const key in answers) {
    if (!key.startsWith(prefix)) continue;
    const close = key.indexOf(']', prefix.length);
    const index = Number(key.slice(prefix.length, close));
    if (Number.isInteger(index) && index + 1 > count) count = index + 1;
  }
  return count;
}

/** The items of a repeated group as objects keyed by field; items with no answer at all are skipped. One pass over the answers. */
export function items(answers: Answers, group: string): Record<string, AnswerValue>[] {
  const prefix = `${group}[`;
  const byIndex = new Map<number, Record<string, AnswerValue>>();
  for (const [key, value] of Object.entries(answers)) {
    if (!key.startsWith(prefix)) continue;
    const close = key.indexOf('].', prefix.length);
    if (close < 0) continue;
    const index = Number(key.slice(prefix.length, close));
    if (!Number.isInteger(index) || index < 0) continue;
    let item = byIndex.get(index);
    if (!item) byIndex.set(index, (item = {}));
    item[key.slice(close + 2)] = value;
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

export function str(v: AnswerValue | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  return String(v);
}

export function num(v: AnswerValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
