// What the readers found in a file before it is parsed: the text printed for each
// answer path. The first place a path is found wins (the form before the report).
import type { FormQuestion, FormSection } from '../domain/questions';
import type { Template } from '../domain/template';
import { variants } from './labels';

export class Found {
  readonly texts = new Map<string, string>();
  add(path: string, text: string): void {
    const t = text.trim();
    if (t && !this.texts.has(path)) this.texts.set(path, t);
  }
  has(path: string): boolean {
    return this.texts.has(path);
  }
}

/** A question with the label forms it may be printed under. */
export interface Labelled {
  section: FormSection;
  question: FormQuestion;
  vs: string[];
}

export interface FormLabels {
  template: Template;
  sections: FormSection[];
  /** questions of sections that are not repeated, with their labels */
  singles: Labelled[];
  /** every label form of every question: a cell holding one is a label, not a value */
  all: Set<string>;
}

export function formLabels(template: Template, sections: FormSection[]): FormLabels {
  const singles: Labelled[] = [];
  const all = new Set<string>();
  for (const section of sections)
    for (const question of section.questions) {
      const vs = variants(question.label, question.aliases);
      vs.forEach((v) => all.add(v));
      if (!section.repeat && section.group !== 'ind') singles.push({ section, question, vs });
    }
  return { template, sections, singles, all };
}
