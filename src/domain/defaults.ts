// A question's default: the template's own text for an answer most units leave as it
// is (the seed's 二（四）1–3), printed while nobody has answered and offered in the
// chat, where 默认 takes it. Its placeholders are filled from the answers when used.
import { type Answers, str } from './answers';
import { fillPlaceholders } from './outline';
import type { Question, Template } from './template';

/** The default text of a question, filled in; undefined when it has none. */
export function filledDefault(q: Pick<Question, 'default'>, answers: Answers): string | undefined {
  if (q.default === undefined) return undefined;
  return fillPlaceholders(q.default, (path) => str(answers[path]));
}

/** The question at a path of a section that does not repeat ("evaluationWork.team"). */
export function singleQuestion(t: Template, path: string): Question | undefined {
  const dot = path.indexOf('.');
  const section = t.sections.find((s) => s.id === path.slice(0, dot) && !s.repeat);
  return section?.questions.find((q) => q.id === path.slice(dot + 1));
}

/** The answer at a path, or while it is unanswered the question's default. */
export function answerOrDefault(t: Template, answers: Answers, path: string): string | undefined {
  const given = str(answers[path]);
  if (given !== undefined) return given;
  const q = singleQuestion(t, path);
  return q ? filledDefault(q, answers) : undefined;
}

/** Replies that take a question's default. */
export const takesDefault = (text: string): boolean => /^(用|采用|使用)?默认(文字|内容|的)?$/.test(text.replace(/[\s。.！!]/g, ''));

/**
 * What a typed value stands for: "默认" is the question's default text wherever it is
 * typed (a reply, a card field, a `标签：值` line), so no path stores the word itself;
 * for a text question without a default it is refused rather than saved.
 */
export function resolveDefault(q: Pick<Question, 'default' | 'kind' | 'label'>, raw: string, answers: Answers): { text: string } | { error: string } {
  if (!takesDefault(raw)) return { text: raw };
  const byDefault = filledDefault(q, answers);
  if (byDefault !== undefined) return { text: byDefault };
  if (q.kind === 'text' || q.kind === 'longText') return { error: `「${q.label}」没有默认文字，请直接写答案` };
  return { text: raw };
}
