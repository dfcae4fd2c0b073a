// 整改 in the chat: reading the commands, and what the bot shows and says. Pure; the
// bot (src/bot/rectification.ts) loads the items, applies the changes and sends this.
//
//   整改                       the list: every item, its owner, deadline and state
//   整改 2                     item 2's card (a form to set measure, unit, owner, deadline, state)
//   整改 2 措施 <text>         also: 单位 <text>, 责任人 @某人, 时限 <日期>, 进展 <text>,
//   整改 2 完成 <说明>         无需整改 <说明>, 开始 (整改中), 重新打开 (未开始)
//   整改 2 附件                the sender's next file (or the one just sent) is item 2's evidence
//   添加整改 <类别> <描述>     an item added by hand
//   整改情况表                 the 整改情况 table as .docx
//   整改汇总                   leaders: every open item across evaluations (card, chart, .xlsx)
import { type CommandTable, matchCommand } from './commands';
import { toHalfWidth } from '../domain/parse';
import { type RectChange, type RectItem, type RectStatus, evidenceFileText, exampleDueDate, isClosed, isOverdueItem, missingSetup, statusLabels } from '../domain/rectification';
import type { DateString } from '../domain/calendar';
import type { Card, CardBlock, FormField } from './types';

export const rectCommandNames = ['整改', '添加整改', '整改情况表', '整改汇总'] as const;
export type RectCommandName = (typeof rectCommandNames)[number];

const table: CommandTable<RectCommandName> = {
  names: rectCommandNames,
  aliases: { 整改清单: '整改', 整改事项: '整改', 新增整改: '添加整改', 整改表: '整改情况表', 整改情况: '整改情况表', 整改统计: '整改汇总' },
  attached: (name, rest) => name === '整改' && /^\d/.test(rest),
};

export function parseRectCommand(text: string, opts: { answering?: boolean } = {}) {
  return matchCommand(table, text, opts);
}

/** Words for each change, longest first when matched. */
const verbs: { words: string[]; field: RectChange['field']; status?: RectStatus }[] = [
  { words: ['整改措施', '措施'], field: 'measure' },
  { words: ['责任单位', '单位'], field: 'unit' },
  { words: ['责任人', '负责人'], field: 'owner' },
  { words: ['完成时限', '时限', '期限', '截止'], field: 'dueDate' },
  { words: ['整改进展', '进展', '证据', '证明材料', '说明材料', '附件', '文件', '上传'], field: 'evidence' },
  { words: ['无需整改', '不需整改'], field: 'status', status: 'waived' },
  { words: ['已完成', '完成'], field: 'status', status: 'done' },
  { words: ['整改中', '开始'], field: 'status', status: 'doing' },
  { words: ['重新打开', '未开始'], field: 'status', status: 'todo' },
];

export type RectSubcommand =
  | { kind: 'list' }
  | { kind: 'show'; seq: number }
  | { kind: 'change'; seq: number; field: RectChange['field']; status?: RectStatus; text: string; word: string }
  /** evidence named but not written: a file is to come (or has just come) */
  | { kind: 'attach'; seq: number }
  | { kind: 'unknown'; seq?: number; text: string };

/** The arguments of 整改: nothing, a number, or a number, a verb and its value. */
export function parseRectArgs(args: string): RectSubcommand {
  const t = args.trim();
  if (!t) return { kind: 'list' };
  const m = /^(?:第)?(\d{1,4})(?:项|条|号)?(?:\s*[:：]?\s*)([\s\S]*)$/.exec(t);
  if (!m) return { kind: 'unknown', text: t };
  const seq = Number(m[1]);
  const rest = m[2].trim();
  if (!rest) return { kind: 'show', seq };
  const words = verbs.flatMap((v) => v.words.map((w) => ({ w, v }))).sort((a, b) => b.w.length - a.w.length);
  for (const { w, v } of words) {
    if (!rest.startsWith(w)) continue;
    const text = rest.slice(w.length).replace(/^[\s:：,，为是]+/, '').trim();
    if (v.field === 'evidence' && !text) return { kind: 'attach', seq };
    return { kind: 'change', seq, field: v.field, ...(v.status ? { status: v.status } : {}), text, word: w };
  }
  return { kind: 'unknown', seq, text: rest };
}

/**
 * The value as the person typed it (full-width punctuation and line breaks kept):
 * commands are matched on normalised text, but a measure or a 说明 is kept verbatim.
 * toHalfWidth maps character for character, so positions carry over.
 */
export function typedValue(original: string, word: string, fallback: string, after: RegExp = /\d/): string {
  const half = toHalfWidth(original);
  const start = half.search(after);
  const at = start < 0 ? -1 : half.indexOf(word, start);
  if (at < 0) return fallback;
  return original.slice(at + word.length).replace(/^[\s:：,，为是]+/, '').trim() || fallback;
}

