// The evaluation template: what is asked, how it is scored, how it is graded.
// Templates are data (templates/<id>/template.json); this zod schema is the one
// place that says what a template may contain. `npm run schema` writes it out as
// JSON Schema so that template authors get completion and errors in their editor.
import { z } from 'zod';
import { outlinePaths, placeholder, reportOutlineSchema } from './outline';

/** Kinds of answer a question can take; each has a parser in ./parse. */
export const questionKinds = [
  'text', // one line
  'longText', // paragraphs, line breaks kept
  'money', // in the unit of the template's funds block (万元 unless it says 元)
  'percent', // 75.15 means 75.15%
  'date', // YYYY-MM-DD
  'choice', // one of `options`
  'count', // whole number, Chinese numerals accepted
  'number', // any decimal number (targets and actuals of indicators)
  'score', // 0..weight, two decimals
  'phone',
  'year',
  'yuan', // money on a form in 元 (formSections gives money questions this kind when the funds block says 元)
  'value', // a target or actual as written: "≥95%", "≤5次", "按时限完成"; kept as text, read by ./measure
] as const;
export type QuestionKind = (typeof questionKinds)[number];

/** When a question is asked. Rates are percentages (75.15), computed from the funds table. */
export const conditionSchema = z.union([
  z.object({
    rate: z.string().describe('a rate of the funds block (funds.rates[].id)'),
    below: z.number().describe('asked when the rate is below this percentage'),
  }),
  z.object({
    answer: z.string().describe('path of another answer, in the same repeat item when it starts with "."'),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    in: z.array(z.union([z.string(), z.number()])).optional(),
    present: z.boolean().optional(),
    below: z.number().optional().describe('asked when that answer is a number below this'),
    numeric: z.boolean().optional().describe('asked when that answer (a written value) holds a number (true) or is only words (false)'),
  }),
]);
export type Condition = z.infer<typeof conditionSchema>;

export const questionSchema = z.object({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, '只能用英文字母、数字和下划线，且以字母开头'),
  label: z.string().min(1).describe('as printed on the form'),
  kind: z.enum(questionKinds),
  required: z.boolean().default(false),
  help: z.string().optional(),
  example: z.string().optional().describe('a good answer, shown when an answer is refused'),
  options: z.array(z.string()).optional().describe('for kind "choice"'),
  when: conditionSchema.optional(),
  max: z.number().optional().describe('upper bound for money, count, number'),
  aliases: z.array(z.string()).optional().describe('other words the question is printed under in people\'s own documents (a heading, a table label); used when importing a file'),
  default: z
    .string()
    .optional()
    .describe('text or longText: what the report prints while unanswered, offered in the chat (回复“默认” takes it); {project.unit|本单位} puts in an answer'),
  carryOver: z.boolean().optional().describe('the answer usually stays the same from year to year: offered from last year\'s evaluation (沿用)'),
  prefill: z
    .enum(['lastYearRectification'])
    .optional()
    .describe('filled when the evaluation starts: lastYearRectification = last year\'s 整改 items of the same project and their outcome (上年问题整改情况)'),
});
export type Question = z.infer<typeof questionSchema>;

export const sectionSchema = z.object({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  title: z.string().min(1),
  description: z.string().optional(),
  /** A repeated group: line items, funding sources, evaluators… answers live at `<id>[<i>].<question>`. */
  repeat: z
    .object({ min: z.number().int().min(0).default(0), max: z.number().int().min(1), itemLabel: z.string() })
    .optional(),
  questions: z.array(questionSchema).min(1),
});
export type Section = z.infer<typeof sectionSchema>;

/** Rate ids of the seed's funds table; a template's funds block may declare others. */
export const rateIds = ['arrivalRate', 'executionRate', 'spendRate'] as const;
export type RateId = string;

const fundsColumnIds = ['budget', 'adjusted', 'arrived', 'spent'] as const;

export const rateDefSchema = z.object({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  name: z.string().min(1).describe('as printed: 执行率, 资金到位率'),
  numerator: z.enum(fundsColumnIds),
  denominator: z.enum(fundsColumnIds),
});
export type RateDef = z.infer<typeof rateDefSchema>;

