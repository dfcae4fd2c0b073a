// The evaluation template: what is asked, how it is scored, how it is graded.
// Templates are data (templates/<id>/template.json); this zod schema is the one
// place that says what a template may contain. `npm run schema` writes it out as
// JSON Schema so that template authors get completion and errors in their editor.
import { z } from 'zod';

/** Kinds of answer a question can take; each has a parser in ./parse. */
export const questionKinds = [
  'text', // one line
  'longText', // paragraphs, line breaks kept
  'money', // 万元
  'percent', // 75.15 means 75.15%
  'date', // YYYY-MM-DD
  'choice', // one of `options`
  'count', // whole number, Chinese numerals accepted
  'number', // any decimal number (targets and actuals of indicators)
  'score', // 0..weight, two decimals
  'phone',
  'year',
] as const;
export type QuestionKind = (typeof questionKinds)[number];

/** When a question is asked. Rates are percentages (75.15), computed from the funds table. */
export const conditionSchema = z.union([
  z.object({
    rate: z.enum(['arrivalRate', 'executionRate', 'spendRate']).describe('a rate computed from the funds table'),
    below: z.number().describe('asked when the rate is below this percentage'),
  }),
  z.object({
    answer: z.string().describe('path of another answer, in the same repeat item when it starts with "."'),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    in: z.array(z.union([z.string(), z.number()])).optional(),
    present: z.boolean().optional(),
    below: z.number().optional().describe('asked when that answer is a number below this'),
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
  carryOver: z.boolean().optional().describe('the answer usually stays the same from year to year: offered from last year\'s evaluation (沿用)'),
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

export const rateIds = ['arrivalRate', 'executionRate', 'spendRate'] as const;
export type RateId = (typeof rateIds)[number];

export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ratio'),
    rate: z.enum(rateIds),
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
      })
      .default({ explainExecutionBelow: 90, outputPlusOutcomeMin: 60, outputLevels: ['output', 'outcome'] }),
    formNote: z.string().optional(),
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
    weightIssues(t).forEach((w) => ctx.addIssue({ code: 'custom', path: w.path, message: w.message }));
    for (let i = 1; i < t.grades.length; i++)
      if (t.grades[i].min >= t.grades[i - 1].min)
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'min'], message: '等次要从高到低排列' });
  });
export type Template = z.infer<typeof templateSchema>;

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
