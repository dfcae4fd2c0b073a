// A Word or Excel file sent to the chat: read it, say what it would fill section by
// section, and apply it only when the sender says 确认 (answers already given are
// kept) or 覆盖 (they are replaced too). Pure: the bytes come with the message.
import type { Answers, AnswerValue } from '../domain/answers';
import { formatAnswer } from '../domain/parse';
import { type FormContext, formContext, missingIn } from '../domain/progress';
import { questionAt } from '../domain/questions';
import { importFile, tooLarge } from '../import';
import { type CommandTable, matchCommand } from './commands';
import type { DialogState, PendingImport, Snapshot, Write } from './state';
import type { Input, Outgoing } from './types';

export interface ImportDecision {
  writes: Write[];
  messages: Outgoing[];
}

const text = (t: string): Outgoing[] => [{ type: 'text', text: t }];
const short = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);
const shown = (ctx: FormContext, path: string, v: AnswerValue) => {
  const q = questionAt(ctx.sections, path)?.question;
  return short((q ? formatAnswer(q.kind, v) : String(v)).replace(/\s+/g, ' '));
};
const same = (a: AnswerValue | undefined, b: AnswerValue) => a !== undefined && String(a) === String(b);

/** The paths of `answers` that are new, the same as now, or would replace an answer given. */
function compare(current: Answers, answers: Answers) {
  const fresh: string[] = [];
  const unchanged: string[] = [];
  const replacing: string[] = [];
  for (const [path, v] of Object.entries(answers))
    (current[path] === undefined ? fresh : same(current[path], v) ? unchanged : replacing).push(path);
  return { fresh, unchanged, replacing };
}

export function viaOf(p: PendingImport): string {
  return `导入 ${p.fileName}（${p.sender.name}发送）`;
}

/** The reply to a file: section by section what it holds, what stays empty, what it would replace. */
export async function receiveFile(ctx: FormContext | undefined, snap: Snapshot, input: Input, dialog: DialogState): Promise<ImportDecision> {
  const m = input.message;
  if (m.type !== 'file') return { writes: [], messages: [] };
  const ev = snap.evaluation;
  if (!ev || !ctx)
    return { writes: [], messages: text('这个群里还没有评价，先发送“新建评价 <项目名称> [年度]”，再把 Word 或 Excel 文件发到群里，机器人会把能读出的内容填进去。') };
  if (!m.bytes && m.size !== undefined) return { writes: [], messages: text(tooLarge(m.fileName, m.size)) };
  if (!m.bytes) return { writes: [], messages: text(`没有取到“${m.fileName}”的内容，请重新发送一次。`) };
  const r = await importFile(m.bytes, m.fileName, ctx.template, { year: ev.year });
  if (!r.ok) return { writes: [], messages: text(r.message) };
  const { fresh, unchanged, replacing } = compare(snap.answers, r.answers);
  const after = formContext(ctx.template, ctx.sections, { ...snap.answers, ...r.answers });
  const lines = [`已读取“${m.fileName}”（${r.kind === 'docx' ? 'Word' : 'Excel'}），认出${Object.keys(r.answers).length}项答案，还没有保存：`];
  for (const s of ctx.sections) {
    const here = Object.keys(r.answers).filter((p) => questionAt([s], p));
    if (!here.length) continue;
    const parts = [`新填${here.filter((p) => fresh.includes(p)).length}项`];
    const u = here.filter((p) => unchanged.includes(p)).length;
    const x = here.filter((p) => replacing.includes(p)).length;
    if (u) parts.push(`与已填相同${u}项`);
    if (x) parts.push(`会替换已填的${x}项`);
    lines.push(`· ${s.title}：${here.length}项（${parts.join('，')}）`);
  }
  const missing = after.sections.flatMap((s) => missingIn(after, s).map((q) => `${s.title}·${q.label}`));
  if (missing.length) lines.push(`导入后仍空着的必填项（${missing.length}项）：${missing.slice(0, 8).join('；')}${missing.length > 8 ? '……' : ''}`);
  if (r.unmatched.length)
    lines.push(`读不出的内容（不会导入）：\n${r.unmatched.slice(0, 8).map((u) => `· ${u.label}“${u.text}”：${u.message.split('\n')[0]}`).join('\n')}`);
  if (replacing.length)
    lines.push(
      `与已填答案不同的${replacing.length}项：\n${replacing
        .slice(0, 8)
        .map((p) => `· ${after.sections.length ? labelOf(ctx, p) : p}：现在“${shown(ctx, p, snap.answers[p])}”，文件里“${shown(ctx, p, r.answers[p])}”`)
        .join('\n')}${replacing.length > 8 ? '\n……' : ''}`,
    );
  lines.push(
    replacing.length
      ? `发送“确认”导入新填的${fresh.length}项，已填的答案保留；发送“覆盖”连同不同的${replacing.length}项一起用文件里的；发送“放弃导入”什么都不改。`
      : `发送“确认”导入这${fresh.length}项；发送“放弃导入”什么都不改。`,
  );
  const pendingImport: PendingImport = { fileName: m.fileName, sender: input.actor, answers: r.answers };
  return { writes: [{ type: 'dialog', state: { ...dialog, pendingImport } }], messages: text(lines.join('\n')) };
}

