// What the engine is given and what it asks to be written. The engine never touches
// the database: the bot loads a Snapshot, calls the engine, applies its Writes.
import type { Answers, AnswerValue, ManualProblem } from '../domain/answers';
import type { Position } from './flow';
import type { Actor } from './types';

/** One person's place in the dialog, kept per chat and person. Serialisable and versioned. */
export interface DialogState {
  v: 1;
  position?: Position; // the question being asked, if any
  trail: Position[]; // questions asked before, for 上一题 (newest last)
  skipped: string[]; // optional questions (and "no more items" markers) this person passed over
  resume?: Position; // where to go back to after a 修改
  templateId?: string; // chosen with 模板, used by the next 新建评价
  /** the last message handled for this person: a message handled again after a crash is recognised */
  lastMessageId?: string;
  /** when `position` was last asked: an old question lapses */
  askedAt?: number;
  /** something said that needs a yes before it is taken */
  pending?: Pending;
  /** the numbered questions 修改 listed: a bare number picks one */
  choices?: Position[];
  /** a long answer arriving in several messages: later ones are appended to this path */
  appending?: string;
  /** a file read but not yet applied: waits for 确认 / 覆盖 / 放弃导入 */
  pendingImport?: PendingImport;
}

export interface PendingImport {
  fileName: string;
  sender: Actor;
  answers: Answers;
}

export type Pending =
  | { kind: 'answer'; pos: Position; text: string; reason: 'casual' | 'lapsed' | 'check' }
  | { kind: 'deadline'; date: string };

export const emptyDialog = (): DialogState => ({ v: 1, trail: [], skipped: [] });

export interface EvaluationInfo {
  id: number;
  templateId: string;
  templateVersion: number;
  year: number;
  projectName: string;
  status: 'filling' | 'generated' | 'archived';
  deadline?: string | null;
  answersVersion: number;
  documentsVersion?: number | null;
  /** optional sections someone passed over (nothing to add) */
  passedSections?: string[];
  /** reviewer warnings accepted with 确认 */
  warningsConfirmed?: { userId: string; name: string; at: number; answersVersion: number; warnings: string[] } | null;
}

export interface Snapshot {
  evaluation?: EvaluationInfo;
  answers: Answers;
  /** who last changed each answer, by path */
  answeredBy: ReadonlyMap<string, { updatedBy: string; updatedByName: string }>;
  assignments: { sectionId: string; userId: string; name: string }[];
  problems: ManualProblem[];
  dialog?: DialogState;
  /** earlier evaluations of this chat or project, newest first; loaded only for 新建评价 and 沿用 */
  earlier?: EarlierEvaluation[];
}

export interface EarlierEvaluation {
  id: number;
  year: number;
  projectName: string;
  answers: Answers;
}

export type Write =
  | { type: 'createEvaluation'; templateId: string; templateVersion: number; year: number; projectName: string }
  /** via: 'text', 'card', or where answers came from: 导入 <文件>（<发送人>发送）, 沿用 <评价> */
  | { type: 'answers'; changes: { path: string; value: AnswerValue | null }[]; via: string }
  | { type: 'dialog'; state: DialogState | null }
  | { type: 'assign'; sectionIds: string[]; user: Actor }
  | { type: 'deadline'; date: string }
  | { type: 'archive' }
  | { type: 'problem'; problem: ManualProblem }
  | { type: 'pass'; sectionId: string }
  | { type: 'confirmWarnings'; warnings: string[]; answersVersion: number }
  | {
      type: 'documents';
      docs: { kind: string; fileName: string; sha256: string; size: number }[];
      answersVersion: number;
    };
