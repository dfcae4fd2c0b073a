// One call from answers to everything the documents and the chat show.
import type { Answers, ManualProblem } from './answers';
import { type Warning, check } from './checks';
import { type Funds, computeFunds } from './funds';
import { type Problem, problemsOf } from './problems';
import { type Scores, score } from './scoring';
import type { Template } from './template';

export interface Assessment {
  funds: Funds;
  scores: Scores;
  warnings: Warning[];
  problems: Problem[];
}

export function assess(template: Template, answers: Answers, manualProblems: ManualProblem[] = []): Assessment {
  const funds = computeFunds(template, answers);
  const scores = score(template, answers, funds);
  return {
    funds,
    scores,
    warnings: check(template, answers, funds, scores),
    problems: problemsOf(template, answers, funds, scores, manualProblems),
  };
}