/** The funds table of the form. Without it a template gets the seed's (src/domain/funds.ts defaultFundsBlock). */
export const fundsBlockSchema = z.object({
  title: z.string().default('项目资金').describe('printed with the unit: 项目资金（万元）'),
  unit: z.enum(['万元', '元']).default('万元').describe('amounts are answered, stored and printed in this unit'),
  columns: z
    .array(
      z.object({
        id: z.enum(fundsColumnIds).describe('budget 年初预算数, adjusted 全年预算数/调整后预算数, arrived 实际到位数, spent 实际支出数/全年执行数'),
        label: z.string().min(1),
        optional: z.boolean().default(false).describe('may stay blank (printed blank, never as 0)'),
      }),
    )
    .min(1),
  rates: z.array(rateDefSchema).default([]),
  itemsSection: z.string().optional().describe('repeat section of line items (questions named after the columns); none: the total is the sum of the sources'),
  sourcesSection: z.string().optional().describe('repeat section of fund sources or kinds (a choice `source` and the columns)'),
  itemsLabel: z.string().default('项目支出明细内容'),
  totalLabel: z.string().default('合      计'),
  sourcesLead: z.string().default('其中：'),
  /** rates printed as columns of the table (each line's own rate) */
  show: z.array(z.string()).default(['executionRate']),
  /** a rate scored inside the funds block (the national form: 执行率 × 分值), by indicator id */
  scoredIndicator: z.string().optional().describe('id of the ratio indicator printed in the funds block (分值 | 执行率 | 得分)'),
});
export type FundsBlock = z.infer<typeof fundsBlockSchema>;

/** The blocks of the form (附件1), top to bottom. Labels come from here and from the questions they print. */
export const formBlockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('header'),
    /** rows of one or two answer paths; each printed as its question's label and the answer */
    rows: z.array(z.array(z.string()).min(1).max(2)).min(1),
    /** choice answers printed as every option with a tick: 经常性项目（√） 一次性项目（ ） */
    ticks: z.array(z.string()).default([]),
  }),
  z.object({ type: z.literal('funds') }),
  z.object({
    type: z.literal('goals'),
    label: z.string().default('年度总体目标'),
    planned: z.string().default('goals.planned'),
    achieved: z.string().default('goals.achieved'),
    columns: z.tuple([z.string(), z.string()]).default(['预期目标', '实际完成情况']),
  }),
  z.object({
    type: z.literal('indicators'),
    title: z.string().optional().describe('a heading row above the table: 二、绩效评价指标评分（参考）'),
    columns: z
      .array(
        z.object({
          field: z.enum(['level1', 'level1Weight', 'level2', 'level2Weight', 'name', 'target', 'actual', 'weight', 'score', 'reason']),
          label: z.string(),
          width: z.number().int().positive().describe('twips; all columns add up to 8840'),
        }),
      )
      .min(2),
    /** 一级 printed elsewhere (the national form's 执行率 sits in the funds block) */
    skipLevels: z.array(z.string()).default([]),
    totalLabel: z.string().default('总分'),
  }),
  z.object({ type: z.literal('grade'), label: z.string().default('评价等次') }),
  z.object({
    type: z.literal('text'),
    label: z.string(),
    answer: z.string(),
    /** written by the product when the answer is empty: the seed's 问题和建议 */
    generated: z.enum(['summary']).optional(),
  }),
  z.object({ type: z.literal('people'), label: z.string().default('评价人员') }),
  z.object({
    type: z.literal('signatures'),
    signers: z.array(z.string()).min(1).default(['填报人（签字）：', '评价组组长（签字）：', '评价部门负责人（签字并盖章）：']),
  }),
]);
export type FormBlock = z.infer<typeof formBlockSchema>;

export const formLayoutSchema = z.object({
  attachment: z.string().optional().describe('printed above the title: 附件1：'),
  yearLine: z.string().default('（{year}）年度').describe('under the title; {year} is the evaluation year'),
  blocks: z.array(formBlockSchema).min(1),
  note: z.string().optional().describe('printed under the table'),
});
export type FormLayout = z.infer<typeof formLayoutSchema>;

