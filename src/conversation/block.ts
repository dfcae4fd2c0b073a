// Several answers in one message: a whole row on one line (`区级财政 273.45 172.91
// 129.94`), several rows pasted at once, an indicator with its scores
// (`立项依据充分性 达成 5`), a block of `标签：值` lines, or numbered answers.
// Pure: it says what it would take and what it leaves, the caller records it.
import { type Answers, type AnswerValue, copyAnswers } from '../domain/answers';
import { resolveDefault } from '../domain/defaults';
import { toHalfWidth } from '../domain/parse';
import { type FormContext, askedQuestions, formContext } from '../domain/progress';
import { type FormQuestion, type FormSection, pathOf } from '../domain/questions';
import { dropBracketed } from './argText';
import { checkValue } from './checks';
import { MORE, type Position, findSection } from './flow';
import { parseFor } from './parseFor';

export interface Taken {
  path: string;
  value: AnswerValue;
  section: FormSection;
  question: FormQuestion;
  index?: number;
}

export interface Block {
  taken: Taken[];
  /** lines or values not taken, each with the reason */
  left: string[];
  /** optional questions a row left out: passed, not asked again */
  passed: string[];
  /** rows written, for the summary line */
  rows: { title: string; text: string }[];
}

const LABEL_LINE = /^\s*(?:\(?\d{1,2}[.、)）]\s*)?([^：:\n]{1,30}?)\s*[：:]\s*(.*)$/;
const NUMBERED = /^\s*[(（]?(\d{1,2})[.、)）]\s*(.+)$/;

/** "年初预算数（万元）" and "年初预算数" are the same label. */
const norm = (s: string) => dropBracketed(toHalfWidth(s)).replace(/[\s·:：]/g, '');

const tokensOf = (line: string) => line.split(/[\t|｜]+|\s+/).filter(Boolean);

class Work {
  answers: Answers;
  block: Block = { taken: [], left: [], passed: [], rows: [] };
  constructor(
    readonly ctx: FormContext,
    readonly year: number,
  ) {
    this.answers = copyAnswers(ctx.answers);
  }
  get now(): FormContext {
    return formContext(this.ctx.template, this.ctx.sections, this.answers);
  }
  /** values that parsed, taken or not: how well a split of a row fits */
  parsed = 0;
  /** Parse and check one value; record it or say why not. */
  put(section: FormSection, q: FormQuestion, index: number | undefined, typed: string, where: string): boolean {
    const resolved = resolveDefault(q, typed, this.answers);
    if ('error' in resolved) {
      this.block.left.push(`${where}“${short(typed)}”：${resolved.error}`);
      return false;
    }
    const raw = resolved.text;
    const parsed = parseFor(q, raw, this.year);
    if (!parsed.ok) {
      this.block.left.push(`${where}“${short(raw)}”：${parsed.message}`);
      return false;
    }
    this.parsed++;
    const check = checkValue(this.now, section, q, index, parsed.value, raw);
    if (check) {
      this.block.left.push(`${where}“${short(raw)}”：${'refuse' in check ? check.refuse : `${check.ask}（请单独回答这一题）`}`);
      return false;
    }
    const path = pathOf(section, q, index);
    this.answers[path] = parsed.value;
    this.block.taken = this.block.taken.filter((t) => t.path !== path);
    this.block.taken.push({ path, value: parsed.value, section, question: q, index });
    return true;
  }
}

const short = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Reads `text` as several answers, starting at `pos`. Undefined when it is a single
 * answer (the usual parser then handles it, with its own message).
 */
