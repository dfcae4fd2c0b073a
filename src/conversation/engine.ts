// The dialog engine: (snapshot of the chat's evaluation, who said what) → writes and
// replies. It never calls Lark or the database; the bot applies what it returns.
import { beijingDate } from '../domain/calendar';
import { assess } from '../domain/evaluate';
import { type FormSection, formSections } from '../domain/questions';
import { parseDate } from '../domain/parse';
import type { Template } from '../domain/template';
import { answerText, askAt, nextPosition, submitCard } from './answering';
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
  buildDocuments(input: { template: Template; answers: Snapshot['answers']; assessment: ReturnType<typeof assess>; year: number }): Promise<GeneratedFile[]>;
  sha256(bytes: Uint8Array): Promise<string>;
}

export interface Decision {
  writes: Write[];
  output: Output;
}

const say = (text: string): Decision => ({ writes: [], output: { messages: [{ type: 'text', text }] } });

export async function decide(deps: EngineDeps, snap: Snapshot, input: Input): Promise<Decision> {
  const dialog = snap.dialog ?? emptyDialog();
  const ev = snap.evaluation;
  const template = ev ? deps.templates.find((t) => t.id === ev.templateId && t.version === ev.templateVersion) : undefined;
  const ctx = template ? formContext(template, formSections(template), snap.answers) : undefined;
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
    const answers = { ...snap.answers };
    for (const w of r.writes) if (w.type === 'answers') for (const c of w.changes) if (c.value !== null) answers[c.path] = c.value;
    const after = formContext(ctx.template, ctx.sections, answers);
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
  const cmd = parseCommand(text, { answering: !!dialog.position });
  if (cmd) return command(deps, snap, input, dialog, ctx, cmd);
  if (!text.trim()) return say(dialog.position && ctx ? `没有收到内容。\n\n${promptText(ctx, dialog.position)}` : '没有收到内容。发送“帮助”查看可以用的命令。');
  if (dialog.position && ctx && ev) {
    const step = answerText(ctx, snap, dialog, input.actor, text, ev.year);
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
      if (!t) return say(`没有找到模板“${cmd.args}”。可用的模板：\n${list.join('\n')}`);
      return { writes: [{ type: 'dialog', state: { ...dialog, templateId: t.id } }], output: { messages: [{ type: 'text', text: `已选定模板：${t.title}（${t.year}）。` }] } };
    }
    case '新建评价': {
      if (ev) return say(`这个群里已经有进行中的评价：${ev.year}年度${ev.projectName}。发送“进度”查看，或在新的群里新建评价。`);
      const m = cmd.args.match(/^(.*?)\s*(?:(\d{4})\s*年?度?)?$/);
      const name = (m?.[1] ?? '').trim();
      if (!name) return say('请写上项目名称，例如：新建评价 行政综合性经费 2024');
      if (name.length > 60) return say('项目名称太长了（最多60个字），请写简短的名称。');
      const t = deps.templates.find((x) => x.id === (dialog.templateId ?? deps.defaultTemplateId)) ?? deps.templates[0];
      const year = m?.[2] ? Number(m[2]) : t.year;
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
        const step = askAt(ctx, dialog, pos);
        return { writes: step.writes, output: { messages: step.messages } };
      }
      const numbered = cmd.args.match(/^(.*?)\s+(\d+)$/);
      const query = numbered ? numbered[1] : cmd.args;
      const found = matchSections(ctx.sections, query);
      if (!found.length) return say(`没有找到“${cmd.args}”这一部分。发送“进度”查看所有部分的名称和编号。`);
      const section = found[0];
      const index = section.repeat ? (numbered ? Number(numbered[2]) - 1 : undefined) : undefined;
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
      if (!cmd.args) return say('请写上要修改的问题，例如：修改 实际支出数');
      const hits = findQuestions(ctx, cmd.args);
      if (!hits.length) return say(`没有找到“${cmd.args}”这道题。可以写题目里的几个字，例如：修改 实际支出数`);
      if (hits.length > 1 && hits.length <= 8)
        return say(`有${hits.length}道题都含“${cmd.args}”，请写得更具体一些：\n${hits.map((h) => `· ${h.title}`).join('\n')}`);
      const hit = hits[0];
      const state: DialogState = { ...dialog, position: hit.pos, resume: dialog.position, trail: dialog.position ? [...dialog.trail, dialog.position] : dialog.trail };
      return { writes: [{ type: 'dialog', state }], output: { messages: [{ type: 'text', text: promptText(ctx, hit.pos) }] } };
    }
    case '取消':
      return {
        writes: [{ type: 'dialog', state: { ...dialog, position: undefined, resume: undefined } }],
        output: { messages: [{ type: 'text', text: '已暂停填写，已填的答案都保留着。发送“填写”可以接着填。' }] },
      };
    case '分配': {
      if (!ev || !ctx) return need();
      const mentions = input.message.type === 'text' ? input.message.mentions : undefined;
      const { text, people } = splitMentions(cmd.args, mentions);
      if (!people.length) return say('请 @ 要分配的人，例如：分配 资金来源 @张三');
      if (people.length > 1) return say('一次只能分配给一个人。');
      const found = matchSections(ctx.sections, text);
      if (!found.length) return say(`没有找到“${text}”这一部分。发送“进度”查看所有部分的名称和编号。`);
      const who = people[0];
      return {
        writes: [{ type: 'assign', sectionIds: found.map((s) => s.id), user: who }],
        output: {
          messages: [
            { type: 'text', text: `已把${found.map((s) => `「${s.title}」`).join('')}分配给 @${who.name}。@${who.name} 发送“填写”即可开始。`, mentions: [who] },
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
      return { writes: [{ type: 'deadline', date: String(d.value) }], output: { messages: [{ type: 'text', text: `截止日期已设为 ${d.value}。` }] } };
    }
    case '问题': {
      if (!ev || !template(deps, ev)) return need();
      const t = template(deps, ev)!;
      const m = cmd.args.match(/^(\S+)\s+([\s\S]+)$/);
      const cats = t.problemCategories.map((c) => c.label.replace(/存在的问题$/, '').replace(/问题$/, ''));
      if (!m) return say(`请写上类别和描述，例如：问题 资金管理 部分支出凭证不完整\n类别：${cats.join('、')}`);
      const cat = t.problemCategories.find((c, i) => c.label === m[1] || cats[i] === m[1] || c.label.startsWith(m[1]) || c.id === m[1]);
      if (!cat) return say(`没有“${m[1]}”这个类别。可选：${cats.join('、')}`);
      const description = m[2].trim();
      if (description.length > 500) return say('问题描述太长了（最多500字）。');
      return {
        writes: [{ type: 'problem', problem: { category: cat.id, description } }],
        output: { messages: [{ type: 'text', text: `已添加到问题清单「${cat.label}」：${description}` }] },
      };
    }
    case '生成报告':
      return generate(deps, snap, ev, ctx);
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

/** Questions whose label contains what the person typed, across the whole form. */
function findQuestions(ctx: FormContext, query: string) {
  const q = query.replace(/\s+/g, '');
  const out: { pos: { sectionId: string; index?: number; field: string }; title: string }[] = [];
  for (const s of ctx.sections) {
    const count = s.repeat ? Math.max(1, Object.keys(ctx.answers).filter((k) => k.startsWith(`${s.group}[`)).reduce((n, k) => Math.max(n, Number(k.slice(s.group.length + 1, k.indexOf(']'))) + 1), 0)) : 1;
    for (const question of s.questions)
      if (question.label.includes(q))
        for (let i = 0; i < count; i++)
          out.push({
            pos: { sectionId: s.id, index: s.repeat ? i : undefined, field: question.field },
            title: `${s.title}${s.repeat ? `·第${i + 1}项` : ''}·${question.label}`,
          });
  }
  const exact = out.filter((h) => h.title.endsWith(`·${q}`));
  return exact.length ? exact : out;
}

async function generate(deps: EngineDeps, snap: Snapshot, ev: Snapshot['evaluation'], ctx: FormContext | undefined): Promise<Decision> {
  if (!ev || !ctx) return say('这个群里还没有评价。发送“新建评价 <项目名称> [年度]”开始。');
  const assessment = assess(ctx.template, snap.answers, snap.problems);
  const files = await deps.buildDocuments({ template: ctx.template, answers: snap.answers, assessment, year: ev.year });
  const docs = await Promise.all(
    files.map(async (f) => ({ kind: f.kind, fileName: f.fileName, sha256: await deps.sha256(f.bytes), size: f.bytes.length })),
  );
  const missing = ctx.sections.flatMap((s) => missingIn(ctx, s).map((m) => `${s.title}·${m.label}`));
  const messages: Outgoing[] = [{ type: 'card', card: resultCard(assessment, ev) }];
  if (missing.length)
    messages.push({
      type: 'text',
      text: `注意：还有${missing.length}项必填内容没填，文件里对应位置是空白：\n${missing.slice(0, 15).join('\n')}${missing.length > 15 ? '\n……' : ''}`,
    });
  for (const f of files) messages.push({ type: 'file', fileName: f.fileName, bytes: f.bytes });
  return { writes: [{ type: 'documents', docs, answersVersion: ev.answersVersion }], output: { messages } };
}
