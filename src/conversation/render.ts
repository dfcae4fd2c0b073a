// What the engine says, in the bot's own terms: question prompts as text, a section
// as a card with fields, the progress card, the result card.
import { escapeCardMarkdown } from './escape';
import { formatAnswer } from '../domain/parse';
import { filledDefault } from '../domain/defaults';
import { type FormQuestion, type FormSection, pathOf } from '../domain/questions';
import { formatScore } from '../domain/decimal';
import { formatRate } from '../domain/funds';
import type { Assessment } from '../domain/evaluate';
import { type FormContext, askedQuestions, missingIn, sectionState } from '../domain/progress';
import { MORE, type Position, findSection } from './flow';
import type { EvaluationInfo, Snapshot } from './state';
import type { Card, FormField } from './types';

const kindHint: Partial<Record<FormQuestion['kind'], string>> = {
  money: '单位万元',
  percent: '百分数',
  date: '日期',
  count: '整数',
  score: '分数',
  phone: '电话号码',
};

export function questionOf(ctx: FormContext, pos: Position): { section: FormSection; question?: FormQuestion } | undefined {
  const section = findSection(ctx.sections, pos.sectionId);
  if (!section) return undefined;
  return { section, question: section.questions.find((q) => q.field === pos.field) };
}

/** "【资金来源·第1项 2/4】年初预算数（万元）" with help, example and the current answer. */
export function promptText(ctx: FormContext, pos: Position): string {
  const found = questionOf(ctx, pos);
  if (!found) return '这一题已经不在模板里了，请发送“填写”继续。';
  const { section } = found;
  if (pos.field === MORE) {
    const label = section.repeat?.itemLabel ?? '项';
    const next = (pos.index ?? -1) + 2;
    return next === 1
      ? `【${section.title}】有需要填写的${label}吗？回复“是”开始填写，回复“否”跳过这一部分。`
      : `第${next - 1}项${label}已填好。还要添加第${next}项${label}吗？回复“是”或“否”。`;
  }
  const q = found.question!;
  const asked = askedQuestions(ctx, section, pos.index);
  const n = asked.indexOf(q) + 1;
  const where = section.repeat ? `${section.title}·第${(pos.index ?? 0) + 1}项` : section.title;
  const lines = [`【${where} ${n}/${asked.length}】${q.label}${q.required ? '' : '（可跳过）'}`];
  if (q.help) lines.push(q.help);
  if (q.kind === 'choice' && q.options) lines.push(q.options.map((o, i) => `${i + 1}. ${o}`).join('　'));
  else if (kindHint[q.kind]) lines.push(`（${kindHint[q.kind]}${q.example ? `，例如：${q.example}` : ''}）`);
  else if (q.example) lines.push(`例如：${q.example.length > 40 ? `${q.example.slice(0, 40)}……` : q.example}`);
  const current = ctx.answers[pathOf(section, q, pos.index)];
  const byDefault = filledDefault(q, ctx.answers);
  if (byDefault !== undefined && current === undefined) lines.push(`默认文字：${short(byDefault)}\n回复“默认”照用这段文字，或回复你们自己的文字。`);
  if (current !== undefined) lines.push(`现在的答案：${short(formatAnswer(q.kind, current))}（回复新答案即可修改）`);
  else if (n === 1 && asked.length > 1) lines.push(`💡 ${batchHint(section, asked)}`);
  return lines.join('\n');
}

/** How to answer a whole section (or item) in one message, shown with its first question. */
function batchHint(section: FormSection, asked: FormQuestion[]): string {
  const plain = (l: string) => l.replace(/（[^）]*）/g, '');
  if (section.repeat) return `也可以一行填完一项，各栏用空格隔开：${asked.map((q) => plain(q.label)).join(' ')}；几项就发几行。`;
  if (section.level1) return '也可以一行一个指标，一次发几行：指标名 达成情况 得分 扣分原因（例如：立项依据充分性 达成 5）。';
  return `也可以一次发几行“标签：值”，例如：${plain(asked[0].label)}：……（换行）${plain(asked[1].label)}：……`;
}

