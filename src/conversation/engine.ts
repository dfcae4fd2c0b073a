// The dialog engine: (snapshot of the chat's evaluation, who said what) → writes and
// replies. It never calls Lark or the database; the bot applies what it returns.
import { withAnswers } from '../domain/answers';
import { beijingDate } from '../domain/calendar';
import { assess } from '../domain/evaluate';
import { type FormSection, formSections } from '../domain/questions';
import { parseDate, toHalfWidth } from '../domain/parse';
import type { Template } from '../domain/template';
import { nameAndYear, quoted, trailingNumber } from './argText';
import { answerText, askAt, briefPrompt, nextPosition, submitCard } from './answering';
import { readAssignments } from './assign';
import { generate } from './generate';
import { findQuestions } from './locate';
import { nothingLeftText, ownerNote } from './ownership';
import { yesNo } from './replies';
import { type Command, helpText, parseCommand, splitMentions } from './commands';
import { type FormContext, formContext, missingIn } from '../domain/progress';
import { MORE, type Position, findSection, matchSections, nextInSection } from './flow';
import { progressCard, promptText, resultCard, sectionCard } from './render';
import { type DialogState, type Snapshot, type Write, emptyDialog } from './state';
import { importCommand, receiveFile } from './importing';
import { carryCommand, carryOffer } from './carryOver';
import type { Input, Output, Outgoing } from './types';

export interface GeneratedFile {
  kind: string;
  fileName: string;
  bytes: Uint8Array;
}

export interface EngineDeps {
  templates: readonly Template[];
  defaultTemplateId: string;
  buildDocuments(input: { template: Template; answers: Snapshot['answers']; assessment: ReturnType<typeof assess>; year: number; draft?: string }): Promise<GeneratedFile[]>;
  sha256(bytes: Uint8Array): Promise<string>;
}

export interface Decision {
  writes: Write[];
  output: Output;
}

const say = (text: string): Decision => ({ writes: [], output: { messages: [{ type: 'text', text }] } });

export async function decide(deps: EngineDeps, snap: Snapshot, input: Input): Promise<Decision> {
  const ev = snap.evaluation;
  const template = ev ? deps.templates.find((t) => t.id === ev.templateId && t.version === ev.templateVersion) : undefined;
  const ctx = template ? formContext(template, formSections(template), snap.answers, ev?.passedSections) : undefined;
  return finalize(snap, input, ctx, await route(deps, snap, input, ctx));
}

/**
 * What every reply shares: the time a question was asked (it lapses after a quiet
 * while), and whose part it is when a person enters a new section.
 */
function finalize(snap: Snapshot, input: Input, ctx: FormContext | undefined, d: Decision): Decision {
  const before = snap.dialog?.position;
  for (const w of d.writes) {
    if (w.type !== 'dialog' || !w.state?.position) continue;
    w.state = { ...w.state, askedAt: input.now };
    const pos = w.state.position!;
    if (before?.sectionId === pos.sectionId || !ctx) continue;
    const section = findSection(ctx.sections, pos.sectionId);
    const last = [...d.output.messages].reverse().find((m) => m.type === 'text');
    if (section && last && last.type === 'text') {
      const at = last.text.lastIndexOf('【');
      const note = ownerNote(snap, input.actor, section);
      last.text = at >= 0 ? `${last.text.slice(0, at)}${note}\n${last.text.slice(at)}` : `${last.text}\n${note}`;
    }
  }
  return d;
}

/** Commands after which the question being asked is asked again, briefly. */
const keepsQuestion = new Set(['进度', '帮助', '分配', '截止', '问题', '模板']);

