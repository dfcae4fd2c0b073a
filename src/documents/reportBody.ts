// The body of the report (附件2), laid out by the template's outline: each part's
// heading, then its blocks in order — the people's answers (or the question's
// default), the template's own wording, or what the product computes.
import type { Paragraph, Table } from 'docx';
import { type Answers, str } from '../domain/answers';
import { answerOrDefault } from '../domain/defaults';
import type { Assessment } from '../domain/evaluate';
import { type ComputedContent, type OutlineBlock, type ReportOutline, fillPlaceholders } from '../domain/outline';
import type { Template } from '../domain/template';
import {
  analysisParagraphs,
  conclusionParagraph,
  defaultProblemParagraphs,
  defaultSuggestionParagraphs,
  fundsParagraphs,
  indicatorAnalysis,
} from './reportText';
import { bodyParagraph, heading } from './styles';
import { chineseNumber, paragraphsOf } from './text';

type Block = Paragraph | Table;

const body = (texts: string[]): Paragraph[] => texts.map((t) => bodyParagraph(t));

/** The heading number that follows the numbered lines of an answer ("3.项目组织实施：" → 4). */
export function nextNumber(lines: string[]): number | undefined {
  let max = 0;
  for (const l of lines) {
    const m = /^(\d{1,2})[.、．]/.exec(l);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max ? max + 1 : undefined;
}

function computed(t: Template, content: ComputedContent, answers: Answers, a: Assessment): Block[] {
  switch (content) {
    case 'funds':
      return body(fundsParagraphs(a.funds, answers));
    case 'conclusion':
      return [bodyParagraph(conclusionParagraph(a))];
    case 'analysis':
      return body(analysisParagraphs(t, a));
    case 'indicators':
      return indicatorAnalysis(t, a).flatMap((level, i) => [heading(`（${chineseNumber(i + 1)}）${level.title}`, 2), ...body(level.paragraphs)]);
    case 'problems':
      return body(defaultProblemParagraphs(a));
    case 'suggestions':
      return body(defaultSuggestionParagraphs(a));
  }
}

function block(t: Template, b: OutlineBlock, answers: Answers, a: Assessment): Block[] {
  const paragraphs = (path: string) => paragraphsOf(answerOrDefault(t, answers, path));
  switch (b.type) {
    case 'heading': {
      const n = b.numberAfter ? nextNumber(paragraphs(b.numberAfter)) : undefined;
      return [heading(`${n ? `${n}.` : ''}${b.text}`, b.level)];
    }
    case 'answer': {
      const given = paragraphs(b.answer);
      return body(given.length ? given : (b.otherwise ?? []));
    }
    case 'text':
      return body(b.paragraphs.flatMap((p) => paragraphsOf(fillPlaceholders(p, (path) => str(answers[path])))));
    case 'computed': {
      const given = b.answer ? paragraphsOf(str(answers[b.answer])) : [];
      return given.length ? body(given) : computed(t, b.content, answers, a);
    }
  }
}

/** Parts 一 to 八 of the seed, or whatever parts the template's outline has. */
export function reportBody(t: Template, outline: ReportOutline, answers: Answers, a: Assessment): Block[] {
  return outline.parts.flatMap((p) => [heading(p.title, 1), ...p.blocks.flatMap((b) => block(t, b, answers, a))]);
}
