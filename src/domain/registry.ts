// The templates this build ships. Imported as JSON (not read from disk) so the same
// registry works on Node and inside a Cloudflare Worker. Adding a district's or a
// year's form: add templates/<id>/template.json and one line here.
import wuhua2024 from '../../templates/wuhua-2024/template.json';
import wuhua2024Example from '../../templates/wuhua-2024/example.json';
import { type EvaluationFile, evaluationFileSchema } from './answers';
import { type Template, describeIssues, templateSchema } from './template';

export type TemplateParse = { ok: true; template: Template } | { ok: false; issues: string[] };

export function parseTemplate(json: unknown): TemplateParse {
  const r = templateSchema.safeParse(json);
  return r.success ? { ok: true, template: r.data } : { ok: false, issues: describeIssues(r.error) };
}

function load(json: unknown): Template {
  const r = parseTemplate(json);
  if (!r.ok) throw new Error(`内置模板有误：\n${r.issues.join('\n')}`);
  return r.template;
}

export const templates: readonly Template[] = [load(wuhua2024)];
export const defaultTemplateId = 'wuhua-2024';

/** The template by id; a given version must match (an evaluation records the version it was filled against). */
export function findTemplate(id: string, version?: number): Template | undefined {
  return templates.find((t) => t.id === id && (version === undefined || t.version === version));
}

export function defaultTemplate(): Template {
  return findTemplate(defaultTemplateId)!;
}

/** The worked example of each template: the seed case, filled in. */
export const examples: Record<string, EvaluationFile> = {
  'wuhua-2024': evaluationFileSchema.parse(wuhua2024Example),
};
