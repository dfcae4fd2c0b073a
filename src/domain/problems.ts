// 附件3: every indicator that lost points becomes a problem in its category, with
// the implementing unit responsible and what fell short by how much. Problems
// added by hand are kept beside them.
import { type Answers, type ManualProblem, str } from './answers';
import { formatScore } from './decimal';
import { type Funds, formatRate } from './funds';
import type { Scores, ScoredIndicator } from './scoring';
import type { Template } from './template';

export interface Problem {
  category: string; // problemCategories[].id
  categoryLabel: string;
  unit: string;
  description: string;
  source: 'scores' | 'manual';
  indicatorId?: string;
}

const pts = (h: number) => `${formatScore(h)}分`;

function describe(i: ScoredIndicator, template: Template, funds: Funds): string {
  if (i.rule === 'ratio') {
    const l3 = template.indicators.flatMap((l1) => l1.children.flatMap((l2) => l2.children ?? [])).find((x) => x.id === i.id);
    const rate = l3 && l3.rule.kind === 'ratio' ? funds.rates[l3.rule.rate] : undefined;
    return `${i.name}未达到100%${rate ? `（${rate.definition}=${formatRate(rate)}）` : ''}，扣${pts(i.lost)}`;
  }
  if (i.rule === 'target' && i.target !== undefined && i.actual !== undefined) {
    const u = i.unit ?? '';
    // as written on the form where it writes values ("≥8座"), else the number and its unit
    const figures = `目标${i.targetText ?? `${i.target}${u}`}，实际${i.actualText ?? `${i.actual}${u}`}`;
    // the rule gave full marks: the target was met and the points went by self-score
    if (i.ruleScore === i.weight)
      return `${i.name}已达到目标值（${figures}），自评扣${pts(i.lost)}${i.reason ? `：${i.reason}` : ''}`;
    return `${i.name}未达到目标值（${figures}），扣${pts(i.lost)}`;
  }
  return `${i.name}未得满分，扣${pts(i.lost)}${i.reason ? `：${i.reason}` : ''}`;
}

export function problemsOf(
  template: Template,
  answers: Answers,
  funds: Funds,
  scores: Scores,
  manual: ManualProblem[],
): Problem[] {
  const unit = str(answers['project.unit']) ?? '';
  const label = (id: string) => template.problemCategories.find((c) => c.id === id)?.label ?? id;
  const derived: Problem[] = scores.indicators
    .filter((i) => i.scored && i.lost > 0)
    .map((i) => ({
      category: i.level2.category,
      categoryLabel: label(i.level2.category),
      unit,
      description: describe(i, template, funds),
      source: 'scores',
      indicatorId: i.id,
    }));
  const added: Problem[] = manual.map((p) => {
    const cat = template.problemCategories.find((c) => c.id === p.category || c.label === p.category || c.label.startsWith(p.category));
    return {
      category: cat?.id ?? 'other',
      categoryLabel: cat?.label ?? label('other'),
      unit: p.unit ?? unit,
      description: p.description,
      source: 'manual',
    };
  });
  // keep the template's category order, derived before manual within a category
  const order = (p: Problem) => template.problemCategories.findIndex((c) => c.id === p.category);
  return [...derived, ...added].sort((a, b) => order(a) - order(b));
}
