// 沿用: start this year's evaluation from an earlier one. Only answers the template
// marks `carryOver` are copied (unit facts, 立项依据, organisation, evaluators, the
// department's indicator set), never figures or scores; each is shown as 沿用去年：…,
// stays unless someone answers it again, and the history names where it came from.
import type { Answers } from '../domain/answers';
import { formatAnswer } from '../domain/parse';
import { type FormContext, formContext } from '../domain/progress';
import { type FormSection, formSections, questionAt } from '../domain/questions';
import type { QuestionKind, Template } from '../domain/template';
import { nameAndYear, quoted, splitAtWord } from './argText';
import { askAt, nextPosition } from './answering';
import { type CommandTable, matchCommand, parseCommand } from './commands';
import { type DialogState, type EarlierEvaluation, type Snapshot, type Write, emptyDialog } from './state';
import type { Input, Outgoing } from './types';

/** Kinds that are figures or scores: they change every year and are never carried over. */
const neverCarried = new Set<QuestionKind>(['money', 'percent', 'score', 'count', 'year', 'date']);

export function carriedAnswers(sections: FormSection[], source: Answers, current: Answers): Answers {
  const out: Answers = {};
  for (const [path, value] of Object.entries(source)) {
    if (current[path] !== undefined) continue;
    const at = questionAt(sections, path);
    if (!at?.question.carryOver || neverCarried.has(at.question.kind)) continue;
    if (at.section.repeat && (at.index ?? 0) >= at.section.repeat.max) continue;
    out[path] = value;
  }
  return out;
}

export const viaCarry = (e: EarlierEvaluation) => `沿用 ${e.year}年度${e.projectName}（#${e.id}）`;

/** "2024", "2024年度行政综合性经费", "#12", "去年": the earlier evaluation meant, if exactly one fits. */
export function findSource(earlier: EarlierEvaluation[], query: string, year: number): EarlierEvaluation | EarlierEvaluation[] {
  const q = query.replace(/\s+/g, '');
  const id = /^#(\d+)$/.exec(q);
  if (id) return earlier.filter((e) => e.id === Number(id[1]));
  const wantYear = /^(去年|上年|上一年|上年度)$/.test(q) ? year - 1 : Number(/^(\d{4})/.exec(q)?.[1] ?? NaN);
  const rest = q.replace(/^\d{4}年?度?/, '');
  const hits = earlier.filter((e) => (Number.isNaN(wantYear) || e.year === wantYear) && (!rest || /^(去年|上年|上一年|上年度)$/.test(q) || e.projectName.includes(rest)));
  return hits.length === 1 ? hits[0] : hits.length ? [hits[0]] : [];
}

const short = (s: string, n = 28) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** One line per carried answer, 沿用去年：…, at most `max` lines. */
function carriedLines(ctx: FormContext, carried: Answers, max = 40): string[] {
  const lines: string[] = [];
  // in the order of the form: section, item, question
  const rank = (path: string) => {
    const at = questionAt(ctx.sections, path);
    return at ? ctx.sections.indexOf(at.section) * 1e6 + (at.index ?? 0) * 1e3 + at.section.questions.indexOf(at.question) : Infinity;
  };
  const paths = Object.keys(carried).sort((a, b) => rank(a) - rank(b));
  for (const path of paths) {
    const v = carried[path];
    const at = questionAt(ctx.sections, path);
    if (!at) continue;
    const where = `${at.section.title}${at.section.repeat ? `·第${(at.index ?? 0) + 1}项` : ''}·${at.question.label}`;
    lines.push(`· ${where} — 沿用去年：${short(formatAnswer(at.question.kind, v).replace(/\s+/g, ' '))}`);
  }
  return lines.length > max ? [...lines.slice(0, max), `……共${lines.length}项`] : lines;
}

function summary(ctx: FormContext, source: EarlierEvaluation, carried: Answers): string {
  const n = Object.keys(carried).length;
  if (!n) return `${source.year}年度${source.projectName}里没有可以沿用的答案（金额、得分等每年都要重新填）。`;
  return [
    `已沿用${source.year}年度${source.projectName}的${n}项答案（金额、实际值和得分不沿用）：`,
    ...carriedLines(ctx, carried),
    '没有变化的不用管，会照样保留；要改哪一项，发送“修改 <问题>”或在“填写 <部分>”的卡片里改。',
  ].join('\n');
}

type CarryName = '沿用';
const table: CommandTable<CarryName> = { names: ['沿用'], aliases: { 沿用去年: '沿用' }, attached: () => true };

/** For 新建评价 and 沿用, the project whose earlier evaluations the bot should load; undefined for other messages. */
export function earlierWanted(input: Input, current?: { projectName: string }): { projectName?: string } | undefined {
  const m = input.message;
  const text = m.type === 'text' ? m.text : m.type === 'action' && m.action.kind === 'command' ? m.action.command : undefined;
  if (text === undefined) return undefined;
  const created = parseCommand(text);
  if (created?.name === '新建评价') return { projectName: nameAndYear(splitAtWord(created.args, '沿用')?.before ?? created.args).name || undefined };
  return matchCommand(table, text) ? { projectName: current?.projectName } : undefined;
}