/** How the department's own indicators are answered and scored. Defaults are the seed's. */
export const indicatorRulesSchema = z.object({
  values: z
    .enum(['number', 'written'])
    .default('number')
    .describe('number: target and actual are numbers with a direction and unit asked apart; written: as on the form, "≥95%", "按时限完成"'),
  reverse: z.enum(['linear', 'ratio']).default('linear').describe('反向: linear (1 − (actual − target)/target) × 分值, 0 from 2 × target; ratio target/actual × 分值'),
  overThreshold: z.number().min(100).default(130).describe('actual at or above this % of the target needs a deviation note'),
  qualitative: z
    .array(z.object({ achievement: z.string(), min: z.number().min(0).max(100), max: z.number().min(0).max(100), default: z.number().min(0).max(100) }))
    .min(1)
    .default([
      { achievement: '达成', min: 80, max: 100, default: 100 },
      { achievement: '部分达成', min: 60, max: 80, default: 70 },
      { achievement: '未达成', min: 0, max: 60, default: 30 },
    ])
    .describe('定性 bands in % of the weight; default: the share given when no self-score is entered'),
  deviationLabel: z.string().default('扣分原因或偏差说明'),
});
export type IndicatorRules = z.infer<typeof indicatorRulesSchema>;

export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ratio'),
    rate: z.string().describe('a rate of the funds block'),
    /** proportional: rate × weight, capped at weight. banded: the points of the highest band reached. */
    mode: z.enum(['proportional', 'banded']).default('proportional'),
    bands: z.array(z.object({ min: z.number(), points: z.number() })).optional(),
  }),
  z.object({ kind: z.literal('qualitative') }),
  z.object({ kind: z.literal('direct') }),
  z.object({ kind: z.literal('target') }),
]);
export type Rule = z.infer<typeof ruleSchema>;

export const level3Schema = z.object({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  name: z.string(),
  weight: z.number().positive(),
  rule: ruleSchema,
  help: z.string().optional().describe('the scoring standard, shown when asking for the score'),
  reasonFrom: z.string().optional().describe('answer path whose text is this indicator\'s reason (the national form: funds.executionNote for 执行率)'),
});
export type Level3 = z.infer<typeof level3Schema>;

export const level2Schema = z.object({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  name: z.string(),
  /** fixed by the form (the seed); absent where the form fixes only the 一级 weight and the department splits it */
  weight: z.number().positive().optional(),
  /** problem-list category (problemCategories[].id) for points lost here */
  category: z.string(),
  /** fixed third-level indicators… */
  children: z.array(level3Schema).optional(),
  /** …or ones the department defines per project (answers at `ind.<id>[<i>].…`) */
  custom: z
    .object({ min: z.number().int().min(0).default(1), max: z.number().int().min(1).default(6), placeholder: z.string().optional() })
    .optional(),
});
export type Level2 = z.infer<typeof level2Schema>;

export const level1Schema = z.object({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  name: z.string(),
  /** fixed by the form (the national form: 产出 50); absent where it is the sum of fixed 二级 weights (the seed) */
  weight: z.number().positive().optional(),
  /** false: the form prints no per-row weights, only this level's; its rows share the weight equally */
  rowWeights: z.boolean().default(true),
  children: z.array(level2Schema).min(1),
});
export type Level1 = z.infer<typeof level1Schema>;

