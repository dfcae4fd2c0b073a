// The templates this build knows. Templates are data: every templates/<id>/ folder
// holds a template.json (and usually an example.json). Node reads the folder
// (src/templates/folder.ts); the Workers build bundles the same folder through the
// generated templates/index.ts. Both feed `registryOf`, so the rules are one.
import { bundledTemplates } from '../../templates/index';
import { type EvaluationFile, evaluationFileSchema } from './answers';
import { type Template, describeIssues, templateSchema } from './template';

export type TemplateParse = { ok: true; template: Template } | { ok: false; issues: string[] };

/** One folder's contents, not yet validated. */
export interface TemplateEntry {
  folder: string;
  template: unknown;
  example?: unknown;
}

export interface Registry {
  templates: readonly Template[];
  examples: Record<string, EvaluationFile>;
  findTemplate(id: string, version?: number): Template | undefined;
  defaultTemplate(): Template;
}

export function parseTemplate(json: unknown): TemplateParse {
  const r = templateSchema.safeParse(json);
  return r.success ? { ok: true, template: r.data } : { ok: false, issues: describeIssues(r.error) };
}

export const defaultTemplateId = 'wuhua-2024';

/** Templates from folder entries; a faulty one is refused with its folder named, never half-loaded. */
export function registryOf(entries: readonly TemplateEntry[], defaultId: string = defaultTemplateId): Registry {
  const templates: Template[] = [];
  const examples: Record<string, EvaluationFile> = {};
  for (const e of entries) {
    const r = parseTemplate(e.template);
    if (!r.ok) throw new Error(`模板 templates/${e.folder}/template.json 有误：\n${r.issues.join('\n')}`);
    if (r.template.id !== e.folder)
      throw new Error(`模板 templates/${e.folder}/template.json 的 id 是“${r.template.id}”，应与文件夹名相同`);
    templates.push(r.template);
    if (e.example !== undefined) {
      const x = evaluationFileSchema.safeParse(e.example);
      if (!x.success)
        throw new Error(`templates/${e.folder}/example.json 有误：\n${describeIssues(x.error).join('\n')}`);
      examples[r.template.id] = x.data;
    }
  }
  const findTemplate = (id: string, version?: number) =>
    templates.find((t) => t.id === id && (version === undefined || t.version === version));
  return {
    templates,
    examples,
    findTemplate,
    defaultTemplate: () => findTemplate(defaultId) ?? templates[0],
  };
}

const shipped = registryOf(bundledTemplates);

export const templates: readonly Template[] = shipped.templates;

/** The template by id; a given version must match (an evaluation records the version it was filled against). */
export const findTemplate = shipped.findTemplate;

export const defaultTemplate = shipped.defaultTemplate;

/** The worked example of each template, filled in. */
export const examples: Record<string, EvaluationFile> = shipped.examples;