export const rectUsage = (today: DateString) => `整改事项的命令：
· 整改　列出本群评价的整改事项；整改 <序号>　打开该项的卡片
· 整改 <序号> 措施 <整改措施>　例：整改 1 措施 加快支付进度，按月通报执行率
· 整改 <序号> 单位 <责任单位>；整改 <序号> 责任人 @某人；整改 <序号> 时限 ${exampleDueDate(today)}
· 整改 <序号> 进展 <情况说明>　记录进展（文字，如文件名、文号）
· 整改 <序号> 附件　然后在10分钟内把证明材料（文件或图片）发到群里；先发文件再发这条也可以
· 整改 <序号> 完成 <说明>；整改 <序号> 无需整改 <说明>；整改 <序号> 重新打开
· 添加整改 <类别> <问题描述>　手工添加一项
· 整改情况表　生成整改情况表（.docx）；整改汇总　（领导）所有未完成的整改事项`;

const ownerText = (i: RectItem) => (i.owner ? i.owner.name : '未指定');

/** 未开始 · 逾期 etc., as shown in lists. */
export function stateText(i: RectItem, today: DateString): string {
  return `${statusLabels[i.status]}${isOverdueItem(i, today) ? '（已逾期）' : ''}`;
}

export function rectListCard(title: string, items: readonly RectItem[], today: DateString): Card {
  if (!items.length)
    return { title, tone: 'grey', blocks: [{ type: 'text', text: '还没有整改事项。“生成报告”后问题清单上的每个问题都会列为整改事项；也可以发送“添加整改 <类别> <问题描述>”手工添加。' }] };
  const open = items.filter((i) => !isClosed(i));
  const overdue = open.filter((i) => isOverdueItem(i, today));
  const rows = items.map((i) => [String(i.seq), i.categoryLabel, short(i.description, 60), i.unit || '—', ownerText(i), i.dueDate ?? '—', stateText(i, today)]);
  const blocks: CardBlock[] = [
    { type: 'text', text: `共 **${items.length}** 项：未完成 **${open.length}** 项${overdue.length ? `，其中逾期 **${overdue.length}** 项` : ''}，已关闭 ${items.length - open.length} 项（截至 ${today}）。` },
    { type: 'table', columns: ['序号', '问题分类', '问题描述', '责任单位', '责任人', '完成时限', '状态'], rows },
  ];
  const unset = open.filter((i) => missingSetup(i).length);
  if (unset.length) blocks.push({ type: 'text', text: `还没定好措施、责任人或时限的：${unset.map((i) => `第${i.seq}项（缺${missingSetup(i).join('、')}）`).join('；')}。` });
  blocks.push({ type: 'buttons', buttons: items.slice(0, 10).map((i) => ({ label: `第${i.seq}项`, action: { kind: 'command', command: `整改 ${i.seq}` } })) });
  blocks.push({
    type: 'text',
    text: !open.length
      ? '整改事项已全部关闭。发送“整改情况表”生成整改情况表；要重新整改某一项，发送“整改 <序号> 重新打开”。'
      : `点按钮打开某一项的卡片，或发送“整改 1 措施 …”“整改 1 责任人 @某人”“整改 1 时限 ${exampleDueDate(today)}”“整改 1 附件”（再发文件）“整改 1 完成 <说明>”。`,
  });
  return { title, tone: overdue.length ? 'orange' : 'blue', blocks };
}

/** Field names of the item form; values come back under these names. */
export const RECT_FORM = { measure: 'measure', unit: 'unit', owner: 'owner', dueDate: 'due', status: 'status', note: 'note', evidence: 'evidence' } as const;
export const RECT_SECTION_PREFIX = 'rect:';

export interface ItemCardExtras {
  members: string[]; // names for the owner select
  evidence: { text: string; by: string; at: string }[]; // newest last; a file's text is 附件「名称」（大小）
  errors?: Partial<Record<keyof typeof RECT_FORM, string>>;
  saved?: Partial<Record<keyof typeof RECT_FORM, boolean>>;
}