export const templateSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9-]+$/, '只能用小写字母、数字和连字符'),
    version: z.number().int().min(1),
    title: z.string().min(1).describe('the form title, e.g. 五华区区级预算支出部门评价表'),
    year: z.number().int().min(2000).max(2100),
    authority: z.string().min(1).describe('issuing authority'),
    sources: z
      .array(z.object({ id: z.string(), label: z.string() }))
      .min(1)
      .describe('funding sources, in the order the form prints them'),
    sections: z.array(sectionSchema).min(1),
    funds: fundsBlockSchema.optional(),
    indicatorRules: indicatorRulesSchema.default(indicatorRulesSchema.parse({})),
    indicators: z.array(level1Schema).min(1),
    grades: z
      .array(z.object({ grade: z.string(), min: z.number().min(0).max(100) }))
      .min(1)
      .describe('highest first; a total at or above min gets the grade'),
    gradeLegend: z.string(),
    problemCategories: z.array(z.object({ id: z.string(), label: z.string() })).min(1),
    checks: z
      .object({
        explainExecutionBelow: z.number().default(90),
        outputPlusOutcomeMin: z.number().default(60),
        outputLevels: z.array(z.string()).default(['output', 'outcome']),
        executionNote: z.string().default('funds.executionNote').describe('answer path of the reason for a low 执行率'),
        statedTotal: z.string().optional().describe('answer path of the 总分 the form states, compared with the rows'),
        statedGrade: z.string().optional().describe('answer path of the 等次 the form states'),
      })
      .default({ explainExecutionBelow: 90, outputPlusOutcomeMin: 60, outputLevels: ['output', 'outcome'], executionNote: 'funds.executionNote' }),
    formNote: z.string().optional(),
    form: formLayoutSchema.optional().describe('the form\'s blocks; without it the seed\'s 评价表 layout'),
    documents: z
      .array(z.enum(['form', 'report', 'problems']))
      .min(1)
      .default(['form', 'report', 'problems'])
      .describe('what 生成报告 produces: the form (附件1), the report (附件2, laid out by `report`), the problem list (附件3)'),
    report: reportOutlineSchema.optional().describe('the report\'s outline: its parts, headings and what fills them'),
  })
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.sections.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sections', i, 'id'], message: `部分编号“${s.id}”重复` });
      ids.add(s.id);
      s.questions.forEach((q, j) => {
        if (q.kind === 'choice' && !q.options?.length)
          ctx.addIssue({ code: 'custom', path: ['sections', i, 'questions', j, 'options'], message: '选择题必须列出选项' });
      });
    });
    const cats = new Set(t.problemCategories.map((c) => c.id));
    const indIds = new Set<string>();
    t.indicators.forEach((l1, i) =>
      l1.children.forEach((l2, j) => {
        if (!cats.has(l2.category))
          ctx.addIssue({
            code: 'custom',
            path: ['indicators', i, 'children', j, 'category'],
            message: `问题类别“${l2.category}”不在 problemCategories 里`,
          });
        if (!l2.children?.length && !l2.custom)
          ctx.addIssue({
            code: 'custom',
            path: ['indicators', i, 'children', j],
            message: '二级指标要么列出三级指标（children），要么允许单位自设（custom）',
          });
        for (const id of [l2.id, ...(l2.children ?? []).map((c) => c.id)]) {
          if (indIds.has(id))
            ctx.addIssue({ code: 'custom', path: ['indicators', i, 'children', j], message: `指标编号“${id}”重复` });
          indIds.add(id);
        }
      }),
    );
    const rates = new Set((t.funds?.rates ?? []).map((r) => r.id));
    if (!t.funds) for (const r of rateIds) rates.add(r);
    t.indicators.forEach((l1, i) =>
      l1.children.forEach((l2, j) =>
        (l2.children ?? []).forEach((l3, k) => {
          if (l3.rule.kind === 'ratio' && !rates.has(l3.rule.rate))
            ctx.addIssue({ code: 'custom', path: ['indicators', i, 'children', j, 'children', k, 'rule', 'rate'], message: `比率“${l3.rule.rate}”不在资金表的 rates 里` });
        }),
      ),
    );
    t.sections.forEach((s, i) =>
      s.questions.forEach((q, j) => {
        if (q.when && 'rate' in q.when && !rates.has(q.when.rate))
          ctx.addIssue({ code: 'custom', path: ['sections', i, 'questions', j, 'when', 'rate'], message: `比率“${q.when.rate}”不在资金表的 rates 里` });
      }),
    );
    if (t.funds) {
      const cols = new Set(t.funds.columns.map((c) => c.id));
      t.funds.rates.forEach((r, i) => {
        for (const end of ['numerator', 'denominator'] as const)
          if (!cols.has(r[end])) ctx.addIssue({ code: 'custom', path: ['funds', 'rates', i, end], message: `资金表没有“${r[end]}”这一列` });
      });
      for (const key of ['itemsSection', 'sourcesSection'] as const) {
        const id = t.funds[key];
        const sec = id ? t.sections.find((s) => s.id === id) : undefined;
        if (id && !sec?.repeat) ctx.addIssue({ code: 'custom', path: ['funds', key], message: `“${id}”应是一个可重复的部分（repeat）` });
      }
    }
    outlineIssues(t).forEach((w) => ctx.addIssue({ code: 'custom', path: w.path, message: w.message }));
    weightIssues(t).forEach((w) => ctx.addIssue({ code: 'custom', path: w.path, message: w.message }));
    for (let i = 1; i < t.grades.length; i++)
      if (t.grades[i].min >= t.grades[i - 1].min)
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'min'], message: '等次要从高到低排列' });
  });
