// `cli render <answers.json> --out <dir>`: the three .docx attachments, written to
// the directory; prints their paths, one per line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assess } from '../domain/evaluate';
import { buildDocuments } from '../documents';
import { UsageError, argValue, readEvaluation } from './io';

export async function renderCommand(args: string[]): Promise<string> {
  const out = argValue(args, '--out');
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--out');
  if (!file) throw new UsageError('缺少答案文件。用法：render <答案.json> --out <目录>');
  if (!out || out.startsWith('--')) throw new UsageError('缺少输出目录。用法：render <答案.json> --out <目录>');
  const { file: evaluation, template } = readEvaluation(file);
  const assessment = assess(template, evaluation.answers, evaluation.problems);
  const docs = await buildDocuments({ template, answers: evaluation.answers, assessment, year: evaluation.year });
  mkdirSync(out, { recursive: true });
  return docs
    .map((d) => {
      const path = join(out, d.fileName);
      writeFileSync(path, d.bytes);
      return path;
    })
    .join('\n');
}
