// 附件2 绩效评价报告: a cover page, then parts 一 to 八 in the seed's order and
// numbering. The people's narrative goes where it belongs; the figures and the
// analysis come from reportText.ts. Reviewer warnings are for the chat, not here.
import { Document, type Paragraph, SectionType, type Table } from 'docx';
import { type Answers, str } from '../domain/answers';
import type { Assessment } from '../domain/evaluate';
import type { Template } from '../domain/template';
import {
  analysisParagraphs,
  conclusionParagraph,
  defaultProblemParagraphs,
  defaultSuggestionParagraphs,
  fundsParagraphs,
  indicatorAnalysis,
  noOtherIssues,
} from './reportText';
import { standardWorkText } from './reportStandard';
import {
  bodyParagraph,
  documentStyles,
  fonts,
  heading,
  pageNumberFooters,
  plainParagraph,
  sectionProperties,
  sizes,
  titleParagraph,
} from './styles';
import { type GridRow, gridTable, textCell } from './table';
import { type Evaluator, chineseNumber, paragraphsOf, projectFacts, projectStem } from './text';

type Block = Paragraph | Table;

const body = (texts: string[]): Paragraph[] => texts.map((t) => bodyParagraph(t));
const answer = (answers: Answers, path: string): string[] => paragraphsOf(str(answers[path]));

/** The seat of each 评价小组 row: 组长, 副组长 ×2, 成员 ×2, filled by role in order; extra people get rows of their own. */
export function evaluatorSeats(people: Evaluator[]): { role: string; person?: Evaluator }[] {
  const seats: { role: string; person?: Evaluator }[] = ['组长', '副组长', '副组长', '成员', '成员'].map((role) => ({ role }));
  for (const p of people) {
    const role = p.role || '成员';
    const free = seats.find((s) => s.role === role && !s.person);
    if (free) free.person = p;
    else seats.push({ role, person: p });
  }
  const order = ['组长', '副组长', '成员'];
  const rank = (r: string) => (order.includes(r) ? order.indexOf(r) : order.length);
  return seats.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s.role) - rank(b.s.role) || a.i - b.i).map((x) => x.s);
}

/** The cover's spacing: the seed's for up to five seats; tighter with more, so the cover stays one page. */
function coverSpacing(seats: number): { gap: number; row: number; size: number; fact: number } {
  if (seats <= 5) return { gap: 900, row: 560, size: sizes.si, fact: 560 };
  // 900 + 900 of gaps and 6 × 560 of rows fit; with more seats the gaps shrink, then the rows, and the text is 小四 so no cell wraps
  return { gap: 200, row: Math.max(400, Math.floor(4560 / (seats + 1))), size: sizes.xiaosi, fact: 480 };
}

function coverTeamTable(people: Evaluator[]): Table {
  const w = [2400, 1500, 1500, 2000, 1440];
  const seats = evaluatorSeats(people);
  const { row, size } = coverSpacing(seats.length);
  // many seats: an exact line pitch, so a row is as tall as asked and no taller
  const style = seats.length > 5 ? { size, line: 300, exact: true } : { size };
  const rows: GridRow[] = [
    { cells: ['评价小组机构职位', '姓名', '职务', '所属处室', '签字'].map((t, i) => textCell(w[i], t, style)), minHeight: row },
    ...seats.map((s) => ({
      cells: [s.role, s.person?.name, s.person?.title, s.person?.unit, ''].map((t, i) => textCell(w[i], t, style)),
      minHeight: row,
    })),
  ];
  return gridTable(rows, { width: w.reduce((a, b) => a + b, 0) });
}

function cover(answers: Answers, year: number): Block[] {
  const f = projectFacts(answers);
  const spacing = coverSpacing(evaluatorSeats(f.evaluators).length);
  const { gap } = spacing;
  const fact = (label: string, value: string) => plainParagraph(`${label}：${value}`, { line: spacing.fact });
  return [
    plainParagraph('附件2：', { font: fonts.heiti }),
    titleParagraph(f.unit, { before: gap }),
    titleParagraph(`${projectStem(f.name)}项目支出`, { before: 120 }),
    titleParagraph('绩效评价报告', { before: 120 }),
    titleParagraph(`（${year}年度）`, { before: 120, after: gap }),
    fact('部门名称（公章）', f.unitFullName),
    fact('项目单位', f.unitFullName),
    fact('主管部门', f.department),
    fact('项目名称', f.name),
    fact('绩效自评日期', f.selfEvalDate),
    fact('评价小组成员', ''),
    coverTeamTable(f.evaluators),
  ];
}