const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}……` : s);

/** A section (or one item of a repeated section) as a card form. */
export function sectionCard(
  ctx: FormContext,
  evaluationId: number,
  section: FormSection,
  index: number | undefined,
  marks: Record<string, { error?: string; saved?: boolean }> = {},
): Card {
  const fields: FormField[] = askedQuestions(ctx, section, index).map((q) => {
    const v = ctx.answers[pathOf(section, q, index)];
    return {
      name: q.id,
      label: `${q.label}${q.required ? '（必填）' : ''}`,
      kind: q.kind === 'choice' ? 'select' : q.kind === 'longText' ? 'textarea' : 'input',
      required: false, // checked by our parsers, so a half-filled form still saves what is good
      options: q.options,
      value: v === undefined ? undefined : formatAnswer(q.kind, v),
      placeholder: q.default !== undefined ? `默认：${short(filledDefault(q, ctx.answers) ?? '', 30)}` : q.example ? `例如：${short(q.example, 30)}` : q.help,
      ...marks[q.id],
    };
  });
  const title = section.repeat ? `${section.title}·第${(index ?? 0) + 1}项${section.repeat.itemLabel}` : section.title;
  return {
    title,
    tone: 'blue',
    blocks: [
      ...(section.description ? [{ type: 'text' as const, text: section.description }] : []),
      {
        type: 'form',
        name: `f_${section.id}_${index ?? 0}`,
        fields,
        submit: { label: '保存', action: { kind: 'submit', evaluationId, sectionId: section.id, index, values: {} } },
      },
      {
        type: 'buttons',
        buttons: [
          ...(section.repeat && (index ?? 0) + 1 < section.repeat.max
            ? [{ label: `添加第${(index ?? 0) + 2}项`, action: { kind: 'command' as const, command: `填写 ${section.title} ${(index ?? 0) + 2}` } }]
            : []),
          { label: '查看进度', action: { kind: 'command', command: '进度' } },
        ],
      },
    ],
  };
}

const stateLabel = { done: '✅ 已完成', partial: '✏️ 填写中', empty: '⬜ 未开始' } as const;

export function progressCard(ctx: FormContext, snap: Snapshot, evaluation: EvaluationInfo): Card {
  const rows = ctx.sections.map((s, i) => {
    const st = sectionState(ctx, s);
    const who = snap.assignments.find((a) => a.sectionId === s.id)?.name ?? '—';
    const missing = missingIn(ctx, s);
    return [
      `${i + 1}. ${s.title}`,
      stateLabel[st],
      who,
      missing.length ? short(missing.map((m) => m.label).join('、'), 80) : '',
    ];
  });
  const done = rows.filter((r) => r[1] === stateLabel.done).length;
  return {
    title: `填写进度：${evaluation.year}年度${evaluation.projectName}`,
    tone: done === rows.length ? 'green' : 'blue',
    blocks: [
      {
        type: 'text',
        text: `已完成 ${done}/${rows.length} 部分${evaluation.deadline ? `，截止日期 ${evaluation.deadline}` : ''}。${
          evaluation.status === 'generated' ? '报告已生成。' : ''
        }`,
      },
      { type: 'table', columns: ['部分', '状态', '负责人', '还缺'], rows },
      { type: 'buttons', buttons: [{ label: '继续填写', action: { kind: 'command', command: '填写' }, style: 'primary' }] },
    ],
  };
}

export function progressText(card: Card): string {
  const table = card.blocks.find((b) => b.type === 'table');
  const head = card.blocks.find((b) => b.type === 'text');
  const lines = [card.title, head && head.type === 'text' ? head.text : ''];
  if (table && table.type === 'table')
    for (const r of table.rows) lines.push(`${r[0]}　${r[1]}　负责人：${r[2]}${r[3] ? `　还缺：${r[3]}` : ''}`);
  return lines.filter(Boolean).join('\n');
}

const pts = formatScore;

/** The reviewer's warnings as the chat shows them; many unscored indicators make one line, not twenty. */
export function warningsText(a: Assessment): string {
  if (!a.warnings.length) return '没有发现审核问题。';
  const missing = a.warnings.filter((w) => w.code === 'SCORE_MISSING');
  const lines = a.warnings.filter((w) => missing.length <= 3 || w.code !== 'SCORE_MISSING').map((w) => escapeCardMarkdown(w.message));
  if (missing.length > 3) lines.push(`${missing.length}个指标还没有得分，按0分计；发送“进度”查看还缺哪些。`);
  return `**审核提示（${a.warnings.length}条，不影响生成，但财政局审核时可能退回）**\n${lines.map((l, i) => `${i + 1}. ${l}`).join('\n')}`;
}

export function resultCard(a: Assessment, evaluation: EvaluationInfo): Card {
  const r = a.funds.rates;
  return {
    title: `自评结果：${evaluation.year}年度${evaluation.projectName}`,
    tone: a.warnings.length ? 'orange' : 'green',
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: '总分', value: `${pts(a.scores.total)}分` },
          { label: '评价等次', value: a.scores.grade },
          ...a.scores.levels.map((l) => ({ label: l.name, value: `${pts(l.score)}/${pts(l.weight)}分` })),
          // the rates this template defines, in its order (not every template has all three)
          ...Object.values(r).map((x) => ({ label: `${x.name}（${x.definition}）`, value: formatRate(x) })),
        ],
      },
      { type: 'divider' },
      { type: 'text', text: warningsText(a) },
      { type: 'text', text: `问题清单共${a.problems.length}条。评价表、绩效评价报告和问题清单见下方文件。` },
    ],
  };
}
