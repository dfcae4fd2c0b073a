// The general write path: writes other than answers and the dialog state (a new
// evaluation, assignments, documents, …), one store call each, in the engine's order.
// Rare messages take it; answering takes the one-transaction path in ./index.ts.
import type { Snapshot, Write } from '../conversation/state';
import type { Input } from '../conversation/types';
import type { Store } from '../store';
import { dialogAfter } from './dialogAfter';

export async function applyWrites(store: Store, input: Input, snap: Snapshot, writes: Write[]): Promise<void> {
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
  const state = dialogAfter(input, snap, writes);
  if (state !== undefined) await store.setDialogState(input.place.chatId, input.actor.userId, evaluationId ?? null, state, input.now);
}
