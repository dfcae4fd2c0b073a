// The paragraphs of the report that the product computes rather than the people
// write: funds, conclusion, lost points, indicator analysis, and the default
// problems and suggestions. Plain strings, so that they can be tested and reused
// (the form's 问题和建议 uses the same sentences) apart from any layout.
import type { Answers } from '../domain/answers';
import { str } from '../domain/answers';
import { formatScore } from '../domain/decimal';
import type { Assessment } from '../domain/evaluate';
import { type Funds, type Rate, formatRate } from '../domain/funds';
import type { Problem } from '../domain/problems';
import type { Level2Score, ScoredIndicator } from '../domain/scoring';
import type { Template } from '../domain/template';
import { paragraphsOf, sentence, wanText } from './text';

const pts = (h: number) => `${formatScore(h)}分`;

function rateSentence(rate: Rate): string {
  return rate.value === undefined
    ? `${rate.name}（${rate.definition}）因分母为0无法计算`
    : `${rate.name}（${rate.definition}）为${formatRate(rate)}`;
}

/** Whether the people's text already states this rate's value ("预算使用率为47.52%"), under whatever name. */
function statedIn(text: string, rate: Rate): boolean {
  if (rate.value === undefined) return false;
  const figure = formatRate(rate).replace(/%$/, '').replace('.', '\\.');
  return new RegExp(`(?<![\\d.])${figure}\\s*[%％]`).test(text);
}

/**
 * （四）资金投入和使用情况: budget with its breakdown, arrived, spent, the rates, then the note.
 * A rate the note already states is not stated again: one figure, once (the chat's
 * RATE_CONFLICT warning tells the people when the note's name for it is not the form's).
 */
export function fundsParagraphs(funds: Funds, answers: Answers): string[] {
  const t = funds.total;
  const out: string[] = [];
  // No line items answered: printing "0万元" would be a claim, so only the note (if any) is written.
  if (!funds.lines.length) return paragraphsOf(str(answers['funds.executionNote']));
  const breakdown = funds.breakdown.filter((b) => b.name !== '' || b.amount !== 0n);
  let first = `项目预算总额为${wanText(t.budget)}万元`;
  if (breakdown.length)
    first += `，其中：${breakdown.map((b) => `${b.name || '其他'}${wanText(b.amount)}万元`).join('；')}`;
  first += `。项目实际到位金额为${wanText(t.arrived)}万元。`;
  out.push(first);

  const present = funds.sources.filter((s) => s.present);
  if (present.length > 1)
    out.push(
      `按资金来源分：${present
        .map((s) => `${s.label}年初预算${wanText(s.budget)}万元、实际到位${wanText(s.arrived)}万元、实际支出${wanText(s.spent)}万元`)
        .join('；')}。`,
    );
  const note = str(answers['funds.executionNote']) ?? '';
  const rates = Object.values(funds.rates).filter((r) => !statedIn(note, r));
  out.push(`截至年末，项目实际支出${wanText(t.spent)}万元。${rates.length ? `${rates.map(rateSentence).join('，')}。` : ''}`);
  out.push(...paragraphsOf(note));
  return out;
}

/** 评价结论: totals by level and the grade. */
export function conclusionParagraph(a: Assessment): string {
  const s = a.scores;
  const levels = s.levels.map((l) => `${l.name}${pts(l.weight)}，自评得分${pts(l.score)}`).join('；');
  return (
    `评价组围绕绩效评价指标体系，通过数据采集分析、财务核查、实地核查和访谈，对该项目进行了客观、合理、有效的评价，` +
    `最终评价总分${pts(s.totalWeight)}，自评得分${pts(s.total)}；其中：${levels}。评价等次为“${s.grade}”。`
  );
}

function rateOf(template: Template, funds: Funds, i: ScoredIndicator): Rate | undefined {
  for (const l1 of template.indicators)
    for (const l2 of l1.children)
      for (const l3 of l2.children ?? []) if (l3.id === i.id && l3.rule.kind === 'ratio') return funds.rates[l3.rule.rate];
  return undefined;
}

const num = (v: number, unit?: string) => `${v}${unit ?? ''}`;

/** Why an indicator lost points, in the evaluator's words when given. */
function lossReason(template: Template, funds: Funds, i: ScoredIndicator): string {
  const parts: string[] = [];
  const rate = rateOf(template, funds, i);
  if (rate) parts.push(sentence(rateSentence(rate)));
  if (i.rule === 'target' && i.target !== undefined && i.actual !== undefined)
    parts.push(`目标值${num(i.target, i.unit)}，实际完成${num(i.actual, i.unit)}。`);
  if (i.reason) parts.push(sentence(i.reason));
  else if (!rate && i.basis) parts.push(sentence(`评分依据：${i.basis}`));
  return parts.join('');
}

/** 绩效分析: each lost point and why. */
export function analysisParagraphs(template: Template, a: Assessment): string[] {
  const lost = a.scores.indicators.filter((i) => i.scored && i.lost > 0);
  const unscored = a.scores.indicators.filter((i) => !i.scored);
  const out: string[] = [];
  if (!lost.length) out.push('本项目已评分的各项指标均得满分，达到预期绩效目标。');
  else {
    const sum = lost.reduce((s, i) => s + i.lost, 0);
    out.push(`本项目共扣${pts(sum)}，扣分情况如下：`);
    lost.forEach((i, k) =>
      out.push(
        `${k + 1}.${i.level1.name}—${i.level2.name}—${i.name}：分值${pts(i.weight)}，自评得分${pts(i.score)}，扣${pts(i.lost)}。` +
          lossReason(template, a.funds, i),
      ),
    );
  }
  if (unscored.length) out.push(`另有${unscored.length}项指标尚未评分：${unscored.map((i) => i.name).join('、')}。`);
  return out;
}