function labelOf(ctx: FormContext, path: string): string {
  const at = questionAt(ctx.sections, path);
  if (!at) return path;
  return `${at.section.title}${at.section.repeat ? `·第${(at.index ?? 0) + 1}项` : ''}·${at.question.label}`;
}

type ImportCommandName = '确认' | '覆盖' | '放弃导入';
const table: CommandTable<ImportCommandName> = {
  names: ['确认', '覆盖', '放弃导入'],
  aliases: { 确认导入: '确认', 导入: '确认', 覆盖导入: '覆盖', 全部覆盖: '覆盖', 不导入: '放弃导入', 放弃: '放弃导入' },
  attached: () => false,
};

/** 确认 / 覆盖 / 放弃导入, only while a file waits; otherwise undefined (the words mean nothing else here). */
export function importCommand(ctx: FormContext | undefined, snap: Snapshot, input: Input, dialog: DialogState): ImportDecision | undefined {
  const pending = dialog.pendingImport;
  if (!pending || input.message.type !== 'text') return undefined;
  const cmd = matchCommand(table, input.message.text);
  if (!cmd || cmd.args) return undefined;
  const rest: DialogState = { ...dialog, pendingImport: undefined };
  if (cmd.name === '放弃导入') return { writes: [{ type: 'dialog', state: rest }], messages: text(`没有导入“${pending.fileName}”，答案都没有改。`) };
  if (!ctx || !snap.evaluation) return { writes: [{ type: 'dialog', state: rest }], messages: text('这个群里已经没有进行中的评价，文件没有导入。') };
  // compared again now: someone may have answered since the file was read
  const { fresh, replacing } = compare(snap.answers, pending.answers);
  const paths = cmd.name === '覆盖' ? [...fresh, ...replacing] : fresh;
  // a template changed since: only paths it still asks
  const changes = paths.filter((p) => questionAt(ctx.sections, p)).map((path) => ({ path, value: pending.answers[path] }));
  const kept = cmd.name === '覆盖' ? 0 : replacing.length;
  const writes: Write[] = [{ type: 'dialog', state: rest }];
  if (changes.length) writes.unshift({ type: 'answers', changes, via: viaOf(pending) });
  const after = formContext(ctx.template, ctx.sections, { ...snap.answers, ...Object.fromEntries(changes.map((c) => [c.path, c.value])) });
  const missing = after.sections.reduce((n, s) => n + missingIn(after, s).length, 0);
  const lines = [
    changes.length ? `已从“${pending.fileName}”导入${changes.length}项答案（历史记录里记为 ${pending.sender.name} 发送的文件）。` : '文件里没有需要导入的新内容。',
  ];
  if (kept) lines.push(`已填的${kept}项保留原答案；要用文件里的，请再发一次文件并回复“覆盖”。`);
  lines.push(missing ? `还有${missing}项必填内容没填，发送“填写”接着填，或“进度”查看。` : '必填内容都已填好，可以发送“生成报告”。');
  return { writes, messages: text(lines.join('\n')) };
}
