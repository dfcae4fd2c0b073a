export type AnswerValue = string | number | boolean;

export type ParseResult<T = AnswerValue> =
  | { ok: true; value: T }
  | { ok: false; message: string; ambiguous?: boolean };

export interface ParseContext {
  /** The evaluation year; fills in dates typed without one ("5月31日"). */
  year?: number;
  /** Options of a choice question. */
  options?: string[];
  /** Upper bound for money (万元), count and number. */
  max?: number;
  /** Weight of the indicator: upper bound of a score. */
  weight?: number;
  /** A good answer, shown when an answer is refused. */
  example?: string;
  /** The question as printed, used to say which question is unanswered. */
  label?: string;
}
