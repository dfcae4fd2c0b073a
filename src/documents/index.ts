// The three attachments of a 项目支出绩效自评 as .docx bytes. Pure: no file system,
// no network; the only Node API is node:zlib (packing, through ../summary/zip), which
// workerd has under nodejs_compat, so the same code runs in a Cloudflare Worker.
import type { Answers } from '../domain/answers';
import { str } from '../domain/answers';
import type { Assessment } from '../domain/evaluate';
import type { Template } from '../domain/template';
import { formDocument } from './form';
import { type DocxSpec, packDocx } from './pack';
import { problemListDocument } from './problemList';
import { reportDocument } from './report';
import { safeFileStem } from './text';

export interface DocumentInput {
  template: Template;
  answers: Answers;
  assessment: Assessment;
  year: number;
  /** an unfinished evaluation: every document opens with this notice and the file names say 草稿 */
  draft?: string;
}

export type DocumentKind = 'form' | 'report' | 'problems';

export interface GeneratedDocument {
  kind: DocumentKind;
  fileName: string;
  bytes: Uint8Array;
}

export function documentFileNames(year: number, projectName: string): Record<DocumentKind, string> {
  const base = `${year}年度${safeFileStem(projectName)}`;
  return {
    form: `${base}-附件1-评价表.docx`,
    report: `${base}-附件2-绩效评价报告.docx`,
    problems: `${base}-附件3-问题清单.docx`,
  };
}

/** 附件1 评价表, 附件2 绩效评价报告, 附件3 问题清单, in that order: those the template produces. */
export async function buildDocuments(input: DocumentInput): Promise<GeneratedDocument[]> {
  const { template, answers, assessment, year, draft } = input;
  const names = documentFileNames(year, str(answers['project.name']) ?? '');
  const make: Record<DocumentKind, () => DocxSpec> = {
    form: () => formDocument(template, answers, assessment, year, draft),
    report: () => reportDocument(template, answers, assessment, year, draft),
    problems: () => problemListDocument(template, answers, assessment, draft),
  };
  // the documents the template produces, in attachment order
  const kinds = (['form', 'report', 'problems'] as const).filter((k) => template.documents.includes(k));
  const docs: [DocumentKind, DocxSpec][] = kinds.map((k) => [k, make[k]()]);
  const named = (kind: DocumentKind) => (draft ? names[kind].replace(/\.docx$/, '（草稿）.docx') : names[kind]);
  return Promise.all(docs.map(async ([kind, doc]) => ({ kind, fileName: named(kind), bytes: await packDocx(doc) })));
}
