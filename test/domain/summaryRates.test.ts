// The leaders' total 执行率 takes what each evaluation's own form divides: 支出/到位
// on the seed's form, 全年执行数/全年预算数 on the national one (which has no 到位
// column). Worked out by hand from the two examples.
import { describe, expect, it } from 'vitest';
import { answerFacts } from '../../src/domain/evaluationFacts';
import { examples, findTemplate } from '../../src/domain/registry';
import { type EvaluationFacts, buildSummary } from '../../src/domain/summary';
import { summaryCard } from '../../src/summary/card';
import { decodeFacts, encodeFacts } from '../../src/summary/load';

function facts(templateId: string, id: number): EvaluationFacts {
  const t = findTemplate(templateId)!;
  const x = examples[templateId];
  return {
    ...answerFacts(t, x.answers, { scored: true }),
    id,
    projectName: String(x.answers['project.name']),
    year: x.year,
    templateId,
    chatId: `oc_${id}`,
    status: 'generated',
    assignments: [],
  };
}

const cardText = (s: ReturnType<typeof buildSummary>) => JSON.stringify(summaryCard(s));

describe('the summary\'s 执行率 across forms', () => {
  it('national only: 全年执行数 450 / 全年预算数 540 = 83.33%, labelled 执行/预算', () => {
    const s = buildSummary([facts('national-2024', 1)], {}, '2025-06-01');
    expect(s.rows[0].executionRate).toBe(8333);
    expect(s.executionRate).toBe(8333);
    expect(cardText(s)).toContain('预算执行率（执行/预算）83.33%');
  });

  it('seed only: 129.94 / 172.91 = 75.15%, labelled 支出/到位 as before', () => {
    const s = buildSummary([facts('wuhua-2024', 1)], {}, '2025-06-01');
    expect(s.executionRate).toBe(7515);
    expect(cardText(s)).toContain('预算执行率（支出/到位）75.15%');
  });

  it('both: (129.94 + 450) / (172.91 + 540) = 81.35%, said to follow each form', () => {
    const s = buildSummary([facts('wuhua-2024', 1), facts('national-2024', 2)], {}, '2025-06-01');
    expect(s.executionRate).toBe(8135);
    expect(cardText(s)).toContain('预算执行率（各表口径）81.35%');
  });

  it('what the rate divides (in 分) survives the stored facts', () => {
    const f = facts('national-2024', 1);
    expect(decodeFacts(encodeFacts(f)).execution).toEqual({ part: 450_000_000n, whole: 540_000_000n, definition: '全年执行数/全年预算数' });
  });
});
