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

export const itemPath = (group: string, index: number, field: string): string => `${group}[${index}].${field}`;

/** How many items a repeated group has: one more than the highest index answered. */
export function itemCount(answers: Answers, group: string): number {
  const prefix = `${group}[`;
  let count = 0;
  for (const key of Object.keys(answers)) {
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