async function route(deps: EngineDeps, snap: Snapshot, input: Input, ctx: FormContext | undefined): Promise<Decision> {
  const dialog = snap.dialog ?? emptyDialog();
  const ev = snap.evaluation;
  const year = ev?.year ?? Number(beijingDate(input.now).slice(0, 4));

  if (input.message.type === 'action') {
    const action = input.message.action;
    if (action.kind === 'command') {
      const carried = await carry(deps, snap, { ...input, message: { type: 'text', text: action.command } }, dialog);
      if (carried) return carried;
      return command(deps, snap, input, dialog, ctx, parseCommand(action.command) ?? { name: '帮助', args: '' });
    }
    if (!ev || !ctx) return say('这个群里还没有进行中的评价，卡片已失效。发送“新建评价 <项目名称>”开始。');
    if (action.evaluationId !== undefined && action.evaluationId !== ev.id)
      return { writes: [], output: { messages: [], toast: { kind: 'error', text: '这张卡片属于另一个评价（可能是转发来的或已过期），没有保存。请在本群发送“填写”重新打开。' } } };
    const section = findSection(ctx.sections, action.sectionId);
    if (!section) return say('这张卡片对应的部分已不在模板里，请发送“填写”重新开始。');
    const r = submitCard(ctx, snap, input.actor, section, action.index, action.values, year);
    const answers = withAnswers(snap.answers, r.writes.flatMap((w) => (w.type === 'answers' ? w.changes.filter((c) => c.value !== null).map((c) => [c.path, c.value] as const) : [])));
    const after = formContext(ctx.template, ctx.sections, answers, ctx.passed);
    const card = sectionCard(after, ev.id, section, action.index, r.marks);
    const messages: Outgoing[] = [];
    if (r.replaced.length) messages.push({ type: 'text', text: `${input.actor.name} 修改了别人填写的答案：${r.replaced.join('、')}。历史记录里都保留着。` });
    const missing = missingIn(after, section);
    const toast =
      r.errors > 0
        ? { kind: 'error' as const, text: `${r.errors}项没有保存，请按提示修改` }
        : r.saved === 0
          ? { kind: 'info' as const, text: '没有填写任何内容' }
          : { kind: 'success' as const, text: missing.length ? `已保存${r.saved}项，本部分还缺${missing.length}项` : `已保存，本部分已填完` };
    if (snap.evaluation?.status === 'generated' && r.writes.length)
      messages.push({ type: 'text', text: '报告生成后改了答案，已生成的文件已过期；改完后请再发送“生成报告”。' });
    // the card may have answered the question this person was being asked in text: move them on
    const writes: Write[] = [...r.writes];
    if (r.writes.length && dialog.position?.sectionId === section.id && (dialog.position.index ?? 0) === (action.index ?? 0)) {
      const step = askAt(after, dialog, nextPosition(after, { ...snap, answers }, input.actor, new Set(dialog.skipped), dialog.position), ['也可以接着逐题回复：']);
      writes.push(...step.writes);
      messages.push(...step.messages);
    }
    return { writes, output: { messages, toast, updatedCard: card } };
  }

  if (input.message.type === 'file') {
    const r = await receiveFile(ctx, snap, input, dialog);
    return { writes: r.writes, output: { messages: r.messages } };
  }
  const imported = importCommand(ctx, snap, input, dialog);
  if (imported) return { writes: imported.writes, output: { messages: imported.messages } };
  const carried = await carry(deps, snap, input, dialog);
  if (carried) return carried;
  const text = input.message.text;
  // a past deadline waiting for a yes
  if (dialog.pending?.kind === 'deadline' && ev) {
    const yn = yesNo(text);
    const date = dialog.pending.date;
    const rest: DialogState = { ...dialog, pending: undefined };
    if (yn === 'yes') return reask(ctx, rest, { writes: [{ type: 'deadline', date }, { type: 'dialog', state: rest }], output: { messages: [{ type: 'text', text: `截止日期已设为 ${date}。` }] } });
    if (yn === 'no') return reask(ctx, rest, { writes: [{ type: 'dialog', state: rest }], output: { messages: [{ type: 'text', text: '好的，截止日期没有改。' }] } });
  }
  // a number picks one of the questions 修改 listed
  if (dialog.choices?.length && ctx && /^\s*\d{1,3}\s*$/.test(toHalfWidth(text))) {
    const hit = dialog.choices[Number(toHalfWidth(text).trim()) - 1];
    if (!hit) return say(`请回复 1 到 ${dialog.choices.length} 之间的编号。`);
    return goTo(ctx, dialog, hit);
  }
  // a yes to something that waits for one is not the 确认 command
  const waiting = dialog.pending?.kind === 'answer' && yesNo(text) !== undefined;
  const cmd = waiting ? undefined : parseCommand(text, { answering: !!dialog.position });
  if (cmd) {
    const d = await command(deps, snap, input, dialog, ctx, cmd);
    return keepsQuestion.has(cmd.name) ? reask(ctx, dialog, d) : d;
  }
  if (!text.trim()) return say(dialog.position && ctx ? `没有收到内容。\n\n${promptText(ctx, dialog.position)}` : '没有收到内容。发送“帮助”查看可以用的命令。');
  if (dialog.position && ctx && ev) {
    const step = answerText(ctx, snap, dialog, input.actor, text, ev.year, input.now);
    return { writes: step.writes, output: { messages: step.messages } };
  }
  return say(
    ev
      ? '没看懂这句话。发送“填写”开始或继续填写，“进度”查看进度，“帮助”查看全部命令。'
      : '这个群里还没有评价。发送“新建评价 <项目名称> [年度]”开始，例如：新建评价 行政综合性经费 2024',
  );
}

