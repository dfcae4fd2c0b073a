// The real seed template and example, read from disk, and small ways to vary them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Answers, type AnswerValue, type EvaluationFile, evaluationFileSchema } from '../../src/domain/answers';
import { assess } from '../../src/domain/evaluate';
import { parseTemplate } from '../../src/domain/registry';
import type { Template } from '../../src/domain/template';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const templatePath = `${repoRoot}templates/wuhua-2024/template.json`;
export const examplePath = `${repoRoot}templates/wuhua-2024/example.json`;

/** The template file as raw JSON (a fresh copy each call, safe to mutate). */
export function rawTemplate(): any {
  return JSON.parse(readFileSync(templatePath, 'utf8'));
}

export function parsed(json: unknown): Template {
  const r = parseTemplate(json);
  if (!r.ok) throw new Error(r.issues.join('\n'));
  return r.template;
}

export const seedTemplate = (): Template => parsed(rawTemplate());

/** A template built from the real one with one change made to its JSON. */
export function templateWith(change: (t: any) => void): Template {
  const t = rawTemplate();
  change(t);
  return parsed(t);
}

export function exampleFile(): EvaluationFile {
  return evaluationFileSchema.parse(JSON.parse(readFileSync(examplePath, 'utf8')));
}

export const seedAnswers = (): Answers => exampleFile().answers;

/** The seed answers with some paths changed; `undefined` removes the path. */
export function answersWith(changes: Record<string, AnswerValue | undefined>): Answers {
  const a = seedAnswers();
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete a[k];
    else a[k] = v;
  }
  return a;
}

export const run = (answers: Answers, template: Template = seedTemplate()) => assess(template, answers);

export const codes = (r: ReturnType<typeof assess>) => r.warnings.map((w) => w.code);

/** An indicator by id: a level-3 id (`arrivalRate`) or `<level-2 id>[<i>]` for the department's own. */
export const indicator = (r: ReturnType<typeof assess>, id: string) => {
  const found = r.scores.indicators.find((i) => i.id === id);
  if (!found) throw new Error(`no indicator ${id}`);
  return found;
};

export const level = (r: ReturnType<typeof assess>, name: string) => {
  const found = r.scores.levels.find((l) => l.name === name);
  if (!found) throw new Error(`no level ${name}`);
  return found;
};
