// The bot: load what the engine needs from the store, let the engine decide, apply
// its writes. Channels (Lark, terminal, tests) call `handle`; they know nothing of
// the store's tables, and the engine knows nothing of the store.
import { buildDocuments } from '../documents';
import { defaultTemplateId, templates as shippedTemplates } from '../domain/registry';
import type { Template } from '../domain/template';
import { type EngineDeps, decide } from '../conversation/engine';
import { type DialogState, type EvaluationInfo, type Snapshot, type Write, emptyDialog } from '../conversation/state';
import type { Bot, Input, Output } from '../conversation/types';
import type { Store } from '../store';
import { newFactsCache } from '../summary/load';
import { createLeaderCommands } from './leaders';
import { createRectCommands } from './rectification';

export interface BotDeps {
  store: Store;
  templates?: readonly Template[];
  /** ADMIN_OPEN_IDS: who may name leaders and set default deadlines. */
  admins?: string[];
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function createBot({ store, templates = shippedTemplates, admins = [] }: BotDeps): Bot & { engine: EngineDeps } {
  // roles, summaries and reminder settings: answered before the per-chat engine
  const leaders = createLeaderCommands({ store, admins, templates, cache: newFactsCache() });
  const rect = createRectCommands({ store, templates });
  const engine: EngineDeps = {
    templates,
    defaultTemplateId,
    sha256,
    async buildDocuments(input) {
      return buildDocuments(input);
    },
  };

  async function snapshot(input: Input): Promise<Snapshot> {
    const row = await store.findEvaluationByChat(input.place.chatId);
    const saved = await store.getDialogState(input.place.chatId, input.actor.userId);
    // a dialog state left from an earlier evaluation in this chat is not this one's
    const dialog = saved && (saved.evaluationId === (row?.id ?? null) || !row) ? (saved.state as DialogState | null) ?? undefined : undefined;
    if (!row) return { answers: {}, answeredBy: {}, assignments: [], problems: [], dialog };
    const [rows, assignments, problems] = await Promise.all([
      store.getAnswerRows(row.id),
      store.getAssignments(row.id),
      store.listProblems(row.id),
    ]);
    const evaluation: EvaluationInfo = {
      id: row.id,
      templateId: row.templateId,
      templateVersion: Number(row.templateVersion),
      year: row.year,
      projectName: row.projectName,
      status: row.status as EvaluationInfo['status'],
      deadline: row.deadline,
      answersVersion: row.answersVersion,
      documentsVersion: row.documentsVersion,
      passedSections: row.passedSections ?? [],
      warningsConfirmed: row.warningsConfirmed,
    };
    return {
      evaluation,
      answers: Object.fromEntries(rows.map((r) => [r.path, r.value])),
      answeredBy: Object.fromEntries(rows.map((r) => [r.path, { userId: r.updatedBy, name: r.updatedByName }])),
      assignments: assignments.map((a) => ({ sectionId: a.sectionId, userId: a.userId, name: a.userName })),
      problems: problems.map((p) => ({ category: p.category, unit: p.unit ?? undefined, description: p.description })),
      dialog,
    };
  }

  async function apply(input: Input, snap: Snapshot, writes: Write[]): Promise<void> {
    let evaluationId = snap.evaluation?.id;
    const by = { userId: input.actor.userId, name: input.actor.name };
    const messageId = input.message.messageId;
    for (const w of writes) {
      switch (w.type) {
        case 'createEvaluation': {
          const ev = await store.createEvaluation({
            templateId: w.templateId,
            templateVersion: String(w.templateVersion),
            year: w.year,
            projectName: w.projectName,
            chatId: input.place.chatId,
            tenantKey: input.place.tenantKey,
            createdBy: input.actor.userId,
            now: input.now,
          });
          evaluationId = ev.id;
          break;
        }
        case 'answers':
          await store.applyAnswers(evaluationId!, w.changes, by, { now: input.now, messageId, via: w.via });
          break;
        case 'dialog':
          break; // written last, below
        case 'assign':
          for (const sectionId of w.sectionIds)
            await store.assign(evaluationId!, sectionId, { userId: w.user.userId, name: w.user.name }, input.actor.userId, input.now);
          break;
        case 'archive':
          await store.updateEvaluation(evaluationId!, { status: 'archived' }, input.now);
          break;
        case 'deadline':
          await store.updateEvaluation(evaluationId!, { deadline: w.date }, input.now);
          break;
        case 'pass': {
          const ev = await store.getEvaluation(evaluationId!);
          const passed = new Set(ev?.passedSections ?? []);
          if (!passed.has(w.sectionId)) await store.updateEvaluation(evaluationId!, { passedSections: [...passed, w.sectionId] }, input.now);
          break;
        }
        case 'confirmWarnings':
          await store.updateEvaluation(
            evaluationId!,
            { warningsConfirmed: { userId: input.actor.userId, name: input.actor.name, at: input.now, answersVersion: w.answersVersion, warnings: w.warnings } },
            input.now,
          );
          break;
        case 'problem':
          await store.addProblem(evaluationId!, w.problem, input.actor.userId, input.now);
          break;
        case 'documents':
          await store.recordDocuments(
            evaluationId!,
            w.docs.map((d) => ({ kind: d.kind as 'form' | 'report' | 'problems', fileName: d.fileName, sha256: d.sha256, size: d.size })),
            w.answersVersion,
            input.actor.userId,
            input.now,
          );
          break;
      }
    }
    // The dialog state goes last and carries the message id: if the process dies after
    // the writes above, the message handled again after the restart is recognised.
    const dialogWrite = [...writes].reverse().find((w) => w.type === 'dialog');
    if (dialogWrite || (messageId && writes.length)) {
      const state = dialogWrite?.type === 'dialog' ? dialogWrite.state : (snap.dialog ?? emptyDialog());
      const marked = state && messageId ? { ...state, lastMessageId: messageId } : state;
      await store.setDialogState(input.place.chatId, input.actor.userId, evaluationId ?? null, marked, input.now);
    }
  }

  /** A message this person's dialog already recorded as handled (a redelivery after a crash). */
  async function alreadyHandled(input: Input): Promise<boolean> {
    const id = input.message.messageId;
    if (!id) return false;
    const saved = await store.getDialogState(input.place.chatId, input.actor.userId);
    return (saved?.state as DialogState | null | undefined)?.lastMessageId === id;
  }

  return {
    engine,
    async handle(input: Input): Promise<Output> {
      await store.seeMember(input.place.chatId, input.actor.userId, input.actor.name, input.now);
      for (const m of input.message.type === 'text' ? input.message.mentions ?? [] : [])
        await store.seeMember(input.place.chatId, m.userId, m.name, input.now);
      if (await alreadyHandled(input))
        return { messages: [{ type: 'text', text: '这条消息在机器人重启前已经处理过，答案已保存。发送“进度”查看，或发送“填写”继续。' }] };
      const routed = await leaders.handle(input);
      if (routed) return routed;
      const rectified = await rect.handle(input);
      if (rectified) return rectified;
      const snap = await snapshot(input);
      const { writes, output } = await decide(engine, snap, input);
      await apply(input, snap, writes);
      // a report's problem list becomes 整改 items
      if (snap.evaluation && writes.some((w) => w.type === 'documents'))
        return { ...output, messages: [...output.messages, ...(await rect.afterReport(snap.evaluation.id, input))] };
      return output;
    },
  };
}