/** 沿用 and 新建评价 … 沿用 (./carryOver), creating the evaluation through this engine's own 新建评价. */
async function carry(deps: EngineDeps, snap: Snapshot, input: Input, dialog: DialogState): Promise<Decision | undefined> {
  const decideNew = async (text: string) => {
    const d = await decide(deps, snap, { ...input, message: { type: 'text', text } });
    return { writes: d.writes, messages: d.output.messages };
  };
  const r = await carryCommand({ templates: deps.templates, decideNew }, snap, input, dialog);
  return r && { writes: r.writes, output: { messages: r.messages } };
}

async function command(
  deps: EngineDeps,
  snap: Snapshot,
  input: Input,
  dialog: DialogState,
  ctx: FormContext | undefined,
  cmd: Command,
): Promise<Decision> {
  const ev = snap.evaluation;
  const need = () => say('这个群里还没有评价。发送“新建评价 <项目名称> [年度]”开始，例如：新建评价 行政综合性经费 2024');
  switch (cmd.name) {
    case '帮助':
      return say(helpText);
    case '模板': {
      const list = deps.templates.map((t, i) => `${i + 1}. ${t.title}（${t.year}年，第${t.version}版，编号 ${t.id}）`);
      if (!cmd.args) return say(`可用的模板：\n${list.join('\n')}\n发送“模板 <编号>”选定，之后“新建评价”就用它。`);
      const n = Number(cmd.args);
      const t = Number.isInteger(n) ? deps.templates[n - 1] : deps.templates.find((x) => x.id === cmd.args || x.title.includes(cmd.args));
      if (!t) return say(`没有找到模板“${quoted(cmd.args)}”。可用的模板：\n${list.join('\n')}`);
      return { writes: [{ type: 'dialog', state: { ...dialog, templateId: t.id } }], output: { messages: [{ type: 'text', text: `已选定模板：${t.title}（${t.year}）。` }] } };
    }
    case '新建评价': {
      if (ev) return say(`这个群里已经有进行中的评价：${ev.year}年度${ev.projectName}。发送“进度”查看，或在新的群里新建评价。`);
      const { name, year: typedYear } = nameAndYear(cmd.args);
      if (!name) return say('请写上项目名称，例如：新建评价 行政综合性经费 2024');
      if (name.length > 60) return say('项目名称太长了（最多60个字），请写简短的名称。');
      const t = deps.templates.find((x) => x.id === (dialog.templateId ?? deps.defaultTemplateId)) ?? deps.templates[0];
      const year = typedYear ?? t.year;
      if (year < 2000 || year > 2100) return say('年度不对，请写四位年份，例如 2024。');
      const sections = formSections(t);
      const fresh = formContext(t, sections, { 'project.name': name });
      const writes: Write[] = [
        { type: 'createEvaluation', templateId: t.id, templateVersion: t.version, year, projectName: name },
        { type: 'answers', changes: [{ path: 'project.name', value: name }], via: 'text' },
      ];
      const lines = [
        `已新建评价：${year}年度${name}（模板：${t.title}）。`,
        `共${sections.length}个部分。可以“分配 <部分> @某人”把部分交给同事，每人发送“填写”开始各自的部分。`,
      ];
      const step = askAt(fresh, { ...emptyDialog(), templateId: dialog.templateId }, nextPosition(fresh, { ...snap, answers: fresh.answers, assignments: [] }, input.actor, new Set()), lines);
      return { writes: [...writes, ...step.writes], output: { messages: [...step.messages, ...carryOffer(snap.earlier, year)] } };
    }
    case '进度':
      if (!ev || !ctx) return need();
      return { writes: [], output: { messages: [{ type: 'card', card: progressCard(ctx, snap, ev) }] } };
    case '填写': {
      if (!ev || !ctx) return need();
      const skipped = new Set(dialog.skipped);
      if (!cmd.args) {
        const pos = nextPosition(ctx, snap, input.actor, skipped);
        const mine = snap.assignments.some((a) => a.userId === input.actor.userId);
        const lead = !mine && pos ? ['你还没有分配到部分，先从还没有人负责的部分开始。'] : [];
        const step = askAt(ctx, dialog, pos, lead, nothingLeftText(ctx, snap, input.actor));
        return { writes: step.writes, output: { messages: step.messages } };
      }
      const numbered = trailingNumber(cmd.args);
      const query = numbered ? numbered.text : cmd.args;
      const found = matchSections(ctx.sections, query);
      if (!found.length) return say(`没有找到“${quoted(cmd.args)}”这一部分。发送“进度”查看所有部分的名称和编号。`);
      const section = found[0];
      const index = section.repeat ? (numbered ? numbered.n - 1 : undefined) : undefined;
      if (index !== undefined && section.repeat && (index < 0 || index >= section.repeat.max))
        return say(`「${section.title}」最多${section.repeat.max}项。`);
      const pos =
        index !== undefined
          ? { sectionId: section.id, index, field: section.questions[0].field }
          : nextInSectionOrFirst(ctx, section, skipped);
      const step = askAt(ctx, dialog, pos, [`开始填写「${section.title}」。可以在卡片里一次填好，也可以逐题回复。`]);
      const cardIndex = section.repeat ? Math.max(0, pos?.index ?? index ?? 0) : undefined;
      return {
        writes: step.writes,
        output: { messages: [{ type: 'card', card: sectionCard(ctx, ev.id, section, cardIndex) }, ...step.messages] },
      };
    }
    case '跳过': {
      if (!ev || !ctx || !dialog.position) return say('现在没有正在回答的问题。发送“填写”开始。');
      const pos = dialog.position;
      const section = findSection(ctx.sections, pos.sectionId)!;
      if (pos.field === MORE) return say('请回复“是”或“否”。');
      const q = section.questions.find((x) => x.field === pos.field)!;
      const path = section.repeat ? `${section.group}[${pos.index ?? 0}].${q.field}` : `${section.group}.${q.field}`;
      const skipped = [...dialog.skipped, path];
      const lead = [q.required ? `已跳过「${q.label}」。这是必填项，之后记得补上（“进度”里会列出）。` : `已跳过「${q.label}」。`];
      const step = askAt(ctx, { ...dialog, skipped }, nextPosition(ctx, snap, input.actor, new Set(skipped), pos), lead);
      return { writes: step.writes, output: { messages: step.messages } };
    }
    case '上一题': {
      if (!ev || !ctx) return need();
      const prev = dialog.trail[dialog.trail.length - 1];
      if (!prev) return say('前面没有题目了。');
      const state: DialogState = { ...dialog, position: prev, trail: dialog.trail.slice(0, -1) };
      return { writes: [{ type: 'dialog', state }], output: { messages: [{ type: 'text', text: promptText(ctx, prev) }] } };
    }
    case '修改': {
      if (!ev || !ctx) return need();
      if (!cmd.args) return say('请写上要修改的问题，例如：修改 实际支出数，或 修改 资金来源 第1项 年初预算数');
      if (dialog.choices?.length && /^\d{1,3}$/.test(cmd.args)) {
        const hit = dialog.choices[Number(cmd.args) - 1];
        if (hit) return goTo(ctx, dialog, hit);
      }
      const hits = findQuestions(ctx, cmd.args);
      if (!hits.length) return say(`没有找到“${quoted(cmd.args)}”这道题。可以写部分、第几项和题目里的几个字，例如：修改 资金来源 第1项 年初预算数`);
      if (hits.length === 1) return goTo(ctx, dialog, hits[0].pos);
      const shown = hits.slice(0, 20);
      return {
        writes: [{ type: 'dialog', state: { ...dialog, choices: shown.map((h) => h.pos) } }],
        output: {
          messages: [
            {
              type: 'text',
              text: `有${hits.length}道题都符合“${quoted(cmd.args)}”，回复编号选一道：\n${shown.map((h, i) => `${i + 1}. ${h.title}`).join('\n')}${
                hits.length > shown.length ? `\n……还有${hits.length - shown.length}道，请写得更具体，例如加上部分名称或“第2项”。` : ''
              }`,
            },
          ],
        },
      };
    }
    case '取消':
      return {
        writes: [{ type: 'dialog', state: { ...dialog, position: undefined, resume: undefined } }],
        output: { messages: [{ type: 'text', text: '已暂停填写，已填的答案都保留着。发送“填写”可以接着填。' }] },
      };
    case '分配': {
      if (!ev || !ctx) return need();
      const mentions = input.message.type === 'text' ? input.message.mentions : undefined;
      const r = readAssignments(ctx.sections, cmd.args, mentions);
      if (!r.ok) return say(r.message);
      const people = r.plan.map((a) => a.person);
      return {
        writes: r.plan.map((a) => ({ type: 'assign' as const, sectionIds: a.sections.map((s) => s.id), user: a.person })),
        output: {
          messages: [
            {
              type: 'text',
              text: `${r.plan.map((a) => `已把${a.sections.map((s) => `「${s.title}」`).join('')}分配给 @${a.person.name}。`).join('\n')}\n${[...new Set(people.map((p) => `@${p.name}`))].join(' ')} 发送“填写”即可开始。`,
              mentions: people,
            },
          ],
        },
      };
    }
    case '截止': {
      if (!ev) return need();
      const nowYear = Number(beijingDate(input.now).slice(0, 4)); // the finance bureau's calendar, whatever the server's zone
      const d = parseDate(cmd.args, { year: nowYear });
      if (!d.ok) return say(`${d.message}\n例如：截止 2025-05-31`);
      if (String(d.value).length !== 10) return say('截止日期要写到哪一天，例如：截止 2025-05-31');
      const today = beijingDate(input.now);
      if (String(d.value) < today)
        return {
          writes: [{ type: 'dialog', state: { ...dialog, pending: { kind: 'deadline', date: String(d.value) } } }],
          output: { messages: [{ type: 'text', text: `${d.value} 已经过去了（今天是 ${today}）。确定设为这一天吗？回复“是”确认，或重新发送，例如：截止 ${nextMonth(today)}` }] },
        };
      return { writes: [{ type: 'deadline', date: String(d.value) }], output: { messages: [{ type: 'text', text: `截止日期已设为 ${d.value}。` }] } };
    }
    case '问题': {
      if (!ev || !template(deps, ev)) return need();
      const t = template(deps, ev)!;
      const m = cmd.args.match(/^(\S+)\s+([\s\S]+)$/);
      const cats = t.problemCategories.map((c) => c.label.replace(/存在的问题$/, '').replace(/问题$/, ''));
      if (!m) return say(`请写上类别和描述，例如：问题 资金管理 部分支出凭证不完整\n类别：${cats.join('、')}`);
      const cat = t.problemCategories.find((c, i) => c.label === m[1] || cats[i] === m[1] || c.label.startsWith(m[1]) || c.id === m[1]);
      if (!cat) return say(`没有“${quoted(m[1])}”这个类别。可选：${cats.join('、')}`);
      const description = m[2].trim();
      if (description.length > 500) return say('问题描述太长了（最多500字）。');
      return {
        writes: [{ type: 'problem', problem: { category: cat.id, description } }],
        output: { messages: [{ type: 'text', text: `已添加到问题清单「${cat.label}」：${description}` }] },
      };
    }
    case '生成报告':
      return generate(deps, snap, ctx, input.actor, cmd.args === '确认');
    case '确认':
      if (!ev || !ctx) return need();
      return generate(deps, snap, ctx, input.actor, true);
    case '归档': {
      if (!ev) return need();
      if (ev.status !== 'generated' && cmd.args !== '确认')
        return say(`${ev.year}年度${ev.projectName}还没有生成最新的报告。确定要归档，请发送“归档 确认”；归档后答案都保留，但不再计入领导汇总。`);
      return {
        writes: [{ type: 'archive' }, { type: 'dialog', state: { ...emptyDialog(), templateId: dialog.templateId } }],
        output: { messages: [{ type: 'text', text: `已归档：${ev.year}年度${ev.projectName}。答案和历史记录都保留着；本群可以发送“新建评价 <项目名称> [年度]”开始新的评价。` }] },
      };
    }
  }
}