/** The heading number that follows the numbered lines of an answer ("3.项目组织实施：" → 4). */
function nextNumber(lines: string[]): number | undefined {
  let max = 0;
  for (const l of lines) {
    const m = /^(\d{1,2})[.、．]/.exec(l);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max ? max + 1 : undefined;
}

function partOne(answers: Answers, a: Assessment): Block[] {
  const organization = answer(answers, 'implementation.organization');
  const n = nextNumber(organization);
  return [
    heading('一、项目基本情况', 1),
    heading('（一）项目立项背景', 2),
    heading('1.单位基本情况', 3),
    ...body(answer(answers, 'background.unitInfo')),
    heading('2.单位职能', 3),
    ...body(answer(answers, 'background.functions')),
    heading('（二）项目立项依据', 2),
    ...body(answer(answers, 'background.basis')),
    heading('（三）项目实施内容', 2),
    ...body(answer(answers, 'background.content')),
    heading('（四）资金投入和使用情况', 2),
    ...body(fundsParagraphs(a.funds, answers)),
    heading('（五）项目完成情况', 2),
    ...body(answer(answers, 'implementation.completion')),
    heading('（六）项目的组织及管理', 2),
    ...body(organization),
    heading(`${n ? `${n}.` : ''}制度建设情况`, 3),
    ...body(answer(answers, 'implementation.systems')),
  ];
}

function partTwo(answers: Answers): Block[] {
  const unit = projectFacts(answers).unit;
  return [
    heading('二、绩效评价工作情况', 1),
    ...standardWorkText(unit).flatMap((b) => [...(b.heading ? [heading(b.heading.text, b.heading.level)] : []), ...body(b.paragraphs)]),
  ];
}

function partsThreeToEight(t: Template, answers: Answers, a: Assessment): Block[] {
  const orDefault = (path: string, fallback: string[]) => {
    const given = answer(answers, path);
    return body(given.length ? given : fallback);
  };
  return [
    heading('三、评价结论和绩效分析', 1),
    heading('评价结论', 2),
    bodyParagraph(conclusionParagraph(a)),
    heading('绩效分析', 2),
    ...body(analysisParagraphs(t, a)),
    heading('四、绩效评价指标分析', 1),
    ...indicatorAnalysis(t, a).flatMap((level, i) => [heading(`（${chineseNumber(i + 1)}）${level.title}`, 2), ...body(level.paragraphs)]),
    heading('五、项目主要经验及做法', 1),
    ...body(answer(answers, 'conclusion.experience')),
    heading('六、存在的问题及原因分析', 1),
    ...orDefault('conclusion.problems', defaultProblemParagraphs(a)),
    heading('七、有关建议', 1),
    ...orDefault('conclusion.suggestions', defaultSuggestionParagraphs(a)),
    heading('八、其他需要说明的问题', 1),
    ...orDefault('conclusion.other', [noOtherIssues]),
  ];
}

export function reportDocument(t: Template, answers: Answers, a: Assessment, year: number): Document {
  const f = projectFacts(answers);
  return new Document({
    creator: '绩效自评助手',
    title: `${f.unit}${projectStem(f.name)}项目支出绩效评价报告（${year}年度）`,
    styles: documentStyles,
    evenAndOddHeaderAndFooters: true,
    sections: [
      // The cover carries no page number; the body starts at page 1 on a new page.
      { properties: sectionProperties(), children: cover(answers, year) },
      {
        properties: sectionProperties({ type: SectionType.NEXT_PAGE, page: { ...sectionProperties().page, pageNumbers: { start: 1 } } }),
        footers: pageNumberFooters(),
        children: [...partOne(answers, a), ...partTwo(answers), ...partsThreeToEight(t, answers, a)],
      },
    ],
  });
}
