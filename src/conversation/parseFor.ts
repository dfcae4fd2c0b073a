// One question's parser with the question's own limits (options, max, example).
import { parseAnswer } from '../domain/parse';
import type { FormQuestion } from '../domain/questions';

export function parseFor(q: FormQuestion, text: string, year: number) {
  return parseAnswer(q.kind, text, {
    year,
    options: q.options,
    max: q.kind === 'score' ? undefined : q.max,
    weight: q.kind === 'score' ? q.max : undefined,
    example: q.example,
    label: q.label,
  });
}