export function rectItemCard(item: RectItem, today: DateString, extras: ItemCardExtras): Card {
  const f = (key: keyof typeof RECT_FORM, field: Omit<FormField, 'name' | 'error' | 'saved'>): FormField => ({
    ...field,
    name: RECT_FORM[key],
    ...(extras.errors?.[key] ? { error: extras.errors[key] } : {}),
    ...(extras.saved?.[key] ? { saved: true } : {}),
  });
  const members = [...new Set([...(item.owner ? [item.owner.name] : []), ...extras.members])];
  const missing = missingSetup(item);
  const blocks: CardBlock[] = [
    {
      type: 'fields',
      fields: [
        { label: '问题分类', value: item.categoryLabel },
        { label: '问题描述', value: item.description },
        { label: '状态', value: `${stateText(item, today)}${item.statusNote ? `：${item.statusNote}` : ''}` },
        { label: '整改措施', value: item.measure || '未填写' },
        { label: '责任单位', value: item.unit || '未填写' },
        { label: '责任人', value: ownerText(item) },
        { label: '完成时限', value: item.dueDate ?? '未设置' },
      ],
    },
  ];
  if (extras.evidence.length)
    blocks.push({
      type: 'text',
      text: `**整改进展和证明材料**${extras.evidence.length > 5 ? `（共${extras.evidence.length}条，显示最近5条）` : ''}\n${extras.evidence
        .slice(-5)
        .map((e) => `· ${e.at} ${e.by}：${e.text}`)
        .join('\n')}`,
    });
  if (missing.length && !isClosed(item)) blocks.push({ type: 'text', text: `还需要定下：${missing.join('、')}。` });
  blocks.push({
    type: 'form',
    name: `rect_${item.id}`,
    fields: [
      f('measure', { label: '整改措施', kind: 'textarea', required: false, value: item.measure || undefined, placeholder: '准备怎么整改' }),
      f('unit', { label: '责任单位', kind: 'input', required: false, value: item.unit || undefined }),
      ...(members.length ? [f('owner', { label: '责任人', kind: 'select', required: false, options: members, value: item.owner?.name })] : []),
      f('dueDate', { label: '完成时限', kind: 'date', required: false, value: item.dueDate }),
      f('status', { label: '状态', kind: 'select', required: false, options: Object.values(statusLabels), value: statusLabels[item.status] }),
      f('note', { label: '说明（已完成、无需整改时必填）', kind: 'textarea', required: false, value: item.statusNote || undefined }),
      f('evidence', { label: '新的整改进展（文字）', kind: 'textarea', required: false }),
    ],
    submit: { label: '保存', action: { kind: 'submit', evaluationId: item.evaluationId, sectionId: `${RECT_SECTION_PREFIX}${item.id}`, values: {} } },
  });
  // a card cannot carry a file: the button makes the sender's next file in the chat this item's evidence
  blocks.push({ type: 'buttons', buttons: [{ label: '添加证明材料文件', action: { kind: 'command', command: `整改 ${item.seq} 附件` } }] });
  const tone = isClosed(item) ? 'green' : isOverdueItem(item, today) ? 'red' : 'blue';
  return { title: `整改事项 第${item.seq}项`, tone, blocks };
}

/** "已完成" → 'done'; also the ids themselves. */
export function statusFromLabel(text: string): RectStatus | undefined {
  const t = text.trim();
  return (Object.entries(statusLabels).find(([id, label]) => label === t || id === t)?.[0] as RectStatus | undefined) ?? undefined;
}

/** What a change looks like in the reply: "整改措施：…" */
export function changeText(item: RectItem, change: RectChange): string {
  switch (change.field) {
    case 'measure':
      return `第${item.seq}项的整改措施已记下：${change.value}`;
    case 'unit':
      return `第${item.seq}项的责任单位：${change.value}`;
    case 'owner':
      return `第${item.seq}项的责任人：${change.value}`;
    case 'dueDate':
      // who the reminders go to: the owner, or the chat while there is none
      return `第${item.seq}项的完成时限：${change.value}（到期前提醒${item.owner ? item.owner.name : '本群（还没有责任人）'}，逾期后每个工作日提醒，直到关闭）`;
    case 'evidence':
      return change.file ? `已把${evidenceFileText(change.file)}记为第${item.seq}项的证明材料。` : `已记录第${item.seq}项的整改进展：${change.value}`;
    case 'status':
      return `第${item.seq}项已标记为“${statusLabels[change.value as RectStatus]}”${change.note ? `：${change.note}` : ''}`;
    default:
      return `第${item.seq}项已更新。`;
  }
}

/** The one message that tells a new owner what they own. */
export function ownerToldText(item: RectItem, ownerName: string): string {
  const missing = missingSetup(item).filter((m) => m !== '责任人');
  return [
    `@${ownerName} 你是整改事项第${item.seq}项的责任人：${item.description}`,
    item.measure ? `整改措施：${item.measure}` : '',
    item.dueDate ? `完成时限：${item.dueDate}（到期前和逾期后我会提醒你）` : '',
    missing.length ? `还需要定下${missing.join('、')}。` : '',
    `有进展发送“整改 ${item.seq} 进展 <情况>”；证明材料发送“整改 ${item.seq} 附件”再把文件发到群里；完成后发送“整改 ${item.seq} 完成 <说明>”。`,
  ]
    .filter(Boolean)
    .join('\n');
}

function short(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
