// `cli score <answers.json> [--json] [--rules-only]`: the scores, rates, warnings and problems.
import type { EvaluationFile } from '../domain/answers';
import { formatHundredths } from '../domain/decimal';
import { type Assessment, assess } from '../domain/evaluate';
import type { Template } from '../domain/template';

const n2 = (h: number) => Number(formatHundredths(h));

export function scoreJson(a: Assessment) {
  const r = a.funds.rates;
  const rate = (v: number | undefined) => (v === undefined ? null : n2(v));
  return {
    total: n2(a.scores.total),
    grade: a.scores.grade,
    levels: a.scores.levels.map((l) => ({ name: l.name, weight: n2(l.weight), score: n2(l.score) })),
    indicators: a.scores.indicators.map((i) => ({
      path: `${i.level1.name}/${i.level2.name}/${i.name}`,
      weight: n2(i.weight),
      score: i.scored ? n2(i.score) : null,
      ruleScore: i.ruleScore === undefined ? null : n2(i.ruleScore),
      reason: i.reason ?? null,
    })),
    // every rate the template's funds block declares (the seed: arrivalRate, executionRate, spendRate)
    rates: Object.fromEntries(Object.values(r).map((x) => [x.id, rate(x.value)])),
    warnings: a.warnings.map((w) => ({ code: w.code, message: w.message })),
    problems: a.problems.map((p) => ({ category: p.categoryLabel, unit: p.unit, description: p.description })),
  };
}

/** Drop every self-score, so the rules alone decide. */
export function withoutSelfScores(file: EvaluationFile): EvaluationFile {
  const answers = Object.fromEntries(Object.entries(file.answers).filter(([k]) => !(k.startsWith('ind.') && k.endsWith('.score'))));
  return { ...file, answers };
}

export function scoreText(template: Template, a: Assessment): string {
  const j = scoreJson(a);
  const lines: string[] = [];
  lines.push(`${template.title}（${template.year}）`, '');
  lines.push('指标                                         分值    得分  规则得分');
  for (const i of j.indicators)
    lines.push(
      `${pad(i.path, 44)} ${String(i.weight).padStart(5)} ${fmt(i.score).padStart(7)} ${fmt(i.ruleScore).padStart(8)}`,
    );
  lines.push('');
  for (const l of j.levels) lines.push(`${l.name}：${l.score} / ${l.weight}`);
  lines.push(`总分：${j.total}    评价等次：${j.grade}`, '');
  const r = a.funds.rates;
  for (const x of Object.values(r))
    lines.push(`${x.name}（${x.definition}）：${x.value === undefined ? '无法计算' : `${formatHundredths(x.value)}%`}`);
  lines.push('', `审核提示（${j.warnings.length}条）：`);
  j.warnings.forEach((w, k) => lines.push(`  ${k + 1}. [${w.code}] ${w.message}`));
  lines.push('', `问题清单（${j.problems.length}条）：`);
  j.problems.forEach((p, k) => lines.push(`  ${k + 1}. ${p.category}｜${p.unit}｜${p.description}`));
  return lines.join('\n');
}

const fmt = (v: number | null) => (v === null ? '—' : String(v));
/** Pad by display width: CJK characters take two columns in a terminal. */
function pad(s: string, width: number): string {
  const w = [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  return s + ' '.repeat(Math.max(1, width - w));
}

export function runScore(template: Template, file: EvaluationFile, opts: { json: boolean; rulesOnly: boolean }): string {
  const f = opts.rulesOnly ? withoutSelfScores(file) : file;
  const a = assess(template, f.answers, f.problems);
  return opts.json ? JSON.stringify(scoreJson(a), null, 2) : scoreText(template, a);
}
