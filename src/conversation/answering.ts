// Taking one answer: parse it with the question's parser, refuse it with the parser's
// message, or record it and move to the next question. Pure.
import type { AnswerValue } from '../domain/answers';
import { formatAnswer, parseAnswer } from '../domain/parse';
import { type FormQuestion, type FormSection, formSections, pathOf } from '../domain/questions';
import { type FormContext, formContext } from '../domain/progress';
import { MORE, type Position, findSection, nextInSection } from './flow';
import { promptText, questionOf } from './render';
import type { DialogState, Snapshot, Write } from './state';
import type { Actor, Outgoing } from './types';

export interface Step {
  writes: Write[];
  messages: Outgoing[];
}

export function parseFor(q: FormQuestion, text: string, year: number) {
  return parseAnswer(q.kind, text, {
    year,
    options: q.options,
    max: q.kind === 'score' ? undefined : q.max,
    weight: q.kind === 'score' ? q.max : undefined,
    example: q.example,
    label: q.label,
  });
}

/** The sections this person should fill next: their own first, then the unassigned ones. */
export function nextPosition(ctx: FormContext, snap: Snapshot, actor: Actor, skipped: Set<string>, after?: Position): Position | undefined {
  const assignedTo = (id: string) => snap.assignments.find((a) => a.sectionId === id)?.userId;
  const mine = ctx.sections.filter((s) => assignedTo(s.id) === actor.userId);
  const open = ctx.sections.filter((s) => !assignedTo(s.id));
  const order = [...mine, ...open];
  if (after) {
    const s = findSection(ctx.sections, after.sectionId);
    const p = s && nextInSection(ctx, s, skipped, after);
    if (p) return p;
  }
  for (const s of order) {
    if (after && s.id === after.sectionId) continue;
    const p = nextInSection(ctx, s, skipped);
    if (p) return p;
  }
  return undefined;
}

/** Move the dialog to `pos` (or finish) and say so. */
export function askAt(ctx: FormContext, dialog: DialogState, pos: Position | undefined, lead: string[] = []): Step {
  const messages: Outgoing[] = [];
  const state: DialogState = { ...dialog, position: pos, trail: dialog.position ? [...dialog.trail, dialog.position].slice(-30) : dialog.trail };
  if (!pos) {
    state.position = undefined;
    lead.push('你负责的部分都填完了 🎉 发送“进度”查看全体进度，全部完成后发送“生成报告”。');
  } else lead.push(promptText(ctx, pos));
  messages.push({ type: 'text', text: lead.join('\n\n') });
  return { writes: [{ type: 'dialog', state }], messages };
}

/** A reply to the question being asked. */
export function answerText(
  ctx: FormContext,
  snap: Snapshot,
  dialog: DialogState,
  actor: Actor,
  text: string,
  year: number,
): Step {
  const pos = dialog.position!;
  const found = questionOf(ctx, pos);
  if (!found) return askAt(ctx, { ...dialog, position: undefined }, nextPosition(ctx, snap, actor, new Set(dialog.skipped)));
  const { section } = found;

  if (pos.field === MORE) {
    const yes = /^(是|好|要|需要|有|继续|添加|y|yes|1|对)$/i.test(text.trim());
    const no = /^(否|不|不要|不用|没有|无|n|no|2|完成|结束)$/i.test(text.trim());
    if (!yes && !no) return { writes: [], messages: [{ type: 'text', text: `请回复“是”或“否”。\n\n${promptText(ctx, pos)}` }] };
    if (yes) {
      const index = (pos.index ?? -1) + 1;
      return askAt(ctx, dialog, { sectionId: section.id, index, field: section.questions[0].field });
    }
    const skipped = [...dialog.skipped, `${section.group}[${(pos.index ?? -1) + 1}]`];
    const d = { ...dialog, skipped };
    return askAt(ctx, d, nextPosition(ctx, snap, actor, new Set(skipped), pos), [`好的，「${section.title}」这一部分填完了。`]);
  }

  const q = found.question!;
  const parsed = parseFor(q, text, year);
  if (!parsed.ok) return { writes: [], messages: [{ type: 'text', text: `${parsed.message}\n\n${promptText(ctx, pos)}` }] };
  return recordAndAdvance(ctx, snap, dialog, actor, section, q, pos, parsed.value);
}

