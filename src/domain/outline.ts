// The outline of a template's report (附件2): its parts in order, each with its
// headings and what fills them — the people's answers, the template's own wording,
// or what the product computes. The seed's eight parts are written this way in
// templates/wuhua-2024/template.json; a template with no report declares none.
import { z } from 'zod';

/** What the product writes itself, from the funds table, the scores and the problems. */
export const computedContents = [
  'funds', // （四）资金投入和使用情况: budget, breakdown, arrived, spent, the rates, then funds.executionNote
  'conclusion', // 评价结论: totals by level and the grade
  'analysis', // 绩效分析: each lost point and why
  'indicators', // 四、绩效评价指标分析: one （一）… heading per 一级, one paragraph per 二级
  'problems', // 六、存在的问题及原因分析, from the points lost
  'suggestions', // 七、有关建议, one per problem category
] as const;
export type ComputedContent = (typeof computedContents)[number];

const answerPath = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, '应是“部分编号.问题编号”，如 conclusion.other');

export const outlineBlockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('heading'),
    text: z.string().min(1).describe('as printed, numbering included: （一）项目立项背景, 1.单位基本情况'),
    level: z.union([z.literal(2), z.literal(3)]).describe('2: （一） in 楷体; 3: 1. in 仿宋'),
    numberAfter: answerPath
      .optional()
      .describe('number the heading after the numbered lines of this answer ("3.项目组织实施：" → "4.制度建设情况"); no number when it has none'),
  }),
  z.object({
    type: z.literal('answer'),
    answer: answerPath.describe('its paragraphs as written; unanswered, the question\'s default'),
    otherwise: z.array(z.string()).optional().describe('printed when neither the answer nor a default is there'),
  }),
  z.object({
    type: z.literal('text'),
    paragraphs: z.array(z.string()).min(1).describe('the template\'s own wording; {project.unit|本单位} puts in an answer, or the text after | when it is empty'),
  }),
  z.object({
    type: z.literal('computed'),
    content: z.enum(computedContents),
    answer: answerPath.optional().describe('when this answer is given it is printed instead'),
  }),
]);
export type OutlineBlock = z.infer<typeof outlineBlockSchema>;

export const reportPartSchema = z.object({
  title: z.string().min(1).describe('the part\'s heading (一级, 黑体): 一、项目基本情况'),
  blocks: z.array(outlineBlockSchema).default([]),
});
export type ReportPart = z.infer<typeof reportPartSchema>;

/** What the cover can print beside a label: the project's facts as the documents read them (unitFullName falls back to unit, the date in 年月日). */
export const coverFacts = ['unitFullName', 'unit', 'department', 'name', 'leader', 'phone', 'type', 'selfEvalDate'] as const;
export type CoverFact = (typeof coverFacts)[number];

export const reportCoverSchema = z.object({
  title: z
    .array(z.string().min(1))
    .min(1)
    .describe('the title lines, centred in 小标宋; {project.unit} puts in an answer (as in text blocks), {nameStem} the project name without a final 项目, {year} the year'),
  facts: z
    .array(z.object({ label: z.string().min(1), fact: z.enum(coverFacts) }))
    .describe('the "label：value" lines under the title, in order'),
  team: z
    .object({
      label: z.string().min(1).describe('printed above the table: 评价小组成员'),
      columns: z
        .tuple([z.string(), z.string(), z.string(), z.string(), z.string()])
        .describe('headings of the five columns: the seat (the evaluator\'s role), name, title, unit, signature'),
      seats: z
        .array(z.string().min(1))
        .min(1)
        .describe('the rows printed even when empty, by role, in order; evaluators fill the first free seat of their role, extra ones get rows of their own'),
    })
    .optional()
    .describe('the 评价小组 table under the facts; without it there is none'),
});
export type ReportCover = z.infer<typeof reportCoverSchema>;

/** The seed's cover (附件2 of the 五华区 document set): what a template with no `cover` prints. */
export const seedCover: ReportCover = {
  title: ['{project.unit}', '{nameStem}项目支出', '绩效评价报告', '（{year}年度）'],
  facts: [
    { label: '部门名称（公章）', fact: 'unitFullName' },
    { label: '项目单位', fact: 'unitFullName' },
    { label: '主管部门', fact: 'department' },
    { label: '项目名称', fact: 'name' },
    { label: '绩效自评日期', fact: 'selfEvalDate' },
  ],
  team: { label: '评价小组成员', columns: ['评价小组机构职位', '姓名', '职务', '所属处室', '签字'], seats: ['组长', '副组长', '副组长', '成员', '成员'] },
};

export const reportOutlineSchema = z.object({
  attachment: z.string().default('附件2：').describe('printed above the cover\'s title'),
  cover: reportCoverSchema.default(seedCover).describe('the cover page: title lines, the facts under it and the 评价小组 table'),
  parts: z.array(reportPartSchema).min(1),
});
export type ReportOutline = z.infer<typeof reportOutlineSchema>;

/** "{project.unit|本单位}" and "{project.unit}" in a template's wording: the answer paths it names. */
export const placeholder = /\{([A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*)(?:\|([^{}]*))?\}/g;

/** "{year}": a value the product gives where the wording allows it (the report cover's year and project stem). */
const namedValue = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The template's wording with its placeholders filled from the answers, and from `values` where it names one. */
export function fillPlaceholders(text: string, answer: (path: string) => string | undefined, values: Record<string, string> = {}): string {
  return text
    .replace(placeholder, (_, path: string, fallback?: string) => {
      const v = answer(path)?.trim();
      return v ? v : (fallback ?? '');
    })
    .replace(namedValue, (whole, name: string) => values[name] ?? whole);
}

/** Every answer path an outline names (answer blocks, numberAfter, computed overrides, placeholders). */
export function outlinePaths(outline: ReportOutline): { path: string; where: (string | number)[] }[] {
  const out: { path: string; where: (string | number)[] }[] = [];
  outline.parts.forEach((p, i) =>
    p.blocks.forEach((b, j) => {
      const where = ['report', 'parts', i, 'blocks', j];
      if (b.type === 'heading' && b.numberAfter) out.push({ path: b.numberAfter, where: [...where, 'numberAfter'] });
      if ((b.type === 'answer' || b.type === 'computed') && b.answer) out.push({ path: b.answer, where: [...where, 'answer'] });
      if (b.type === 'text') for (const t of b.paragraphs) for (const m of t.matchAll(placeholder)) out.push({ path: m[1], where: [...where, 'paragraphs'] });
    }),
  );
  outline.cover.title.forEach((t, i) => {
    for (const m of t.matchAll(placeholder)) out.push({ path: m[1], where: ['report', 'cover', 'title', i] });
  });
  return out;
}