function template(deps: EngineDeps, ev: NonNullable<Snapshot['evaluation']>): Template | undefined {
  return deps.templates.find((t) => t.id === ev.templateId && t.version === ev.templateVersion);
}

/** Where 填写 <部分> starts: the first open question, else the first question (to change answers). */
function nextInSectionOrFirst(ctx: FormContext, section: FormSection, skipped: Set<string>): Position {
  return nextInSection(ctx, section, skipped) ?? { sectionId: section.id, index: section.repeat ? 0 : undefined, field: section.questions[0].field };
}

/** Ask the question being answered again, briefly, after a command that did not move the person. */
function reask(ctx: FormContext | undefined, dialog: DialogState, d: Decision): Decision {
  const moved = d.writes.some((w) => w.type === 'dialog' && w.state?.position !== dialog.position);
  if (!ctx || !dialog.position || moved) return d;
  return { ...d, output: { ...d.output, messages: [...d.output.messages, { type: 'text', text: `接着回答：${briefPrompt(ctx, dialog.position)}` }] } };
}

/** Open one question (修改, or a number picked from its list), keeping where the person was. */
function goTo(ctx: FormContext, dialog: DialogState, pos: Position): Decision {
  const state: DialogState = {
    ...dialog,
    position: pos,
    choices: undefined,
    pending: undefined,
    resume: dialog.position ?? dialog.resume,
    trail: dialog.position ? [...dialog.trail, dialog.position] : dialog.trail,
  };
  return { writes: [{ type: 'dialog', state }], output: { messages: [{ type: 'text', text: promptText(ctx, pos) }] } };
}

function nextMonth(today: string): string {
  const [y, m, d] = today.split('-').map(Number);
  const date = new Date(Date.UTC(y, m, Math.min(d, 28)));
  return date.toISOString().slice(0, 10);
}