function recordAndAdvance(
  ctx: FormContext,
  snap: Snapshot,
  dialog: DialogState,
  actor: Actor,
  section: FormSection,
  q: FormQuestion,
  pos: Position,
  value: AnswerValue,
): Step {
  const path = pathOf(section, q, pos.index);
  const lead: string[] = [];
  const before = snap.answers[path];
  const prev = snap.answeredBy[path];
  if (before !== undefined && prev && prev.userId !== actor.userId && before !== value)
    lead.push(`已记录。注意：这一题原来是 ${prev.name} 填写的“${short(formatAnswer(q.kind, before))}”，现在改成了你的答案（历史记录里两次都保留）。`);
  else lead.push(`已记录：${q.label} ＝ ${short(formatAnswer(q.kind, value))}`);
  if (snap.evaluation?.status === 'generated' && before !== value)
    lead.push('报告生成后改了答案，已生成的文件已过期；改完后请再发送“生成报告”。');
  const answers = { ...snap.answers, [path]: value };
  const next = formContext(ctx.template, ctx.sections, answers);
  const writes: Write[] = [{ type: 'answers', changes: [{ path, value }], via: 'text' }];
  const resume = dialog.resume;
  const d: DialogState = { ...dialog, resume: undefined, skipped: dialog.skipped.filter((p) => p !== path) };
  // after a 修改, go back to where the person was; otherwise on to the next open question
  const from = resume ?? pos;
  const target = resume && isOpen(next, resume) ? resume : nextPosition(next, { ...snap, answers }, actor, new Set(d.skipped), from);
  const step = askAt(next, d, target, lead);
  return { writes: [...writes, ...step.writes], messages: step.messages };
}

function isOpen(ctx: FormContext, pos: Position): boolean {
  if (pos.field === MORE) return true;
  const found = questionOf(ctx, pos);
  return !!found?.question && ctx.answers[pathOf(found.section, found.question, pos.index)] === undefined;
}

const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}……` : s);

/** A submitted card: parse every field; save the good ones, mark the bad ones. */
export function submitCard(
  ctx: FormContext,
  snap: Snapshot,
  actor: Actor,
  section: FormSection,
  index: number | undefined,
  values: Record<string, string>,
  year: number,
): { writes: Write[]; marks: Record<string, { error?: string; saved?: boolean }>; saved: number; errors: number; replaced: string[] } {
  const marks: Record<string, { error?: string; saved?: boolean }> = {};
  const changes: { path: string; value: AnswerValue }[] = [];
  const replaced: string[] = [];
  for (const q of section.questions) {
    const raw = values[q.id];
    if (raw === undefined || String(raw).trim() === '') continue;
    const parsed = parseFor(q, String(raw), year);
    if (!parsed.ok) {
      marks[q.id] = { error: parsed.message };
      continue;
    }
    const path = pathOf(section, q, index);
    marks[q.id] = { saved: true };
    if (snap.answers[path] === parsed.value) continue;
    const prev = snap.answeredBy[path];
    if (snap.answers[path] !== undefined && prev && prev.userId !== actor.userId) replaced.push(`${q.label}（原为${prev.name}填写）`);
    changes.push({ path, value: parsed.value });
  }
  const errors = Object.values(marks).filter((m) => m.error).length;
  return {
    writes: changes.length ? [{ type: 'answers', changes, via: 'card' }] : [],
    marks,
    saved: Object.values(marks).filter((m) => m.saved).length,
    errors,
    replaced,
  };
}

export { formSections };