export type Template = z.infer<typeof templateSchema>;

/** The report's outline and the questions' defaults name answers that exist; a report needs an outline. */
function outlineIssues(t: {
  sections: { id: string; repeat?: unknown; questions: { id: string; kind: string; default?: string }[] }[];
  documents: string[];
  report?: z.infer<typeof reportOutlineSchema>;
}): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const single = new Map<string, string>();
  for (const s of t.sections) if (!s.repeat) for (const q of s.questions) single.set(`${s.id}.${q.id}`, q.kind);
  const unknown = (path: string) => `“${path}”不是模板里的问题（只能引用不重复部分的问题）`;
  t.sections.forEach((s, i) =>
    s.questions.forEach((q, j) => {
      if (q.default === undefined) return;
      const where = ['sections', i, 'questions', j, 'default'];
      if (q.kind !== 'text' && q.kind !== 'longText') out.push({ path: where, message: '只有文字题（text、longText）可以有默认文字' });
      for (const m of q.default.matchAll(placeholder)) if (!single.has(m[1])) out.push({ path: where, message: unknown(m[1]) });
    }),
  );
  if (t.documents.includes('report') && !t.report)
    out.push({ path: ['report'], message: 'documents 里有 report（绩效评价报告），但没有写报告提纲 report；不出报告就从 documents 里去掉 report' });
  if (t.report) for (const p of outlinePaths(t.report)) if (!single.has(p.path)) out.push({ path: p.where, message: unknown(p.path) });
  return out;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);
const sum = (ns: number[]) => Math.round(ns.reduce((a, b) => a + b * 100, 0)) / 100;

/** Weights that do not add up, each with where: 三级 under a fixed 二级, 二级 under a fixed 一级, all to 100. */
function weightIssues(t: {
  indicators: { name: string; weight?: number; rowWeights?: boolean; children: { name: string; weight?: number; children?: { weight: number }[] }[] }[];
}): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  let total = 0;
  t.indicators.forEach((l1, i) => {
    l1.children.forEach((l2, j) => {
      if (l2.weight === undefined && l1.weight === undefined)
        out.push({ path: ['indicators', i, 'children', j, 'weight'], message: `二级指标“${l2.name}”没有分值，其一级指标“${l1.name}”也没有：至少一级要写分值` });
      if (l2.weight !== undefined && l2.children?.length) {
        const s = sum(l2.children.map((c) => c.weight));
        if (s !== l2.weight)
          out.push({ path: ['indicators', i, 'children', j, 'children'], message: `二级指标“${l2.name}”分值${fmt(l2.weight)}，其下三级指标合计${fmt(s)}，应相等` });
      }
    });
    const fixed = l1.children.filter((c) => c.weight !== undefined);
    const l2Sum = sum(fixed.map((c) => c.weight!));
    if (l1.weight !== undefined && fixed.length === l1.children.length && l2Sum !== l1.weight)
      out.push({ path: ['indicators', i, 'weight'], message: `一级指标“${l1.name}”分值${fmt(l1.weight)}，其下二级指标合计${fmt(l2Sum)}，应相等` });
    if (l1.weight !== undefined && fixed.length < l1.children.length && l2Sum > l1.weight)
      out.push({ path: ['indicators', i, 'weight'], message: `一级指标“${l1.name}”分值${fmt(l1.weight)}，其下已定的二级指标就有${fmt(l2Sum)}分` });
    total += (l1.weight ?? l2Sum) * 100;
  });
  total = Math.round(total) / 100;
  if (total !== 100) {
    const parts = t.indicators.map((l1) => `${l1.name}${fmt(l1.weight ?? sum(l1.children.map((c) => c.weight ?? 0)))}`).join('+');
    out.push({ path: ['indicators'], message: `一级指标分值合计${fmt(total)}（${parts}），应为100` });
  }
  return out;
}
export type TemplateInput = z.input<typeof templateSchema>;

/** One line per problem: `sections.2.questions.0.kind: 无效的选项`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(根)'}: ${i.message}`);
}

export function templateJsonSchema(): unknown {
  return z.toJSONSchema(templateSchema, { io: 'input', unrepresentable: 'any' });
}
