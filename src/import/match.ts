// Matching a read document to a template's questions: tables first (the form), then
// paragraphs (the report), then the report's own computed sentences. Every value found
// goes through the same parser as a typed answer; what does not parse is reported,
// never guessed.
import type { Answers } from '../domain/answers';
import { formSections, questionAt } from '../domain/questions';
import type { Template } from '../domain/template';
import { parseFor } from '../conversation/answering';
import type { Block } from './blocks';
import { Found, formLabels } from './found';
import { readIndicatorTables } from './indicators';
import { readParagraphs } from './narrative';
import { readAnalysis, readBreakdown } from './ownReport';
import { readTables } from './tables';

/** A value the file has for a question that could not be read as an answer. */
export interface Unread {
  path: string;
  label: string;
  text: string;
  message: string;
}

export interface Matched {
  answers: Answers;
  unmatched: Unread[];
}

export function matchBlocks(template: Template, blocks: Block[], year: number): Matched {
  const sections = formSections(template);
  const labels = formLabels(template, sections);
  const found = new Found();
  readTables(labels, blocks, found);
  const custom = readIndicatorTables(template, blocks, found);
  readParagraphs(labels, blocks, found);
  readBreakdown(blocks, found);
  readAnalysis(template, blocks, custom, found);
  const answers: Answers = {};
  const unmatched: Unread[] = [];
  for (const [path, text] of found.texts) {
    const at = questionAt(sections, path);
    if (!at) continue;
    const r = parseFor(at.question, text, year);
    if (r.ok) answers[path] = r.value;
    else unmatched.push({ path, label: at.question.label, text: text.length > 60 ? `${text.slice(0, 60)}…` : text, message: r.message });
  }
  return { answers, unmatched };
}
