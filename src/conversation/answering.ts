// Taking one answer: parse it with the question's parser, refuse it with the parser's
// message, or record it and move to the next question. Pure.
import type { AnswerValue } from '../domain/answers';
import { formatAnswer } from '../domain/parse';
import { parseFor } from './parseFor';
import { type FormQuestion, type FormSection, formSections, pathOf, questionAt } from '../domain/questions';
import { type FormContext, formContext, weightSumFault } from '../domain/progress';
import { itemCount, withAnswers } from '../domain/answers';
import { filledDefault, resolveDefault, takesDefault } from '../domain/defaults';
import { type Block, readBlock } from './block';
import { checkValue } from './checks';
import { MORE, type Position, findSection, nextInSection } from './flow';
import { isCasual, isFigure, yesNo } from './replies';
import { promptText, questionOf } from './render';
import type { DialogState, Snapshot, Write } from './state';
import type { Actor, Outgoing } from './types';

export interface Step {
  writes: Write[];
  messages: Outgoing[];
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
export function askAt(ctx: FormContext, dialog: DialogState, pos: Position | undefined, lead: string[] = [], done?: string): Step {
  const messages: Outgoing[] = [];
  const state: DialogState = {
    ...dialog,
    position: pos,
    pending: undefined,
    choices: undefined,
    appending: undefined,
    trail: dialog.position ? [...dialog.trail, dialog.position].slice(-30) : dialog.trail,
  };
  const prompt = pos ? promptText(ctx, pos) : (done ?? '你负责的部分都填完了 🎉 发送“进度”查看全体进度，全部完成后发送“生成报告”。');
  if (!pos) state.position = undefined;
  lead.push(prompt);
  messages.push({ type: 'text', text: lead.join('\n\n'), prompt });
  return { writes: [{ type: 'dialog', state }], messages };
}

/** After this long without a word, the question asked is no longer assumed to be what a reply answers. */
export const LAPSE_MS = 60 * 60 * 1000;
const UNFINISHED = /\s*[（(]?\s*(未完|待续|未完待续)\s*[）)]?\s*$/;
const BROKEN = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const stay = (dialog: DialogState, text: string, patch: Partial<DialogState> = {}): Step => ({
  writes: [{ type: 'dialog', state: { ...dialog, ...patch } }],
  messages: [{ type: 'text', text }],
});
/** Stay, saying why and asking the question again (`prompt`, which a later reply may supersede). */
const reask = (dialog: DialogState, lead: string, prompt: string, patch: Partial<DialogState> = {}): Step => ({
  writes: [{ type: 'dialog', state: { ...dialog, ...patch } }],
  messages: [{ type: 'text', text: `${lead}\n\n${prompt}`, prompt }],
});

/** A reply to the question being asked. */
export function answerText(
  ctx: FormContext,
  snap: Snapshot,
  dialog: DialogState,
  actor: Actor,
  text: string,
  year: number,
  now: number,
): Step {
  const pos = dialog.position!;
  const found = questionOf(ctx, pos);
  if (!found) return askAt(ctx, { ...dialog, position: undefined }, nextPosition(ctx, snap, actor, new Set(dialog.skipped)));
  const { section } = found;
  const brief = () => briefPrompt(ctx, pos);

  // something said earlier waits for a yes
  const pending = dialog.pending?.kind === 'answer' ? dialog.pending : undefined;
  if (pending) {
    const yn = yesNo(text);
    // 是: it is this question's answer (no more asking whether it is), and a value check asked about is passed
    if (yn === 'yes') return take(ctx, snap, { ...dialog, pending: undefined }, actor, pending.text, year, { answer: true, check: pending.reason === 'check' });
    if (yn === 'no') return reask(dialog, `好的，没有记下。`, promptText(ctx, pos), { pending: undefined });
  }
  // a question asked long ago: do not take a reply as its answer without asking
  if (!pending && dialog.askedAt !== undefined && now - dialog.askedAt > LAPSE_MS) {
    const label = pos.field === MORE ? `是否还要添加「${section.title}」` : `「${found.question?.label}」`;
    return stay(
      dialog,
      `之前问你的是${label}（${Math.round((now - dialog.askedAt) / 3600000)}小时前）。“${short(text, 30)}”是这一题的答案吗？回复“是”记下；不是的话发送“填写”接着填，或直接发命令。`,
      { pending: { kind: 'answer', pos, text, reason: 'lapsed' } },
    );
  }
  return take(ctx, snap, { ...dialog, pending: undefined }, actor, text, year, { answer: false, check: false });

  /** `confirmed`: what a 是 already settled: that the text answers this question, that a value check may be passed. */
  function take(ctx: FormContext, snap: Snapshot, dialog: DialogState, actor: Actor, text: string, year: number, confirmed: { answer: boolean; check: boolean }): Step {
    if (pos.field === MORE) {
      const yn = yesNo(text);
      if (yn === 'yes') {
        const index = (pos.index ?? -1) + 1;
        return askAt(ctx, dialog, { sectionId: section.id, index, field: section.questions[0].field });
      }
      if (yn === 'no') {
        const fault = weightSumFault(ctx, section);
        if (fault && itemCount(ctx.answers, section.group) > 0)
          return stay(dialog, `${fault}。请用“修改 ${section.title.split('·').pop()!.replace(/（.*$/, '')} 第1项 分值”改正，或回复“是”再添加一项。`);
        const skipped = [...dialog.skipped, `${section.group}[${(pos.index ?? -1) + 1}]`];
        const d = { ...dialog, skipped };
        const step = askAt(ctx, d, nextPosition(ctx, snap, actor, new Set(skipped), pos), [`好的，「${section.title}」这一部分填完了。`]);
        const passed: Write[] = pos.index === -1 ? [{ type: 'pass', sectionId: section.id }] : [];
        return { writes: [...passed, ...step.writes], messages: step.messages };
      }
      const b = readBlock(ctx, pos, text, year);
      if (b) return recordBlock(ctx, snap, dialog, actor, section, pos, b);
      return reask(dialog, `请回复“是”或“否”，也可以直接把各项按行发来（一行一项，各栏用空格隔开）。`, promptText(ctx, pos));
    }

    const q = found!.question!;
    const path = pathOf(section, q, pos.index);
    // 默认: the template's text for this question, as the report would print it
    if (takesDefault(text) && dialog.appending !== path) {
      const byDefault = filledDefault(q, ctx.answers);
      if (byDefault !== undefined) return recordAndAdvance(ctx, snap, { ...dialog, appending: undefined }, actor, section, q, pos, byDefault);
      if (q.kind === 'text' || q.kind === 'longText') return stay(dialog, `「${q.label}」没有默认文字，请直接回复答案${q.required ? '' : '，或回复“跳过”'}。\n\n${brief()}`);
    }
    if ((q.kind === 'text' || q.kind === 'longText') && BROKEN.test(text))
      return reask(dialog, `这段文字里有一个残缺的字符（可能是粘贴时被截断了），没有保存。请重新粘贴；太长可以分几条发，前面几条末尾写“（未完）”。`, brief());
    // a long answer in several messages: “（未完）” at the end keeps the question open for the next part
    if (q.kind === 'longText') {
      const more = UNFINISHED.test(text);
      const part = text.replace(UNFINISHED, '');
      const prev = dialog.appending === path ? ctx.answers[path] : undefined;
      const whole = typeof prev === 'string' ? `${prev}\n${part}` : part;
      if (more) {
        const parsed = parseFor(q, whole, year);
        if (!parsed.ok) return reask(dialog, parsed.message, brief());
        const replaced = replacedNote(snap, actor, path, q, parsed.value);
        return {
          writes: [
            { type: 'answers', changes: [{ path, value: parsed.value }], via: 'text' },
            { type: 'dialog', state: { ...dialog, appending: path } },
          ],
          messages: [{ type: 'text', text: `${replaced}已记下「${q.label}」的前一部分，${lengthNote(String(parsed.value))}。请接着发下一段，会接在后面；最后一段末尾不写“未完”。` }],
        };
      }
      if (typeof prev === 'string') text = whole;
    }
    if (!confirmed.check && dialog.appending !== path) {
      const b = readBlock(ctx, pos, text, year);
      if (b) return recordBlock(ctx, snap, dialog, actor, section, pos, b);
    }
    const parsed = parseFor(q, text, year);
    const choice = q.kind === 'choice' && parsed.ok;
    if (!confirmed.answer && !choice && isCasual(text))
      return stay(dialog, `“${text.trim()}”是「${q.label}」的答案吗？回复“是”记下，或者直接回复答案。`, { pending: { kind: 'answer', pos, text, reason: 'casual' } });
    // a bare number or amount where a name or a sentence is asked for: most likely meant for another question
    if (!confirmed.answer && q.kind === 'text' && isFigure(text) && !isFigure(q.example ?? ''))
      return stay(dialog, `“${text.trim()}”是一个数字，不像「${q.label}」的答案。是这一题的答案吗？回复“是”记下，或者直接回复答案。`, { pending: { kind: 'answer', pos, text, reason: 'casual' } });
    if (!parsed.ok) return reask(dialog, parsed.message, promptText(ctx, pos));
    const check = checkValue(ctx, section, q, pos.index, parsed.value, text);
    if (check && 'refuse' in check) return reask(dialog, check.refuse, brief());
    if (check && !confirmed.check) return stay(dialog, check.ask, { pending: { kind: 'answer', pos, text, reason: 'check' } });
    return recordAndAdvance(ctx, snap, { ...dialog, appending: undefined }, actor, section, q, pos, parsed.value);
  }
}

/** The question's first line, to ask again briefly after something else was said. */
export function briefPrompt(ctx: FormContext, pos: Position): string {
  return promptText(ctx, pos).split('\n')[0];
}

const lengthNote = (s: string) => `共${[...s].length.toLocaleString('en-US')}字，结尾：“……${[...s].slice(-12).join('')}”`;

function replacedNote(snap: Snapshot, actor: Actor, path: string, q: FormQuestion, value: AnswerValue): string {
  const before = snap.answers[path];
  const prev = snap.answeredBy.get(path);
  if (before !== undefined && prev && prev.updatedBy !== actor.userId && before !== value)
    return `注意：这一题原来是 ${prev.updatedByName} 填写的“${short(formatAnswer(q.kind, before))}”，现在改成了你的答案（历史记录里两次都保留）。`;
  return '';
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
  const replaced = replacedNote(snap, actor, path, q, value);
  if (replaced) lead.push(`已记录。${replaced}`);
  else if (q.kind === 'longText' && typeof value === 'string') lead.push(`已记录：${q.label}（${lengthNote(value)}）`);
  else lead.push(`已记录：${q.label} ＝ ${short(formatAnswer(q.kind, value))}`);
  if (snap.evaluation?.status === 'generated' && before !== value)
    lead.push('报告生成后改了答案，已生成的文件已过期；改完后请再发送“生成报告”。');
  const answers = withAnswers(snap.answers, [[path, value]]);
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

/** Several answers from one message: record what was taken, say what was not, move on. */
function recordBlock(ctx: FormContext, snap: Snapshot, dialog: DialogState, actor: Actor, section: FormSection, pos: Position, b: Block): Step {
  const leftText = b.left.length ? `没有记下：\n${b.left.map((l) => `· ${l}`).join('\n')}` : '';
  if (!b.taken.length) return reask(dialog, leftText, promptText(ctx, pos));
  const answers = withAnswers(snap.answers, b.taken.map((t) => [t.path, t.value]));
  const lines: string[] = [];
  if (b.rows.length) lines.push(`已记下${b.rows.length}行：`, ...b.rows.map((r) => `· ${r.title}：${short(r.text, 40)}`));
  const loose = b.taken.filter((t) => !b.rows.length || !(t.section === section && (section.repeat || section.level1)));
  if (loose.length)
    lines.push(
      `已记下${loose.length}项：`,
      ...loose.map((t) => `· ${t.question.label} ＝ ${t.question.kind === 'longText' ? `（${lengthNote(String(t.value))}）` : short(formatAnswer(t.question.kind, t.value))}`),
    );
  const replaced = b.taken.flatMap((t) => {
    const prev = snap.answeredBy.get(t.path);
    return snap.answers[t.path] !== undefined && prev && prev.updatedBy !== actor.userId && snap.answers[t.path] !== t.value ? [`${t.question.label}（原为${prev.updatedByName}填写）`] : [];
  });
  const lead = [lines.join('\n')];
  if (leftText) lead.push(leftText);
  const passedLabels = b.passed.flatMap((p) => {
    const t = questionAt(ctx.sections, p);
    return t ? [t.question.label] : [];
  });
  if (passedLabels.length) lead.push(`没有填的可选项：${[...new Set(passedLabels)].join('、')}（不再逐题问，需要时用“修改”补上）。`);
  if (replaced.length) lead.push(`注意：改了别人填写的答案：${replaced.join('、')}。历史记录里都保留着。`);
  if (snap.evaluation?.status === 'generated') lead.push('报告生成后改了答案，已生成的文件已过期；改完后请再发送“生成报告”。');
  const next = formContext(ctx.template, ctx.sections, answers);
  const skipped = [...new Set([...dialog.skipped.filter((p) => answers[p] === undefined), ...b.passed])];
  const d: DialogState = { ...dialog, resume: undefined, skipped };
  const set = new Set(skipped);
  const fault = section.repeat && section.level1 ? weightSumFault(next, section) : undefined;
  const target =
    (section.repeat || section.level1 ? nextInSection(next, section, set) : undefined) ??
    (pos.field !== MORE && isOpen(next, pos) ? pos : nextPosition(next, { ...snap, answers }, actor, set, pos));
  if (fault && target?.field === MORE) lead.push(`${fault}，还差的可以再添加一项，或用“修改”调整分值。`);
  const step = askAt(next, d, target, lead);
  return { writes: [{ type: 'answers', changes: b.taken.map((t) => ({ path: t.path, value: t.value })), via: 'text' }, ...step.writes], messages: step.messages };
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
    const typed = values[q.id];
    if (typed === undefined || String(typed).trim() === '') continue;
    const resolved = resolveDefault(q, String(typed), ctx.answers);
    if ('error' in resolved) {
      marks[q.id] = { error: resolved.error };
      continue;
    }
    const raw = resolved.text;
    const parsed = parseFor(q, raw, year);
    if (!parsed.ok) {
      marks[q.id] = { error: parsed.message };
      continue;
    }
    // what the chat refuses outright (a negative figure, a score outside its band) a card refuses too
    const check = checkValue(formContext(ctx.template, ctx.sections, withAnswers(ctx.answers, changes.map((c) => [c.path, c.value]))), section, q, index, parsed.value, String(raw));
    if (check && 'refuse' in check) {
      marks[q.id] = { error: check.refuse };
      continue;
    }
    const path = pathOf(section, q, index);
    marks[q.id] = { saved: true };
    if (snap.answers[path] === parsed.value) continue;
    const prev = snap.answeredBy.get(path);
    if (snap.answers[path] !== undefined && prev && prev.updatedBy !== actor.userId) replaced.push(`${q.label}（原为${prev.updatedByName}填写）`);
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

export { formSections, parseFor };
