// The bot: load what the engine needs from the store (one read), let the engine
// decide, write what it decided (one transaction, with the replies and the end of the
// inbox entry when the channel passes one). Channels (Lark, terminal, tests) call `handle`; they know nothing of
// the store's tables, and the engine knows nothing of the store.
import { defaultTemplateId, templates as shippedTemplates } from '../domain/registry';
import type { Template } from '../domain/template';
import { type EngineDeps, decide } from '../conversation/engine';
import type { DialogState, EvaluationInfo, Snapshot, Write } from '../conversation/state';
import type { Bot, InboundCommit, Input, Output } from '../conversation/types';
import { type ChatView, StaleAnswersError, type Store } from '../store';
import { newFactsCache } from '../summary/load';
import type { SummaryKeeper } from '../summary/kept';
import { applyWrites } from './apply';
import { dialogAfter } from './dialogAfter';
import { parseLeaderCommand } from './leaderCommands';
import { createLeaderCommands } from './leaders';
import { RECT_SECTION_PREFIX, parseRectCommand } from '../conversation/rectification';
import { createRectCommands } from './rectification';
import { earlierWanted } from '../conversation/carryOver';

/** Decisions retried when other writers keep changing the same evaluation. */
const MAX_ATTEMPTS = 8;

export interface BotDeps {
  store: Store;
  templates?: readonly Template[];
  /** ADMIN_OPEN_IDS: who may name leaders and set default deadlines. */
  admins?: string[];
  /** 汇总 kept between requests (../summary/kept); a Worker passes its isolate's, whose bots live one request each. */
  summaries?: SummaryKeeper;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function createBot({ store, templates = shippedTemplates, admins = [], summaries }: BotDeps): Bot & { engine: EngineDeps } {
  // roles, summaries and reminder settings: answered before the per-chat engine
  const leaders = createLeaderCommands({ store, admins, templates, cache: newFactsCache(), summaries });
  const rect = createRectCommands({ store, templates, roleOf: leaders.roleOf });
  const engine: EngineDeps = {
    templates,
    defaultTemplateId,
    sha256,
    async buildDocuments(input) {
      // loaded on first 生成报告: docx is memory the answering path does not need
      const { buildDocuments } = await import('../documents');
      return buildDocuments(input);
    },
  };

  /** The engine's view of the chat, from the store's one read. */
  function snapshot(view: ChatView): Snapshot {
    const row = view.evaluation;
    const saved = view.dialog;
    // a dialog state left from an earlier evaluation in this chat is not this one's
    const dialog = saved && (saved.evaluationId === (row?.id ?? null) || !row) ? (saved.state as DialogState | null) ?? undefined : undefined;
    if (!row) return { answers: {}, answeredBy: new Map(), assignments: [], problems: [], dialog };
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
      // shared with the store's copy of this version (frozen): the engine copies before it changes anything
      answers: view.answers.values as Snapshot['answers'],
      answeredBy: view.answers.rows,
      assignments: view.assignments.map((a) => ({ sectionId: a.sectionId, userId: a.userId, name: a.userName })),
      problems: view.problems.map((p) => ({ category: p.category, unit: p.unit ?? undefined, description: p.description })),
      dialog,
    };
  }

  const membersOf = (input: Input, inbound?: InboundCommit) => [
    { userId: input.actor.userId, name: input.actor.name },
    ...(input.message.type === 'text' ? (input.message.mentions ?? []) : []).map((m) => ({ userId: m.userId, name: m.name })),
    ...(inbound?.members ?? []),
  ];

  async function seeMembers(input: Input, inbound?: InboundCommit): Promise<void> {
    for (const m of membersOf(input, inbound)) await store.seeMember(input.place.chatId, m.userId, m.name, input.now);
  }

  /** Queue the replies and close the inbox entry, for outputs whose writes went the general way. */
  async function finish(output: Output, input: Input, inbound: InboundCommit | undefined): Promise<Output> {
    if (inbound) {
      await store.commitMessage({ chatId: input.place.chatId, userId: input.actor.userId, now: input.now, members: [], replies: inbound.replies(output), inboxKey: inbound.key });
      inbound.done = true;
    }
    return output;
  }

