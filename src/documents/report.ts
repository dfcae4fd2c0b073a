// 附件2 绩效评价报告: a cover page, then the parts of the template's outline (the
// seed's 一 to 八), laid out by reportBody.ts. Reviewer warnings are for the chat, not here.
import { type Paragraph, SectionType, type Table } from 'docx';
import type { Assessment } from '../domain/evaluate';
import { type Answers, str } from '../domain/answers';
import { type ReportCover, fillPlaceholders } from '../domain/outline';
import type { Template } from '../domain/template';
import { reportBody } from './reportBody';
import {
  fonts,
  plainParagraph,
  sectionProperties,
  sizes,
  titleParagraph,
  draftParagraphs,
} from './styles';
import type { DocxSpec } from './pack';
import { type GridRow, gridTable, textCell } from './table';
import { clean, type Evaluator, projectFacts, projectStem } from './text';

type Block = Paragraph | Table;

type Team = NonNullable<ReportCover['team']>;

/** The seat of each 评价小组 row (the template's seats, e.g. 组长, 副组长 ×2, 成员 ×2), filled by role in order; extra people get rows of their own. */
export function evaluatorSeats(people: Evaluator[], team: Team): { role: string; person?: Evaluator }[] {
  const seats: { role: string; person?: Evaluator }[] = team.seats.map((role) => ({ role }));
  const fallback = team.seats[team.seats.length - 1];
  for (const p of people) {
    const role = p.role || fallback;
    const free = seats.find((s) => s.role === role && !s.person);
    if (free) free.person = p;
    else seats.push({ role, person: p });
  }
  const order = [...new Set(team.seats)];
  const rank = (r: string) => (order.includes(r) ? order.indexOf(r) : order.length);
  return seats.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s.role) - rank(b.s.role) || a.i - b.i).map((x) => x.s);
}

/** The cover's spacing: the seed's for up to five seats; tighter with more, so the cover stays one page. */
function coverSpacing(seats: number): { gap: number; row: number; size: number; fact: number } {
  if (seats <= 5) return { gap: 900, row: 560, size: sizes.si, fact: 560 };
  // 900 + 900 of gaps and 6 × 560 of rows fit; with more seats the gaps shrink, then the rows, and the text is 小四 so no cell wraps
  return { gap: 200, row: Math.max(400, Math.floor(4560 / (seats + 1))), size: sizes.xiaosi, fact: 480 };
}

function coverTeamTable(people: Evaluator[], team: Team): Table {
  const w = [2400, 1500, 1500, 2000, 1440];
  const seats = evaluatorSeats(people, team);
  const { row, size } = coverSpacing(seats.length);
  // many seats: an exact line pitch, so a row is as tall as asked and no taller
  const style = seats.length > 5 ? { size, line: 300, exact: true } : { size };
  const rows: GridRow[] = [
    { cells: team.columns.map((t, i) => textCell(w[i], t, style)), minHeight: row },
    ...seats.map((s) => ({
      cells: [s.role, s.person?.name, s.person?.title, s.person?.unit, ''].map((t, i) => textCell(w[i], t, style)),
      minHeight: row,
    })),
  ];
  return gridTable(rows, { width: w.reduce((a, b) => a + b, 0) });
}

/** The cover as the template lays it out (report.cover): its wording is the template's, the values the project's. */
function cover(answers: Answers, year: number, attachment: string, layout: ReportCover): Block[] {
  const f = projectFacts(answers);
  const spacing = coverSpacing(layout.team ? evaluatorSeats(f.evaluators, layout.team).length : 0);
  const { gap } = spacing;
  const values = { nameStem: projectStem(f.name), year: String(year) };
  const titles = layout.title.map((line, i) =>
    titleParagraph(
      fillPlaceholders(line, (path) => clean(str(answers[path]) ?? ''), values),
      { before: i === 0 ? gap : 120, ...(i === layout.title.length - 1 ? { after: gap } : {}) },
    ),
  );
  const fact = (label: string, value: string) => plainParagraph(`${label}：${value}`, { line: spacing.fact });
  return [
    plainParagraph(attachment, { font: fonts.heiti }),
    ...titles,
    ...layout.facts.map((x) => fact(x.label, f[x.fact])),
    ...(layout.team ? [fact(layout.team.label, ''), coverTeamTable(f.evaluators, layout.team)] : []),
  ];
}

export function reportDocument(t: Template, answers: Answers, a: Assessment, year: number, draft?: string): DocxSpec {
  const outline = t.report;
  // the schema refuses a template that lists the report without an outline
  if (!outline) throw new Error(`模板 ${t.id} 没有报告提纲（report）`);
  const f = projectFacts(answers);
  return {
    title: `${f.unit}${projectStem(f.name)}项目支出绩效评价报告（${year}年度）`,
    sections: [
      // The cover carries no page number; the body starts at page 1 on a new page.
      { properties: sectionProperties(), pageNumbers: false, children: [...draftParagraphs(draft), ...cover(answers, year, outline.attachment, outline.cover)] },
      {
        properties: sectionProperties({ type: SectionType.NEXT_PAGE, page: { ...sectionProperties().page, pageNumbers: { start: 1 } } }),
        pageNumbers: true,
        children: reportBody(t, outline, answers, a),
      },
    ],
  };
}