export interface CarryDeps {
  templates: readonly Template[];
  /** The engine's own 新建评价, to create the evaluation exactly as it does. */
  decideNew(text: string): Promise<{ writes: Write[]; messages: Outgoing[] }>;
}

/** 新建评价 … 沿用 <来源>, or 沿用 <来源> in a chat with a current evaluation; undefined for anything else. */
export async function carryCommand(deps: CarryDeps, snap: Snapshot, input: Input, dialog: DialogState): Promise<{ writes: Write[]; messages: Outgoing[] } | undefined> {
  if (input.message.type !== 'text') return undefined;
  const say = (text: string) => ({ writes: [], messages: [{ type: 'text' as const, text }] });
  const earlier = snap.earlier ?? [];
  const created = parseCommand(input.message.text);
  if (created?.name === '新建评价') {
    const m = splitAtWord(created.args, '沿用');
    if (!m) return undefined;
    const base = await deps.decideNew(`新建评价 ${m.before}`);
    const create = base.writes.find((w) => w.type === 'createEvaluation');
    if (!create || create.type !== 'createEvaluation') return base; // refused: the engine said why
    const found = findSource(earlier, m.after || '去年', create.year);
    const source = Array.isArray(found) ? found[0] : found;
    if (!source) return say(`没有找到要沿用的评价“${quoted(m.after || '去年')}”。${choices(earlier)}没有新建评价。`);
    const template = deps.templates.find((t) => t.id === create.templateId && t.version === create.templateVersion)!;
    const sections = formSections(template);
    const name = { 'project.name': create.projectName };
    const carried = carriedAnswers(sections, source.answers, name);
    const ctx = formContext(template, sections, { ...name, ...carried });
    const step = askAt(ctx, { ...emptyDialog(), templateId: dialog.templateId }, nextPosition(ctx, { ...snap, answers: ctx.answers, assignments: [] }, input.actor, new Set()), [
      `已新建评价：${create.year}年度${create.projectName}（模板：${template.title}）。`,
      summary(ctx, source, carried),
      '接下来只问每年会变的内容：',
    ]);
    const writes: Write[] = [
      ...base.writes.filter((w) => w.type !== 'dialog'),
      ...(Object.keys(carried).length ? [{ type: 'answers' as const, changes: Object.entries(carried).map(([path, value]) => ({ path, value })), via: viaCarry(source) }] : []),
      ...step.writes,
    ];
    return { writes, messages: step.messages };
  }
  const cmd = matchCommand(table, input.message.text, { answering: !!dialog.position });
  if (!cmd) return undefined;
  const ev = snap.evaluation;
  const template = ev && deps.templates.find((t) => t.id === ev.templateId && t.version === ev.templateVersion);
  if (!ev || !template) return say('这个群里还没有评价。发送“新建评价 <项目名称> <年度> 沿用 <去年的评价>”开始，例如：新建评价 行政综合性经费 2025 沿用 2024');
  const found = findSource(earlier, cmd.args || '去年', ev.year);
  const source = Array.isArray(found) ? found[0] : found;
  if (!source) return say(`没有找到要沿用的评价“${quoted(cmd.args || '去年')}”。${choices(earlier)}`);
  const sections = formSections(template);
  const carried = carriedAnswers(sections, source.answers, snap.answers);
  const ctx = formContext(template, sections, { ...snap.answers, ...carried });
  const writes: Write[] = Object.keys(carried).length ? [{ type: 'answers', changes: Object.entries(carried).map(([path, value]) => ({ path, value })), via: viaCarry(source) }] : [];
  return { writes, messages: [{ type: 'text', text: `${summary(ctx, source, carried)}\n已经填过的答案不变。发送“填写”接着填。` }] };
}

function choices(earlier: EarlierEvaluation[]): string {
  if (!earlier.length) return '本群和同名项目都没有更早的评价。';
  return `可以沿用的：${earlier.map((e) => `${e.year}年度${e.projectName}（#${e.id}）`).join('、')}。`;
}

/** After a plain 新建评价: a button per earlier evaluation this one could start from. */
export function carryOffer(earlier: EarlierEvaluation[] | undefined, year: number): Outgoing[] {
  const older = (earlier ?? []).filter((e) => e.year < year).slice(0, 3);
  if (!older.length) return [];
  return [
    {
      type: 'card',
      card: {
        title: '从往年的评价开始？',
        tone: 'blue',
        blocks: [
          { type: 'text', text: '单位情况、立项依据、组织管理、评价人员和指标名称等每年基本不变的内容可以沿用，金额和得分不沿用。' },
          { type: 'buttons', buttons: older.map((e) => ({ label: `沿用 ${e.year}年度${e.projectName}`, action: { kind: 'command' as const, command: `沿用 #${e.id}` } })) },
        ],
      },
    },
  ];
}
