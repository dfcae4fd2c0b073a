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
  /** a file read but not yet applied: waits for 确认 / 覆盖 / 放弃导入 */
  pendingImport?: PendingImport;
}

export interface PendingImport {
  fileName: string;
  sender: Actor;
  answers: Answers;
}

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
}

export interface Snapshot {
  evaluation?: EvaluationInfo;
  answers: Answers;
  answeredBy: Record<string, { userId: string; name: string }>;
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
  | {
      type: 'documents';
      docs: { kind: string; fileName: string; sha256: string; size: number }[];
      answersVersion: number;
    };
