// The whole form as the conversation walks it: the template's declared sections,
// plus the indicator sections derived from the indicator tree (scores, reasons and
// the department's own 产出/效益 indicators). Every answer path maps back to one
// question here, which is how answers are checked wherever they come from.
import { type Answers, type AnswerValue, num } from './answers';
import { type Funds, fundsBlockOf } from './funds';
import { readMeasure } from './measure';
import { directions } from './scoring';
import type { Condition, Question, Template } from './template';

export interface FormQuestion extends Question {
  /** last part of the path: `name`, or `basisSufficiency.score` in an indicator section */
  field: string;
}

export interface FormSection {
  id: string;
  title: string;
  description?: string;
  /** prefix of every path in the section: `project`, `lineItems`, `ind`, `ind.outputQuality` */
  group: string;
  repeat?: { min: number; max: number; itemLabel: string };
  questions: FormQuestion[];
  /** indicator sections are grouped under the level-1 indicator for assignment (“分配 决策 @张三”) */
  level1?: string;
}

export function pathOf(section: FormSection, q: FormQuestion, index?: number): string {
  return section.repeat ? `${section.group}[${index ?? 0}].${q.field}` : `${section.group}.${q.field}`;
}

const pts = (w: number) => `${w}分`;

/** Built once per template: the engine walks it on every message. Frozen, as it is shared. */
const built = new WeakMap<Template, readonly FormSection[]>();

export function formSections(template: Template): FormSection[] {
  let sections = built.get(template);
  if (!sections) {
    sections = Object.freeze(buildSections(template).map((s) => Object.freeze({ ...s, questions: Object.freeze(s.questions) as FormQuestion[] })));
    built.set(template, sections);
  }
  return sections as FormSection[];
}

function buildSections(template: Template): FormSection[] {
  const inYuan = fundsBlockOf(template).unit === '元';
  const rules = template.indicatorRules;
  const achievements = rules.qualitative.map((b) => b.achievement);
  const bandHelp = rules.qualitative.map((b) => `${b.achievement}${b.min}%–${b.max}%`).join('、');
  const out: FormSection[] = template.sections.map((s) => ({
    id: s.id,
    title: s.title,
    description: s.description,
    group: s.id,
    repeat: s.repeat,
    questions: s.questions.map((q) => ({ ...q, kind: q.kind === 'money' && inYuan ? 'yuan' : q.kind, field: q.id })),
  }));
  for (const l1 of template.indicators) {
    const fixed: FormQuestion[] = [];
    for (const l2 of l1.children)
      for (const l3 of l2.children ?? []) {
        const name = `${l2.name}·${l3.name}（${pts(l3.weight)}）`;
        if (l3.rule.kind === 'qualitative')
          fixed.push({
            id: `${l3.id}_achievement`,
            field: `${l3.id}.achievement`,
            label: `${name}达成情况`,
            kind: 'choice',
            required: true,
            options: [...achievements],
            help: l3.help,
          });
        fixed.push({
          id: `${l3.id}_score`,
          field: `${l3.id}.score`,
          label: `${name}自评得分`,
          kind: 'score',
          max: l3.weight,
          required: l3.rule.kind === 'direct',
          help:
            l3.rule.kind === 'ratio'
              ? `${l3.help ?? ''}。可不填：不填则按规则计算`
              : l3.rule.kind === 'qualitative'
                ? `${bandHelp}的分值；不填则按档位取分`
                : l3.help,
          example: String(l3.weight),
        });
        fixed.push({
          id: `${l3.id}_reason`,
          field: `${l3.id}.reason`,
          label: `${l3.name}扣分原因`,
          kind: 'longText',
          required: true,
          when: { answer: `ind.${l3.id}.score`, below: l3.weight },
          example: '本年度由于项目整合，预算执行率较低，扣1分',
        });
      }
    if (fixed.length)
      out.push({ id: `ind_${l1.id}`, title: `指标评分·${l1.name}`, group: 'ind', questions: fixed, level1: l1.id });
    for (const l2 of l1.children) {
      if (!l2.custom) continue;
      const weighed = l1.rowWeights;
      const share = l2.weight === undefined ? `；${l1.name}下各三级指标分值合计${pts(l1.weight ?? 0)}` : `，分值合计${pts(l2.weight)}`;
      out.push({
        id: `ind_${l2.id}`,
        title: `指标评分·${l1.name}·${l2.name}${l2.weight === undefined ? '' : `（${pts(l2.weight)}）`}`,
        description: `${l2.name}的三级指标由单位按项目实际设置${weighed ? share : `；表上只有${l1.name}的分值，各指标平分`}`,
        group: `ind.${l2.id}`,
        repeat: { min: l2.custom.min, max: l2.custom.max, itemLabel: `${l2.name}指标` },
        level1: l1.id,
        questions: [
          { id: 'name', field: 'name', label: '指标名称', kind: 'text', required: true, carryOver: true, example: '案件处置结案率' },
          ...(weighed
            ? [{ id: 'weight', field: 'weight', label: '分值', kind: 'number' as const, required: true, carryOver: true, max: l2.weight ?? l1.weight, example: String(l2.weight ?? 5) }]
            : []),
          ...(rules.values === 'written' ? writtenValueQuestions(achievements) : numberValueQuestions(achievements)),
          { id: 'score', field: 'score', label: '自评得分', kind: 'score', required: false, help: '不填则按规则计算' },
          {
            id: 'reason',
            field: 'reason',
            label: rules.deviationLabel,
            kind: 'longText',
            required: false,
            help: `未完全达成目标、或实际值达到目标的${rules.overThreshold}%以上时必须填写`,
          },
        ],
      });
    }
  }
  return out;
}

