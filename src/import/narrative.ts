// Paragraphs: "部门名称（公章）：…" lines, and the narrative parts under their
// headings (一、… （一）… 1.… （1）…). A part runs until a heading of the same or a
// higher level, or a heading that names another question; deeper headings that name
// nothing (1.项目职责分工：) are part of its text, as they were in the document.
import { pathOf } from '../domain/questions';
import type { Block } from './blocks';
import type { FormLabels, Found, Labelled } from './found';
import { headingOf, norm, titleNames } from './labels';
import { isComputedFunds } from './ownReport';

const appendix = /^附件\d+[:：]?$/u;

function labelLines(labels: FormLabels, blocks: Block[], found: Found): void {
  for (const { section, question, vs } of labels.singles) {
    if (question.kind === 'longText') continue;
    const path = pathOf(section, question);
    for (const b of blocks) {
      if (found.has(path)) break;
      if (b.type !== 'paragraph') continue;
      const t = norm(b.text);
      const v = vs.find((x) => t.startsWith(x) && /^[:：]/u.test(t.slice(x.length)));
      if (v) found.add(path, b.text.trim().replace(/^.*?[:：]/u, ''));
    }
  }
}

function namedBy(labels: FormLabels, title: string): Labelled | undefined {
  return labels.singles.find((l) => l.question.kind === 'longText' && titleNames(title, l.vs));
}

function parts(labels: FormLabels, blocks: Block[], found: Found): void {
  let current: { q: Labelled; level: number; lines: string[] } | undefined;
  const close = () => {
    if (!current) return;
    const path = pathOf(current.q.section, current.q.question);
    // under 资金投入和使用情况 the report prints computed sentences before the explanation
    const lines = current.lines.filter((l) => !isComputedFunds(l));
    found.add(path, lines.join('\n'));
    current = undefined;
  };
  for (const b of blocks) {
    if (b.type === 'table') {
      close();
      continue;
    }
    const text = b.text.trim();
    if (appendix.test(norm(text))) {
      close();
      continue;
    }
    const h = headingOf(text);
    const named = h ? namedBy(labels, h.title) : undefined;
    if (h && current && (h.level <= current.level || (named && named !== current.q))) close();
    if (h && named && !current) {
      current = { q: named, level: h.level, lines: [] };
      continue;
    }
    if (current && text) current.lines.push(text);
  }
  close();
}

export function readParagraphs(labels: FormLabels, blocks: Block[], found: Found): void {
  labelLines(labels, blocks, found);
  parts(labels, blocks, found);
}