export function readBlock(ctx: FormContext, pos: Position, text: string, year: number): Block | undefined {
  const section = findSection(ctx.sections, pos.sectionId);
  if (!section) return undefined;
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!lines.length) return undefined;
  const current = section.questions.find((q) => q.field === pos.field);
  const index = section.repeat ? (pos.field === MORE ? (pos.index ?? -1) + 1 : (pos.index ?? 0)) : undefined;

  // 标签：值 lines, where the first line names a question. A long answer often has its own
  // headings ("1.项目立项依据："), so there it takes two plain labels of different questions.
  const first = lines[0].match(LABEL_LINE);
  if (first && resolveLabel(ctx, section, index, first[1])) {
    if (current?.kind !== 'longText') return labelled(ctx, section, index, lines, year);
    const named = new Set(
      lines.flatMap((l) => {
        const m = l.match(LABEL_LINE);
        const r = m && !/^\s*[(（]?\d/.test(l) ? resolveLabel(ctx, section, index, m[1]) : undefined;
        return r ? [r.question] : [];
      }),
    );
    if (named.size >= 2 && !/^\s*[(（]?\d/.test(lines[0])) return labelled(ctx, section, index, lines, year);
  }
  if (current?.kind === 'longText') return undefined;

  // rows of a repeated section, from its first question or the "another?" step
  if (section.repeat) {
    const asked = askedQuestions(ctx, section, index);
    const atStart = pos.field === MORE || pos.field === asked[0]?.field;
    if (atStart && lines.some((l) => tokensOf(l).length > 1)) {
      const b = rows(ctx, section, index ?? 0, lines, year);
      if (b.taken.length > 1 || lines.length > 1 || b.left.length > 0) return b;
    }
    return undefined;
  }
  // indicator lines: name, then its achievement, score, reason
  if (section.level1) {
    const b = indicatorLines(ctx, section, lines, year);
    if (b) return b;
  }
  // numbered answers, or several plain lines answering the next questions in order
  if (lines.length > 1) return sequence(ctx, section, pos, lines, year);
  return undefined;
}

/** The question a label names: in this section (this item) first, then anywhere outside repeated sections. */
function resolveLabel(ctx: FormContext, section: FormSection, index: number | undefined, label: string): { section: FormSection; question: FormQuestion } | undefined {
  const l = norm(label);
  if (l.length < 2) return undefined;
  const pick = (s: FormSection) => {
    const qs = askedQuestions(ctx, s, s.repeat ? index : undefined);
    const exact = qs.filter((q) => norm(q.label) === l);
    if (exact.length === 1) return exact[0];
    const partial = qs.filter((q) => norm(q.label).includes(l));
    return partial.length === 1 ? partial[0] : undefined;
  };
  const here = pick(section);
  if (here) return { section, question: here };
  const found = ctx.sections.filter((s) => !s.repeat && !s.level1 && s !== section).flatMap((s) => {
    const q = pick(s);
    return q ? [{ section: s, question: q }] : [];
  });
  return found.length === 1 ? found[0] : undefined;
}

function labelled(ctx: FormContext, section: FormSection, index: number | undefined, lines: string[], year: number): Block {
  const w = new Work(ctx, year);
  // a label starts a value; lines without a known label continue the one before (long answers keep their lines)
  const parts: { target: { section: FormSection; question: FormQuestion }; label: string; text: string[] }[] = [];
  for (const line of lines) {
    const m = line.match(LABEL_LINE);
    let target = m ? resolveLabel(ctx, section, index, m[1]) : undefined;
    // "2.项目管理情况：" inside a long answer is its own heading, not the next label
    if (target && parts.length && /^\s*[(（]?\d/.test(line) && target.question.kind === 'longText') target = undefined;
    if (m && target) parts.push({ target, label: m[1], text: m[2] ? [m[2]] : [] });
    else if (parts.length) parts[parts.length - 1].text.push(line);
  }
  for (const p of parts) {
    const raw = p.text.join('\n').trim();
    const idx = p.target.section.repeat ? index : undefined;
    if (!raw) w.block.left.push(`“${p.label}”后面没有内容`);
    else w.put(p.target.section, p.target.question, idx, raw, `${p.label}：`);
  }
  // optional questions of the sections written, left out of the block: passed over, not asked one by one
  for (const s of new Set(parts.map((p) => p.target.section)))
    if (!s.repeat)
      for (const q of askedQuestions(w.now, s)) {
        const path = pathOf(s, q);
        if (!q.required && w.answers[path] === undefined) w.block.passed.push(path);
      }
  return w.block;
}

/** Values for the questions of one item (or one indicator) in order; the last free-text question takes the rest of the line. */
function fill(w: Work, section: FormSection, index: number | undefined, tokens: string[], questionsOf: () => FormQuestion[], where: string): number {
  let taken = 0;
  let t = 0;
  for (let qi = 0; t < tokens.length; qi++) {
    const qs = questionsOf();
    const q = qs[qi];
    if (!q) {
      w.block.left.push(`${where}多出的“${short(tokens.slice(t).join(' '))}”`);
      break;
    }
    const rest = q.kind === 'longText' || (q.kind === 'text' && qi === qs.length - 1);
    const raw = rest ? tokens.slice(t).join(' ') : tokens[t];
    // an optional column may be left out: a value that does not fit it goes to the next column
    if (!q.required && !rest && qi < qs.length - 1 && !parseFor(q, raw, w.year).ok) continue;
    t = rest ? tokens.length : t + 1;
    if (!w.put(section, q, index, raw, `${where}${q.label}`)) break;
    taken++;
  }
  return taken;
}

function rows(ctx: FormContext, section: FormSection, start: number, lines: string[], year: number): Block {
  const w = new Work(ctx, year);
  const max = section.repeat!.max;
  lines.forEach((line, i) => {
    const index = start + i;
    const where = `第${index + 1}项`;
    if (index >= max) return void w.block.left.push(`${where}“${short(line)}”：「${section.title}」最多${max}项`);
    const tokens = tokensOf(line);
    const asked = () => askedQuestions(w.now, section, index);
    // the first value (a name) may itself contain spaces: take the shortest name that lets the rest fit
    let best: { answers: Answers; block: Block; n: number; fit: number } | undefined;
    for (let k = 1; k <= tokens.length; k++) {
      const trial = new Work({ ...w.now }, year);
      trial.block = { taken: [...w.block.taken], left: [], passed: [], rows: [] };
      const firstQ = asked()[0];
      if (!trial.put(section, firstQ, index, tokens.slice(0, k).join(' '), `${where}${firstQ.label}`)) continue;
      const n = 1 + fill(trial, section, index, tokens.slice(k), () => askedQuestions(trial.now, section, index).slice(1), `${where}`);
      // the split whose values parse best wins (a name that swallows the whole line fits one)
      const fit = trial.parsed;
      const left = trial.block.left.length;
      if (!best || fit > best.fit || (fit === best.fit && (left < best.block.left.length || (left === best.block.left.length && n > best.n)))) best = { answers: trial.answers, block: trial.block, n, fit };
    }
    if (!best) {
      const firstQ = asked()[0];
      w.put(section, firstQ, index, line, `${where}${firstQ.label}`);
      return;
    }
    w.answers = best.answers;
    w.block.taken = best.block.taken;
    w.block.left.push(...best.block.left);
    w.block.rows.push({ title: where, text: line });
    // optional questions the row left out are passed over, not asked one by one
    for (const q of askedQuestions(w.now, section, index)) {
      const path = pathOf(section, q, index);
      if (!q.required && w.answers[path] === undefined) w.block.passed.push(path);
    }
  });
  return w.block;
}

/** In an indicator section: "立项依据充分性 达成 5" or "预算执行率 1 本年度……扣1分". */
function indicatorLines(ctx: FormContext, section: FormSection, lines: string[], year: number): Block | undefined {
  const groups = new Map<string, FormQuestion[]>();
  for (const q of section.questions) {
    const key = q.field.split('.')[0];
    groups.set(key, [...(groups.get(key) ?? []), q]);
  }
  const nameOf = (qs: FormQuestion[]) => norm(qs[0].label.replace(/^[^·]*·/, '').replace(/（.*$/, ''));
  const match = (tokens: string[]) => {
    for (let k = tokens.length - 1; k >= 1; k--) {
      const t = norm(tokens.slice(0, k).join(''));
      if (t.length < 2) continue;
      const hits = [...groups.entries()].filter(([, qs]) => nameOf(qs) === t || nameOf(qs).includes(t));
      if (hits.length === 1) return { key: hits[0][0], k };
    }
    return undefined;
  };
  const parsed = lines.map((l) => ({ line: l, tokens: tokensOf(l), hit: match(tokensOf(l)) }));
  if (!parsed.some((p) => p.hit)) return undefined;
  const w = new Work(ctx, year);
  for (const p of parsed) {
    if (!p.hit) {
      w.block.left.push(`“${short(p.line)}”：没有找到这个指标`);
      continue;
    }
    const key = p.hit.key;
    const qs = () => askedQuestions(w.now, section).filter((q) => q.field.split('.')[0] === key);
    const name = nameOf(groups.get(key)!);
    if (fill(w, section, undefined, p.tokens.slice(p.hit.k), qs, `${name}·`) > 0) w.block.rows.push({ title: name, text: p.tokens.slice(p.hit.k).join(' ') });
  }
  return w.block;
}

/** Numbered lines go to the question with that number (as the prompt counts them); plain lines to the next questions in order. */
function sequence(ctx: FormContext, section: FormSection, pos: Position, lines: string[], year: number): Block {
  const w = new Work(ctx, year);
  const asked = askedQuestions(ctx, section, pos.index);
  const numbered = lines.every((l) => NUMBERED.test(l));
  let at = Math.max(0, asked.findIndex((q) => q.field === pos.field));
  for (const line of lines) {
    let q: FormQuestion | undefined;
    let raw = line;
    if (numbered) {
      const m = line.match(NUMBERED)!;
      q = asked[Number(m[1]) - 1];
      raw = m[2];
      if (!q) {
        w.block.left.push(`“${short(line)}”：这一部分没有第${m[1]}题`);
        continue;
      }
    } else {
      q = asked[at++];
      if (!q) {
        w.block.left.push(`“${short(line)}”：这一部分的题目已经答完了`);
        continue;
      }
    }
    w.put(section, q, pos.index, raw, `${q.label}：`);
  }
  return w.block;
}
