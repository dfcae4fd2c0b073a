// Plain-string helpers shared by the three documents: reading the project facts
// out of the answers, numbers and dates as the documents print them, and making
// user text safe for XML.
import { type Answers, items, str } from '../domain/answers';
import { formatWan } from '../domain/decimal';

/**
 * XML 1.0 forbids most control characters and unpaired surrogates; one of them in a
 * pasted answer would make Word refuse the whole file. Tabs become spaces because a
 * tab inside w:t is not a tab stop.
 */
export function clean(text: string): string {
  return text
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** A long answer as paragraphs: one per line, blank lines dropped, leading indentation removed. */
export function paragraphsOf(text: string | undefined): string[] {
  if (!text) return [];
  return clean(text)
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** 万元 in prose: "65", "26.95", "1.5" (the tables keep two decimals). */
export function wanText(fen: bigint): string {
  return formatWan(fen).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1');
}

const digits = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for heading numbers). */
export function chineseNumber(n: number): string {
  if (n < 10) return digits[n];
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`;
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ''}`;
  return String(n);
}

/** '2025-05' → 2025年5月, '2025-05-20' → 2025年5月20日; anything else as written. */
export function chineseDate(value: string | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(value.trim());
  if (!m) return clean(value);
  return `${m[1]}年${Number(m[2])}月${m[3] ? `${Number(m[3])}日` : ''}`;
}

/** "行政综合性项目" + "项目支出" must not read "项目项目支出". */
export function projectStem(name: string): string {
  return name.replace(/项目$/, '');
}

export interface Evaluator {
  name: string;
  role: string;
  title: string;
  unit: string;
}

export interface ProjectFacts {
  name: string;
  department: string;
  unit: string;
  unitFullName: string;
  leader: string;
  phone: string;
  type: string;
  selfEvalDate: string;
  evaluators: Evaluator[];
}

export function projectFacts(answers: Answers): ProjectFacts {
  const s = (path: string) => clean(str(answers[path]) ?? '');
  const unit = s('project.unit');
  return {
    name: s('project.name'),
    department: s('project.department'),
    unit,
    unitFullName: s('project.unitFullName') || unit,
    leader: s('project.leader'),
    phone: s('project.phone'),
    type: s('project.type'),
    selfEvalDate: chineseDate(str(answers['project.selfEvalDate'])),
    evaluators: items(answers, 'evaluators').map((e) => ({
      name: clean(str(e.name) ?? ''),
      role: clean(str(e.role) ?? ''),
      title: clean(str(e.title) ?? ''),
      unit: clean(str(e.unit) ?? ''),
    })),
  };
}

/** Characters Windows, macOS or Lark refuse in a file name. */
export function safeFileStem(name: string): string {
  const cleaned = clean(name)
    .replace(/[/\\:*?"<>|\u0000-\u001F]/g, '')
    .trim();
  return cleaned || '项目';
}

/** Ends a sentence with 。 unless it already ends with punctuation. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[。！？；.!?]$/.test(t) ? t : `${t}。`;
}

/** Title characters of 2号 on a 156 mm line. */
export const titleChars = 20;

/**
 * A long title in lines that break between its parts (unit, project, document name),
 * never inside one: "…巩固提升工 / 程" and "绩 / 效" read badly. A part longer than a
 * line is left to wrap on its own.
 */
export function titleLines(parts: string[], max: number = titleChars): string[] {
  const lines: string[] = [];
  for (const part of parts.filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && [...lines[last]].length + [...part].length <= max) lines[last] += part;
    else lines.push(part);
  }
  return lines;
}