const achievementWords: Record<string, string> = { 达成: '达到要求', 部分达成: '部分达到要求', 未达成: '未达到要求' };

function indicatorSentence(template: Template, funds: Funds, i: ScoredIndicator): string {
  const scored = i.scored ? `，得${pts(i.score)}（分值${pts(i.weight)}）` : `，尚未评分（分值${pts(i.weight)}）`;
  const rate = rateOf(template, funds, i);
  let what: string;
  if (rate) what = rateSentence(rate);
  else if (i.rule === 'target' && i.target !== undefined && i.actual !== undefined)
    what = `${i.name}目标值${num(i.target, i.unit)}，实际完成${num(i.actual, i.unit)}`;
  else if (i.achievement && achievementWords[i.achievement]) what = `${i.name}${achievementWords[i.achievement]}`;
  else if (i.scored && i.lost === 0) what = `${i.name}达到要求`;
  else what = i.name;
  const why = i.scored && i.lost > 0 && i.reason ? `，${i.reason.replace(/[。；;.]+$/, '')}` : '';
  return what + scored + why;
}

/** 四、绩效评价指标分析: one block per first-level indicator, one numbered paragraph per second-level one. */
export function indicatorAnalysis(template: Template, a: Assessment): { title: string; paragraphs: string[] }[] {
  return a.scores.levels.map((level) => {
    const l2s: Level2Score[] = a.scores.level2.filter((l) => l.level1Id === level.id);
    const paragraphs = l2s.map((l2, k) => {
      const body = l2.indicators.length
        ? l2.indicators.map((i) => indicatorSentence(template, a.funds, i)).join('；')
        : '未设置三级指标';
      return `${k + 1}.${l2.name}：${body}。`;
    });
    return {
      title: `项目${level.name}情况分析`,
      paragraphs: [
        `${level.name}类指标分值${pts(level.weight)}，自评得分${pts(level.score)}。`,
        ...paragraphs,
      ],
    };
  });
}

const suggestionsByCategory: Record<string, string> = {
  setup:
    '加强项目立项论证和绩效目标编制，细化、量化绩效指标，从数量、质量、时效、成本等方面完整设置指标，确保绩效目标明确、指标可考核。',
  funds:
    '加强预算编制的科学性和前瞻性，及时分解下达预算，合理安排资金支付进度，建立预算执行跟踪和纠偏机制，提高预算执行率和资金使用效益。',
  business: '健全项目管理制度，强化制度执行和过程监督，确保项目按计划规范实施。',
  output: '加强项目实施过程管理，按期保质完成各项产出任务，确保产出数量、质量、时效和成本达到预期目标。',
  outcome: '注重项目效益的发挥，加强与服务对象的沟通，及时回应群众关切，提升社会公众满意度和项目的可持续影响。',
  other: '针对评价发现的其他问题逐项制定整改措施，明确责任和时限，抓好整改落实。',
};
const generalSuggestion = '继续加强预算绩效管理，巩固项目实施成效，持续提升财政资金使用效益。';

/** Before any score is entered there is nothing to find; saying "no problems" would be a claim. */
const nothingScored = (a: Assessment) => !a.scores.indicators.some((i) => i.scored);

function problemSentence(p: Problem, a: Assessment): string {
  const i = p.indicatorId ? a.scores.indicators.find((x) => x.id === p.indicatorId) : undefined;
  const cause = i?.reason && !p.description.includes(i.reason) ? `原因：${sentence(i.reason)}` : '';
  return `${sentence(p.description)}${cause}`;
}

/** 六、存在的问题及原因分析, when the people did not write it. */
export function defaultProblemParagraphs(a: Assessment): string[] {
  if (!a.problems.length) return nothingScored(a) ? [] : ['经评价，本项目未发现明显问题。'];
  return [
    '经评价，本项目存在以下问题：',
    ...a.problems.map((p, k) => `${k + 1}.${p.categoryLabel}：${problemSentence(p, a)}`),
  ];
}

function categoriesOf(problems: Problem[]): string[] {
  return [...new Set(problems.map((p) => p.category))];
}

/** 七、有关建议, when the people did not write it: one suggestion per category with problems. */
export function defaultSuggestionParagraphs(a: Assessment): string[] {
  const cats = categoriesOf(a.problems);
  if (!cats.length) return nothingScored(a) ? [] : [generalSuggestion];
  return cats.map((c, k) => `${cats.length > 1 ? `${k + 1}.` : ''}${suggestionsByCategory[c] ?? suggestionsByCategory.other}`);
}

/** The form's 问题和建议 when conclusion.formSummary is empty. */
export function defaultFormSummary(a: Assessment): string {
  if (!a.problems.length) return `经评价，本项目未发现明显问题。建议：${generalSuggestion}`;
  const problems = a.problems.map((p) => p.description.replace(/[。；;.]+$/, '')).join('；');
  const suggestions = categoriesOf(a.problems)
    .map((c) => (suggestionsByCategory[c] ?? suggestionsByCategory.other).replace(/。$/, ''))
    .join('；');
  return `存在的问题：${problems}。建议：${suggestions}。`;
}