/** The seed's way: numbers, with the direction and unit asked apart. */
function numberValueQuestions(achievements: string[]): FormQuestion[] {
  const measured = { answer: '.direction', in: ['正向', '反向', '等于'] } satisfies Condition;
  return [
    { id: 'direction', field: 'direction', label: '指标方向', kind: 'choice', required: true, carryOver: true, options: [...directions], help: '正向：越高越好；反向：越低越好；等于：恰好达到；定性：不能量化' },
    { id: 'target', field: 'target', label: '年度指标值（目标）', kind: 'number', required: true, when: measured, example: '95' },
    { id: 'actual', field: 'actual', label: '实际完成值', kind: 'number', required: true, when: measured, example: '95' },
    { id: 'unit', field: 'unit', label: '计量单位', kind: 'text', required: false, carryOver: true, when: measured, example: '%' },
    { id: 'achievement', field: 'achievement', label: '达成情况', kind: 'choice', required: true, options: achievements, when: { answer: '.direction', equals: '定性' } },
  ];
}

/** The national form's way: target and actual as written, the operator giving the direction. */
function writtenValueQuestions(achievements: string[]): FormQuestion[] {
  return [
    {
      id: 'target',
      field: 'target',
      label: '年度指标值',
      kind: 'value',
      required: true,
      help: '照表上写：≥95%、≤5次、=100%、12项，或不能量化的“按时限完成”“显著提升”',
      example: '≥95%',
    },
    { id: 'actual', field: 'actual', label: '实际完成值', kind: 'value', required: true, help: '写实际数，不要照抄目标', example: '97.5%' },
    {
      id: 'achievement',
      field: 'achievement',
      label: '达成情况',
      kind: 'choice',
      required: true,
      options: achievements,
      when: { answer: '.target', numeric: false },
    },
  ];
}

export interface QuestionAt {
  section: FormSection;
  question: FormQuestion;
  index?: number;
}

/** The question a path answers, or undefined for a path the template does not know. */
export function questionAt(sections: FormSection[], path: string): QuestionAt | undefined {
  for (const section of sections) {
    if (section.repeat) {
      const m = path.match(/^(.*)\[(\d+)\]\.(.+)$/);
      if (!m || m[1] !== section.group) continue;
      const question = section.questions.find((q) => q.field === m[3]);
      if (question) return { section, question, index: Number(m[2]) };
    } else if (path.startsWith(`${section.group}.`)) {
      const field = path.slice(section.group.length + 1);
      const question = section.questions.find((q) => q.field === field);
      if (question) return { section, question };
    }
  }
  return undefined;
}

/** Whether a question is asked, given the answers so far and the rates they make. */
export function isAsked(q: FormQuestion, answers: Answers, funds: Funds | undefined, itemPrefix?: string): boolean {
  const c = q.when;
  if (!c) return true;
  if ('rate' in c) {
    const v = funds?.rates[c.rate]?.value;
    return v !== undefined && v < Math.round(c.below * 100);
  }
  const path = c.answer.startsWith('.') && itemPrefix ? `${itemPrefix}${c.answer}` : c.answer;
  const v: AnswerValue | undefined = answers[path];
  if (c.present !== undefined) return (v !== undefined) === c.present;
  if (c.numeric !== undefined) return v !== undefined && (readMeasure(v)?.value !== undefined) === c.numeric;
  if (c.equals !== undefined) return v === c.equals;
  if (c.in) return v !== undefined && c.in.includes(v as string | number);
  if (c.below !== undefined) {
    const n = num(v);
    return n !== undefined && n < c.below;
  }
  return v !== undefined;
}

/** Exact decimal arithmetic (./decimal) holds for magnitudes below this; a file may hold any number. */
const TOO_LARGE = 1e10;

/** Numbers, strings and choices answered where each kind expects them; a message per fault. */
export function validateAnswerTypes(sections: FormSection[], answers: Answers): string[] {
  const faults: string[] = [];
  const numeric = new Set(['money', 'yuan', 'percent', 'count', 'number', 'score', 'year']);
  for (const [path, value] of Object.entries(answers)) {
    if (path.startsWith('weights.')) {
      if (typeof value !== 'number') faults.push(`answers.${path}: 应为数字`);
      else if (Math.abs(value) >= TOO_LARGE) faults.push(`answers.${path}: 数太大了`);
      continue;
    }
    const at = questionAt(sections, path);
    if (!at) {
      faults.push(`answers.${path}: 模板里没有这一题`);
      continue;
    }
    if (at.section.repeat && (at.index ?? 0) >= at.section.repeat.max) {
      faults.push(`answers.${path}: 「${at.section.title}」最多${at.section.repeat.max}项`);
      continue;
    }
    const q = at.question;
    if (numeric.has(q.kind)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) faults.push(`answers.${path}: “${q.label}”应为数字，现在是 ${JSON.stringify(value)}`);
      else if (Math.abs(value) >= TOO_LARGE) faults.push(`answers.${path}: “${q.label}”数太大了，请检查`);
      else if (value < 0) faults.push(`answers.${path}: “${q.label}”不能为负数`);
      else if (q.max !== undefined && value > q.max) faults.push(`answers.${path}: “${q.label}”不能大于${q.max}`);
    } else if (q.kind === 'value' && typeof value === 'number') continue;
    else if (typeof value !== 'string') faults.push(`answers.${path}: “${q.label}”应为文字，现在是 ${JSON.stringify(value)}`);
    else if (q.kind === 'choice' && q.options && !q.options.includes(value))
      faults.push(`answers.${path}: “${q.label}”只能是 ${q.options.join('、')} 之一，现在是“${value}”`);
  }
  return faults;
}