  /** Leader and 整改 commands are routed before the engine (cheap check: parsing the text). */
  function mayBeRouted(input: Input): boolean {
    const m = input.message;
    if (m.type === 'action') {
      const a = m.action;
      if (a.kind === 'submit') return a.sectionId.startsWith(RECT_SECTION_PREFIX);
      return parseLeaderCommand(a.command) !== undefined || parseRectCommand(a.command) !== undefined;
    }
    if (m.type === 'file') return true; // a 整改 item's evidence, or an import for the engine
    return parseLeaderCommand(m.text) !== undefined || parseRectCommand(m.text) !== undefined;
  }

  /** What the one-transaction path writes; anything else (a new evaluation, documents, …) goes the general way. */
  const simple = (snap: Snapshot, writes: Write[]) =>
    writes.every((w) => w.type === 'dialog' || (w.type === 'answers' && snap.evaluation !== undefined));

  return {
    engine,
    async handle(input: Input, inbound?: InboundCommit): Promise<Output> {
      const chatId = input.place.chatId;
      const userId = input.actor.userId;
      for (let attempt = 1; ; attempt++) {
        const view = await store.loadChat(chatId, userId);
        const messageId = input.message.messageId;
        // a redelivery of a message handled just before a crash
        if (messageId && (view.dialog?.state as DialogState | null | undefined)?.lastMessageId === messageId)
          return finish({ messages: [{ type: 'text', text: '这条消息在机器人重启前已经处理过，答案已保存。发送“进度”查看，或发送“填写”继续。' }] }, input, inbound);
        if (mayBeRouted(input)) {
          await seeMembers(input, inbound);
          const routed = (await leaders.handle(input)) ?? (await rect.handle(input));
          if (routed) return finish(routed, input, inbound);
        }
        const snap = snapshot(view);
        // 新建评价 and 沿用 may start from an earlier evaluation of this chat or project
        const wanted = earlierWanted(input, snap.evaluation);
        if (wanted) snap.earlier = await store.earlierEvaluations(chatId, wanted.projectName, snap.evaluation?.id);
        const { writes, output } = await decide(engine, snap, input);
        if (!simple(snap, writes)) {
          await seeMembers(input, inbound);
          await applyWrites(store, input, snap, writes);
          // a report's problem list becomes 整改 items
          if (snap.evaluation && writes.some((w) => w.type === 'documents'))
            return finish({ ...output, messages: [...output.messages, ...(await rect.afterReport(snap.evaluation.id, input))] }, input, inbound);
          // a new evaluation starts with last year's 整改 of the same project, shown before the first question so that stays last
          if (writes.some((w) => w.type === 'createEvaluation'))
            return finish({ ...output, messages: [...(await rect.afterCreate(input)), ...output.messages] }, input, inbound);
          return finish(output, input, inbound);
        }
        const answerWrites = writes.flatMap((w) => (w.type === 'answers' ? [w] : []));
        const state = dialogAfter(input, snap, writes);
        try {
          await store.commitMessage({
            chatId,
            userId,
            now: input.now,
            members: membersOf(input, inbound),
            ...(answerWrites.length && {
              answers: {
                view,
                changes: answerWrites.flatMap((w) => w.changes),
                by: { userId, name: input.actor.name },
                messageId,
                via: answerWrites[answerWrites.length - 1].via,
              },
            }),
            ...(state !== undefined && { dialog: { evaluationId: snap.evaluation?.id ?? null, state } }),
            ...(inbound && { replies: inbound.replies(output), inboxKey: inbound.key }),
          });
        } catch (error) {
          // another writer changed the answers after we read them: decide again on fresh data
          if (error instanceof StaleAnswersError && attempt < MAX_ATTEMPTS) continue;
          throw error;
        }
        if (inbound) inbound.done = true;
        return output;
      }
    },
  };
}
