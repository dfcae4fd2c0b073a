// 生成报告 and 确认: an unfinished evaluation gets draft documents (marked in the
// documents themselves) and stays 填写中; a finished one with reviewer warnings is
// generated only after a fix or an explicit 确认, recorded with who and when.
import { assess } from '../domain/evaluate';
import { type FormContext, missingIn } from '../domain/progress';
import { resultCard, warningsText } from './render';
import type { Snapshot, Write } from './state';
import type { Actor, Outgoing } from './types';
import type { Decision, EngineDeps } from './engine';

const say = (text: string): Decision => ({ writes: [], output: { messages: [{ type: 'text', text }] } });

export async function generate(deps: EngineDeps, snap: Snapshot, ctx: FormContext | undefined, actor: Actor, confirm: boolean): Promise<Decision> {
  const ev = snap.evaluation;
  if (!ev || !ctx) return say('这个群里还没有评价。发送“新建评价 <项目名称> [年度]”开始。');
  const assessment = assess(ctx.template, snap.answers, snap.problems);
  const missing = ctx.sections.flatMap((s) => missingIn(ctx, s).map((m) => `${s.title}·${m.label}`));
  const gaps = missing;

  if (gaps.length) {
    const draft = `草稿：评价尚未填完（还缺${gaps.length}项），本文件仅供核对，不能报送。`;
    const files = await deps.buildDocuments({ template: ctx.template, answers: snap.answers, assessment, year: ev.year, draft });
    const messages: Outgoing[] = [
      {
        type: 'text',
        text: `还有${gaps.length}项没填完，这次生成的是**草稿**（文件开头和文件名都标了“草稿”，不能报送），评价仍算“填写中”：\n${gaps.slice(0, 15).join('\n')}${gaps.length > 15 ? '\n……' : ''}\n填完后再发送“生成报告”得到正式文件。`,
      },
    ];
    for (const f of files) messages.push({ type: 'file', fileName: f.fileName, bytes: f.bytes });
    return { writes: [], output: { messages } };
  }

  const warnings = assessment.warnings.map((w) => w.message);
  const c = ev.warningsConfirmed;
  const accepted = !!c && c.answersVersion === ev.answersVersion && warnings.every((w) => c.warnings.includes(w));
  if (warnings.length && !accepted && !confirm)
    return say(
      `${warningsText(assessment)}\n\n生成正式文件之前，请逐条修改（“修改 <问题>”），或者确认这些情况属实、不需要修改，发送“确认”。确认会记下是谁、什么时候确认的，领导汇总里会显示。`,
    );
  const writes: Write[] = [];
  if (warnings.length && !accepted) writes.push({ type: 'confirmWarnings', warnings, answersVersion: ev.answersVersion });
  const files = await deps.buildDocuments({ template: ctx.template, answers: snap.answers, assessment, year: ev.year });
  const docs = await Promise.all(files.map(async (f) => ({ kind: f.kind, fileName: f.fileName, sha256: await deps.sha256(f.bytes), size: f.bytes.length })));
  const messages: Outgoing[] = [{ type: 'card', card: resultCard(assessment, ev) }];
  if (warnings.length) messages.push({ type: 'text', text: `${warnings.length}条审核提示已由 ${accepted ? c!.name : actor.name} 确认，已记录。` });
  for (const f of files) messages.push({ type: 'file', fileName: f.fileName, bytes: f.bytes });
  writes.push({ type: 'documents', docs, answersVersion: ev.answersVersion });
  return { writes, output: { messages } };
}
