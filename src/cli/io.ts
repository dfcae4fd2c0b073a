// Reading the files the CLI is given. A bad file is the user's mistake, not a crash:
// it ends with exit code 2 and a message naming the field and the fault.
import { readFileSync } from 'node:fs';
import { type EvaluationFile, evaluationFileSchema } from '../domain/answers';
import { formSections, validateAnswerTypes } from '../domain/questions';
import { nodeRegistry } from '../templates/folder';
import type { Template } from '../domain/template';
import { describeIssues } from '../domain/template';

export class UsageError extends Error {}

export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`读不到文件 ${path}：${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`${path} 不是有效的 JSON：${(e as Error).message}`);
  }
}

export function readEvaluation(path: string): { file: EvaluationFile; template: Template } {
  const r = evaluationFileSchema.safeParse(readJson(path));
  if (!r.success) throw new UsageError(`${path} 格式不对：\n${describeIssues(r.error).map((l) => `  ${l}`).join('\n')}`);
  const template = nodeRegistry().findTemplate(r.data.template, r.data.templateVersion);
  if (!template)
    throw new UsageError(
      `${path}: template: 找不到模板“${r.data.template}”第${r.data.templateVersion}版`,
    );
  const faults = validateAnswerTypes(formSections(template), r.data.answers);
  if (faults.length) throw new UsageError(`${path} 里有答案不对：\n${faults.map((l) => `  ${l}`).join('\n')}`);
  return { file: r.data, template };
}

export function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}
