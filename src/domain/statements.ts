// Figures that people write into prose and into indicators, read back so that the
// checks can compare them with the funds table and with each other. A rate written
// as "预算执行率为95.92%" in one place and computed as 75.15% in another is the
// commonest reason a finance bureau returns a self-evaluation.
import type { Answers } from './answers';
import { type Rates, formatRate } from './funds';
import type { ScoredIndicator } from './scoring';
import type { RateId, Template } from './template';

export interface TextAnswer {
  path: string;
  label: string;
  text: string;
}

/** Every prose answer with the label a person knows it by. */
export function textAnswers(template: Template, answers: Answers): TextAnswer[] {
  const out: TextAnswer[] = [];
  for (const s of template.sections)
    for (const q of s.questions) {
      if (q.kind !== 'text' && q.kind !== 'longText') continue;
      const re = s.repeat ? new RegExp(`^${s.id}\\[\\d+\\]\\.${q.id}$`) : null;
      for (const [path, v] of Object.entries(answers)) {
        if (typeof v !== 'string') continue;
        if (re ? re.test(path) : path === `${s.id}.${q.id}`) out.push({ path, label: q.label, text: v });
      }
    }
  for (const [path, v] of Object.entries(answers))
    if (path.startsWith('ind.') && path.endsWith('.reason') && typeof v === 'string')
      out.push({ path, label: '扣分原因', text: v });
  return out;
}

const NUM = String.raw`(?:为|达到|达|是|约|：|:)?\s*(\d+(?:\.\d+)?)\s*[%％]`;
const rateLabel = /(预算执行率|资金执行率|执行率|资金到位率|到位率|预算支出率|支出率|预算使用率|使用率)/;
const rateStatement = new RegExp(rateLabel.source + NUM, 'g');

/** Which computed rate a label names; "使用率" names none of them. */
function namedRate(label: string): RateId | undefined {
  if (label.includes('执行率')) return 'executionRate';
  if (label.includes('到位率')) return 'arrivalRate';
  if (label.includes('支出率')) return 'spendRate';
  return undefined;
}

function matches(stated: number, computed: number | undefined): boolean {
  if (computed === undefined) return false;
  const h = Math.round(stated * 100);
  if (h === computed) return true;
  // "75%" on a form that rounds to whole percent
  return Number.isInteger(stated) && Math.round(computed / 100) === stated;
}

export interface RateFinding {
  path: string;
  where: string;
  label: string;
  value: number;
  explanation: string;
}

/** Rate statements that do not agree with the rate their label names. */
export function findRateStatements(texts: TextAnswer[], indicators: ScoredIndicator[], rates: Rates): RateFinding[] {
  const statements: Omit<RateFinding, 'explanation'>[] = [];
  for (const t of texts)
    for (const m of t.text.matchAll(rateStatement))
      statements.push({ path: t.path, where: t.label, label: m[1], value: Number(m[2]) });
  for (const i of indicators) {
    const label = i.name.match(rateLabel)?.[1];
    if (i.custom && label && i.actual !== undefined && (i.unit === '%' || i.unit === undefined))
      statements.push({
        path: `${i.answerPrefix}.actual`,
        where: `${i.level2.name}指标`,
        label: i.name,
        value: i.actual,
      });
  }
  const out: RateFinding[] = [];
  for (const s of statements) {
    const named = namedRate(s.label);
    if (named && matches(s.value, rates[named]?.value)) continue;
    const same = (Object.values(rates) as Rates[RateId][]).find((r) => matches(s.value, r.value));
    const explanation = same
      ? `，实为${same.definition}，即${same.name}${formatRate(same)}`
      : `，与资金表按任何口径算出的比率都对不上（${Object.values(rates)
          .map((r) => `${r.name}${formatRate(r)}`)
          .join('、')}）`;
    out.push({ ...s, explanation });
  }
  return out;
}

export interface FigureConflict {
  path: string;
  where: string;
  indicator: string;
  indicatorValue: number;
  term: string;
  textValue: number;
}

/** A percentage indicator (…结案率 95%) stated with another value in the prose (结案率100%). */
export function findFigureConflicts(texts: TextAnswer[], indicators: ScoredIndicator[]): FigureConflict[] {
  const out: FigureConflict[] = [];
  for (const i of indicators) {
    if (!i.custom || i.actual === undefined || !i.name.endsWith('率') || rateLabel.test(i.name)) continue;
    // endings of the name, longest first: 案件处置结案率, …, 处置结案率, 结案率
    const terms: string[] = [];
    for (let len = i.name.length; len >= 3; len--) terms.push(i.name.slice(-len));
    for (const t of texts) {
      for (const term of terms) {
        const re = new RegExp(escape(term) + NUM, 'g');
        const found = [...t.text.matchAll(re)].map((m) => Number(m[1])).filter((v) => v !== i.actual);
        if (found.length) {
          out.push({ path: t.path, where: t.label, indicator: i.name, indicatorValue: i.actual, term, textValue: found[0] });
          break;
        }
      }
    }
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
