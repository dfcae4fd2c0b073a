// `cli import <file> [--template <id>] [--json]`: what a Word or Excel file would fill,
// without applying it. --json prints the answers in example.json's paths and values.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findTemplate, defaultTemplateId } from '../domain/registry';
import { formSections, questionAt } from '../domain/questions';
import { formatAnswer } from '../domain/parse';
import { importFile } from '../import';
import { UsageError } from './io';

export async function importCommand(args: string[]): Promise<string> {
  const t = args.indexOf('--template');
  const templateId = t >= 0 ? args[t + 1] : defaultTemplateId;
  const file = args.find((a, i) => !a.startsWith('--') && !(t >= 0 && i === t + 1));
  if (!file) throw new UsageError('缺少文件。用法：npm run --silent cli -- import <文件.docx|.xlsx> [--template <编号>] [--json]');
  const template = templateId ? findTemplate(templateId) : undefined;
  if (!template) throw new UsageError(`没有编号为“${templateId}”的模板。`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch {
    throw new UsageError(`读不到文件 ${file}`);
  }
  const r = await importFile(bytes, basename(file), template);
  if (!r.ok) throw new UsageError(r.message);
  if (args.includes('--json')) return JSON.stringify({ answers: r.answers, unmatched: r.unmatched }, null, 2);
  const sections = formSections(template);
  const lines = Object.entries(r.answers).map(([path, v]) => {
    const at = questionAt(sections, path)!;
    const shown = formatAnswer(at.question.kind, v).replace(/\n/g, ' ');
    return `${path}\t${at.question.label}\t${shown.length > 50 ? `${shown.slice(0, 50)}…` : shown}`;
  });
  const bad = r.unmatched.map((u) => `读不出：${u.path}（${u.label}）“${u.text}”：${u.message}`);
  return [`${basename(file)}：认出${lines.length}项答案。`, ...lines, ...bad].join('\n');
}
