// Finding the question a person means in 修改: by section, item and question
// (`修改 资金来源 第1项 年初预算数`), by words of its label, or by pasting back a
// line the bot listed. Several matches are listed with numbers to pick from.
import { itemCount } from '../domain/answers';
import { toHalfWidth } from '../domain/parse';
import { type FormContext, askedQuestions } from '../domain/progress';
import type { Position } from './flow';
import { dropBracketed } from './argText';

export interface Hit {
  pos: Position;
  title: string;
}

const norm = (s: string) => dropBracketed(toHalfWidth(s)).replace(/[\s·]/g, '');

export function questionTitle(ctx: FormContext, pos: Position): string {
  const s = ctx.sections.find((x) => x.id === pos.sectionId);
  const q = s?.questions.find((x) => x.field === pos.field);
  if (!s || !q) return '';
  return `${s.title}${s.repeat ? `·第${(pos.index ?? 0) + 1}项` : ''}·${q.label}`;
}

export function findQuestions(ctx: FormContext, query: string): Hit[] {
  const all: Hit[] = [];
  for (const s of ctx.sections) {
    const n = s.repeat ? Math.max(1, itemCount(ctx.answers, s.group)) : 1;
    for (let i = 0; i < n; i++) {
      const index = s.repeat ? i : undefined;
      const asked = new Set(askedQuestions(ctx, s, index));
      for (const q of s.questions)
        if (asked.has(q) || ctx.answers[s.repeat ? `${s.group}[${i}].${q.field}` : `${s.group}.${q.field}`] !== undefined)
          all.push({ pos: { sectionId: s.id, index, field: q.field }, title: questionTitle(ctx, { sectionId: s.id, index, field: q.field }) });
    }
  }
  const q = toHalfWidth(query).replace(/^\d+[.、]\s*/, '').trim();
  // a line pasted back from the bot's own list
  // what was typed is normalised once, not once per question: it may be 150 KB
  const nq = norm(q);
  const pasted = all.filter((h) => h.title === q || norm(h.title) === nq);
  if (pasted.length) return pasted;
  const words = q
    .split(/[\s·]+/)
    .filter(Boolean)
    .map((w) => ({ item: w.match(/^第?(\d+)项?$/), n: norm(w) }));
  const hits = all.filter((h) => {
    const title = norm(h.title);
    return words.every(({ item, n }) => {
      if (item && h.pos.index !== undefined) return h.pos.index === Number(item[1]) - 1;
      return title.includes(n);
    });
  });
  // prefer questions whose own label is exactly the last word ("年初预算数" over "年初预算数（合计）")
  const last = words[words.length - 1]?.n ?? '';
  const exact = hits.filter((h) => norm(h.title.split('·').pop() ?? '') === last);
  return exact.length ? exact : hits;
}
