// 整改 commands and cards, wired to the store: load the chat's items, check each change
// in the domain, write it with its history, answer with the texts and cards of
// src/conversation/rectification.ts. Also turns a report's problem list into items.
// The bot routes a message here before the engine; anything else returns undefined.
import { beijingDate } from '../domain/calendar';
import { assess } from '../domain/evaluate';
import { parseDate } from '../domain/parse';
import { type RectChange, type RectCounts, type RectItem, checkChange, applyChange, countItems, isClosed, lastYearText, syncWithProblems, statusLabels } from '../domain/rectification';
import { rectificationDocx } from '../documents/rectification';
import type { Template } from '../domain/template';
import { splitMentions } from '../conversation/commands';
import {
  RECT_FORM,
  RECT_SECTION_PREFIX,
  changeText,
  ownerToldText,
  parseRectArgs,
  parseRectCommand,
  rectItemCard,
  rectListCard,
  rectUsage,
  statusFromLabel,
  typedValue,
} from '../conversation/rectification';
import type { Actor, Input, Output, Outgoing } from '../conversation/types';
import type { Evaluation, Store } from '../store';
import { buildRectSummary, rectSummaryCard, rectSummaryFileName, rectSummaryXlsx } from '../summary/rectification';
import { refusals } from './leaders';

export interface RectDeps {
  store: Store;
  templates: readonly Template[];
  /** 整改汇总 is for leaders and administrators */
  roleOf(userId: string): Promise<'admin' | 'leader' | 'staff'>;
}

const say = (text: string, mentions?: Actor[]): Output => ({ messages: [{ type: 'text', text, ...(mentions?.length ? { mentions } : {}) }] });
const NO_ITEMS = '这个群里还没有整改事项。评价“生成报告”后，问题清单上的每个问题都会列为整改事项；也可以发送“添加整改 <类别> <问题描述>”手工添加。';

/** Open and overdue 整改 items per evaluation (for the leaders' 汇总); undefined when no evaluation has any. */
export async function rectCountsOf(store: Pick<Store, 'rectCountsByEvaluation'>, evaluationIds: number[], today: string): Promise<Map<number, RectCounts> | undefined> {
  // counted in SQL, one row per evaluation that has items; a list of thousands of ids stays out of the query
  const wanted = new Set(evaluationIds);
  const counts = (await store.rectCountsByEvaluation(today)).filter((c) => wanted.has(c.evaluationId));
  if (!counts.length) return undefined;
  return new Map(counts.map((c) => [c.evaluationId, { total: c.total, open: c.open, overdue: c.overdue, closed: c.total - c.open }]));
}

export function createRectCommands({ store, templates, roleOf }: RectDeps) {
  const templateOf = (ev: Evaluation) => templates.find((t) => t.id === ev.templateId && t.version === Number(ev.templateVersion));

  /** The evaluation whose items this chat works on: the current one if it has items, else the newest that has. */
  async function chatEvaluation(chatId: string): Promise<Evaluation | undefined> {
    const current = await store.findEvaluationByChat(chatId);
    const withItems = await store.rectEvaluationsInChat(chatId);
    if (current && withItems.includes(current.id)) return current;
    return withItems.length ? await store.getEvaluation(withItems[0]) : current;
  }

  const meta = (input: Input, via: string) => ({ now: input.now, messageId: input.message.messageId, via });
  const today = (input: Input) => beijingDate(input.now);

  async function itemCard(item: RectItem, input: Input, marks: Pick<Parameters<typeof rectItemCard>[2], 'errors' | 'saved'> = {}) {
    const members = (await store.listMembers(input.place.chatId)).map((m) => m.userName);
    const evidence = (await store.rectHistoryOf(item.id))
      .filter((h) => h.field === 'evidence' && h.newValue)
      .map((h) => ({ text: h.newValue!, by: h.byName, at: beijingDate(h.at) }));
    return rectItemCard(item, today(input), { members, evidence, ...marks });
  }

  /** Applies one change (checked first); the reply lines, and the owner's one message when the owner is new. */
  async function change(item: RectItem, raw: RectChange, input: Input, via: string): Promise<{ ok: boolean; text: string; item: RectItem; told?: Outgoing }> {
    const checked = checkChange(item, raw);
    if (!checked.ok) return { ok: false, text: checked.message, item };
    const r = await store.changeRectItem(item.id, checked.change, applyChange(item, checked.change), input.actor, meta(input, via));
    if (!r) return { ok: false, text: '这一项已经不在了，请发送“整改”查看。', item };
    if (!r.changed) return { ok: true, text: `第${item.seq}项没有变化。`, item };
    let told: Outgoing | undefined;
    if (checked.change.field === 'owner' && r.after.owner && (await store.markOwnerTold(item.id, r.after.owner.userId)))
      told = { type: 'text', text: ownerToldText(r.after, r.after.owner.name), mentions: [{ userId: r.after.owner.userId, name: r.after.owner.name }] };
    return { ok: true, text: changeText(r.after, checked.change), item: r.after, told };
  }

  async function list(input: Input): Promise<Output> {
    const ev = await chatEvaluation(input.place.chatId);
    if (!ev) return say(NO_ITEMS);
    const items = await store.listRectItems(ev.id);
    return { messages: [{ type: 'card', card: rectListCard(`整改事项：${ev.year}年度${ev.projectName}`, items, today(input)) }] };
  }

  async function byText(input: Input, args: string): Promise<Output> {
    const sub = parseRectArgs(args);
    if (sub.kind === 'list') return list(input);
    const ev = await chatEvaluation(input.place.chatId);
    if (!ev) return say(NO_ITEMS);
    const items = await store.listRectItems(ev.id);
    if (!items.length) return say(NO_ITEMS);
    if (sub.kind === 'unknown' && sub.seq === undefined) return say(`没看懂“${sub.text}”。\n${rectUsage}`);
    const item = items.find((i) => i.seq === sub.seq);
    if (!item) return say(`没有第${sub.seq}项。${ev.year}年度${ev.projectName}共有${items.length}项整改事项，发送“整改”查看。`);
    if (sub.kind === 'show') return { messages: [{ type: 'card', card: await itemCard(item, input) }] };
    if (sub.kind === 'unknown') return say(`没看懂“${sub.text}”。\n${rectUsage}`);
    const typed = (fallback: string) => (input.message.type === 'text' ? typedValue(input.message.text, sub.word, fallback) : fallback);
    let raw: RectChange;
    if (sub.field === 'owner') {
      const { people } = splitMentions(sub.text, input.message.type === 'text' ? input.message.mentions : undefined);
      if (people.length > 1) return say('每项整改只能有一位责任人，请只 @ 一个人。');
      raw = { field: 'owner', value: people[0]?.name ?? '', ownerId: people[0]?.userId };
    } else if (sub.field === 'dueDate') {
      const d = parseDate(sub.text, { year: Number(today(input).slice(0, 4)) });
      if (!d.ok) return say(`${d.message}\n例如：整改 ${item.seq} 时限 2025-09-30`);
      raw = { field: 'dueDate', value: String(d.value) };
    } else if (sub.field === 'status') raw = { field: 'status', value: sub.status!, note: typed(sub.text) };
    else raw = { field: sub.field, value: typed(sub.text) };
    const r = await change(item, raw, input, 'text');
    if (!r.ok) return say(r.text);
    const notes = [r.text];
    if (raw.field === 'dueDate' && r.item.dueDate && r.item.dueDate < today(input)) notes.push(`注意：这个日期已经过了（今天是 ${today(input)}），这一项会按已逾期提醒。`);
    if (raw.field === 'status' && isClosed(r.item) && !isClosed(item) && items.every((i) => i.id === item.id || isClosed(i)))
      notes.push(`${ev.year}年度${ev.projectName}的整改事项已全部关闭。发送“整改情况表”可以生成整改情况表。`);
    const messages: Outgoing[] = [{ type: 'text', text: notes.join('\n') }];
    if (r.told) messages.push(r.told);
    return { messages };
  }

  async function addByHand(input: Input, args: string): Promise<Output> {
    const ev = await chatEvaluation(input.place.chatId);
    if (!ev) return say('这个群里还没有评价。发送“新建评价 <项目名称> [年度]”开始。');
    const t = templateOf(ev);
    const cats = (t?.problemCategories ?? []).map((c) => ({ ...c, short: c.label.replace(/存在的问题$/, '').replace(/问题$/, '') }));
    const m = /^(\S+)\s+([\s\S]+)$/.exec(args.trim());
    if (!m) return say(`请写上类别和问题描述，例如：添加整改 资金管理 部分支出凭证不完整\n类别：${cats.map((c) => c.short).join('、')}`);
    const cat = cats.find((c) => c.label === m[1] || c.short === m[1] || c.id === m[1] || c.label.startsWith(m[1]));
    if (!cat) return say(`没有“${m[1]}”这个类别。可选：${cats.map((c) => c.short).join('、')}`);
    const description = input.message.type === 'text' ? typedValue(input.message.text, m[1], m[2].trim(), /整改/) : m[2].trim();
    if (description.length > 500) return say('问题描述太长了（最多500字）。');
    const unit = (await store.getAnswerRows(ev.id)).find((r) => r.path === 'project.unit')?.value;
    const [item] = await store.addRectItems(
      ev.id,
      [{ category: cat.id, categoryLabel: cat.label, description, unit: typeof unit === 'string' ? unit : '', sourceKey: '' }],
      input.actor,
      meta(input, 'text'),
    );
    return say(`已添加整改事项第${item.seq}项（${cat.label}）：${description}\n接着定下措施、责任人和时限：整改 ${item.seq} 措施 …；整改 ${item.seq} 责任人 @某人；整改 ${item.seq} 时限 2025-09-30`);
  }

  /** A submitted item card: every filled field is a change; bad ones are marked and the rest saved. */
  async function submit(input: Input, itemId: number, evaluationId: number | undefined, values: Record<string, string>): Promise<Output> {
    const item = await store.getRectItem(itemId);
    if (!item || (evaluationId !== undefined && item.evaluationId !== evaluationId))
      return { messages: [], toast: { kind: 'error', text: '这张卡片对应的整改事项已不在了，请发送“整改”重新打开。' } };
    const ev = await store.getEvaluation(item.evaluationId);
    if (!ev || ev.chatId !== input.place.chatId)
      return { messages: [], toast: { kind: 'error', text: '这张卡片属于另一个群的评价（可能是转发来的），没有保存。' } };
    const v = (k: keyof typeof RECT_FORM) => (values[RECT_FORM[k]] ?? '').trim();
    const errors: Partial<Record<keyof typeof RECT_FORM, string>> = {};
    const saved: Partial<Record<keyof typeof RECT_FORM, boolean>> = {};
    const lines: string[] = [];
    const messages: Outgoing[] = [];
    let current = item;
    const run = async (key: keyof typeof RECT_FORM, raw: RectChange) => {
      const r = await change(current, raw, input, 'card');
      if (!r.ok) errors[key] = r.text;
      else if (r.item !== current || r.told) {
        saved[key] = true;
        lines.push(r.text);
        if (r.told) messages.push(r.told);
      }
      current = r.item;
    };
    if (v('measure') && v('measure') !== current.measure) await run('measure', { field: 'measure', value: v('measure') });
    if (v('unit') && v('unit') !== current.unit) await run('unit', { field: 'unit', value: v('unit') });
    if (v('owner') && v('owner') !== current.owner?.name) {
      const member = (await store.listMembers(input.place.chatId)).find((m) => m.userName === v('owner'));
      if (!member) errors.owner = `群里没有“${v('owner')}”。`;
      else await run('owner', { field: 'owner', value: member.userName, ownerId: member.userId });
    }
    if (v('dueDate') && v('dueDate').slice(0, 10) !== current.dueDate) {
      const d = parseDate(v('dueDate').slice(0, 10));
      if (!d.ok) errors.dueDate = d.message;
      else await run('dueDate', { field: 'dueDate', value: String(d.value) });
    }
    const status = v('status') ? statusFromLabel(v('status')) : undefined;
    if (v('status') && !status) errors.status = `状态只能是：${Object.values(statusLabels).join('、')}。`;
    // the 说明 alone may be edited on a closed item; a status change takes the note with it
    if (status && (status !== current.status || (v('note') && v('note') !== current.statusNote)))
      await run('status', { field: 'status', value: status, note: v('note') });
    if (errors.status?.includes('说明')) {
      errors.note = errors.status;
      delete errors.status;
    }
    if (v('evidence')) await run('evidence', { field: 'evidence', value: v('evidence') });
    const bad = Object.keys(errors).length;
    const card = await itemCard(current, input, { errors, saved });
    if (lines.length) messages.unshift({ type: 'text', text: `${input.actor.name} 更新了整改事项：\n${lines.join('\n')}` });
    const toast = bad
      ? { kind: 'error' as const, text: `${bad}项没有保存，请按提示修改` }
      : lines.length
        ? { kind: 'success' as const, text: '已保存' }
        : { kind: 'info' as const, text: '没有改动' };
    return { messages, toast, updatedCard: card };
  }

  return {
    /**
     * After a report: every problem on its list without an item becomes one. Returns
     * what to tell the chat (nothing when there was nothing new).
     */
    async afterReport(evaluationId: number, input: Input): Promise<Outgoing[]> {
      const ev = await store.getEvaluation(evaluationId);
      const t = ev && templateOf(ev);
      if (!ev || !t) return [];
      const answers = Object.fromEntries((await store.getAnswerRows(ev.id)).map((r) => [r.path, r.value]));
      const manual = (await store.listProblems(ev.id)).map((p) => ({ category: p.category, unit: p.unit ?? undefined, description: p.description }));
      const problems = assess(t, answers, manual).problems;
      const items = await store.listRectItems(ev.id);
      const sync = syncWithProblems(items, problems, await store.touchedRectItems(ev.id));
      for (const r of sync.reword) await store.rewordRectItem(r.id, r.description, input.actor, meta(input, 'report'));
      const added = await store.addRectItems(ev.id, sync.add, input.actor, meta(input, 'report'));
      if (!added.length) return [];
      const lines = added.map((i) => `${i.seq}. 【${i.categoryLabel}】${i.description}`);
      return [
        {
          type: 'text',
          text: `问题清单上的${added.length}个问题已列为整改事项${items.length ? `（原有${items.length}项）` : ''}：\n${lines.join('\n')}\n请为每一项定下整改措施、责任人和完成时限：发送“整改”查看，或“整改 ${added[0].seq}”打开卡片。`,
        },
      ];
    },

    /**
     * A new evaluation: last year's evaluation of the same project (the same name, the
     * year before; this chat's first) and its items are shown, and where the template
     * has a 上年问题整改情况 question (prefill: lastYearRectification) they are its answer.
     */
    async afterCreate(input: Input): Promise<Outgoing[]> {
      const ev = await store.findEvaluationByChat(input.place.chatId);
      if (!ev) return [];
      const candidates = (await store.listEvaluations({ year: ev.year - 1 })).filter((e) => e.projectName === ev.projectName && e.id !== ev.id);
      candidates.sort((a, b) => Number(b.chatId === ev.chatId) - Number(a.chatId === ev.chatId) || b.id - a.id);
      for (const last of candidates) {
        const items = await store.listRectItems(last.id);
        if (!items.length) continue;
        const text = lastYearText(last.year, items, await store.lastEvidence(items.map((i) => i.id)));
        const t = templateOf(ev);
        const target = t?.sections.flatMap((s) => (s.repeat ? [] : s.questions.filter((q) => q.prefill === 'lastYearRectification').map((q) => ({ path: `${s.id}.${q.id}`, section: s.title, label: q.label }))))[0];
        if (target) await store.applyAnswers(ev.id, [{ path: target.path, value: text }], input.actor, { now: input.now, messageId: input.message.messageId, via: 'rectification' });
        const open = items.filter((i) => !isClosed(i)).length;
        return [
          {
            type: 'text',
            text: `${text}
${target ? `以上已填入「${target.section}·${target.label}」，请核对补充（“修改 ${target.label}”）。` : ''}${open ? `上年还有${open}项没有完成，可以在原评价群里继续跟进。` : ''}`.trim(),
          },
        ];
      }
      return [];
    },

    /** Our reply, or undefined when the input is not about 整改. */
    async handle(input: Input): Promise<Output | undefined> {
      const msg = input.message;
      if (msg.type === 'action') {
        const a = msg.action;
        if (a.kind === 'submit' && a.sectionId.startsWith(RECT_SECTION_PREFIX))
          return submit(input, Number(a.sectionId.slice(RECT_SECTION_PREFIX.length)), a.evaluationId, a.values);
        if (a.kind !== 'command') return undefined;
        const cmd = parseRectCommand(a.command);
        return cmd ? dispatch(input, cmd) : undefined;
      }
      if (msg.type === 'file') return undefined;
      const loose = parseRectCommand(msg.text);
      if (!loose) return undefined;
      const saved = await store.getDialogState(input.place.chatId, input.actor.userId);
      const answering = !!(saved?.state as { position?: unknown } | null | undefined)?.position;
      const cmd = answering ? parseRectCommand(msg.text, { answering: true }) : loose;
      return cmd ? dispatch(input, cmd) : undefined;
    },
  };

  async function table(input: Input): Promise<Output> {
    const ev = await chatEvaluation(input.place.chatId);
    if (!ev) return say(NO_ITEMS);
    const items = await store.listRectItems(ev.id);
    if (!items.length) return say(NO_ITEMS);
    const unit = (await store.getAnswerRows(ev.id)).find((r) => r.path === 'project.unit')?.value;
    const file = await rectificationDocx({
      title: `${ev.year}年度${ev.projectName}`,
      unit: typeof unit === 'string' ? unit : '',
      items,
      lastEvidence: await store.lastEvidence(items.map((i) => i.id)),
    });
    const open = items.filter((i) => !isClosed(i)).length;
    return {
      messages: [
        { type: 'text', text: `整改情况表：共${items.length}项，${open ? `还有${open}项未完成` : '已全部完成或说明无需整改'}。` },
        { type: 'file', fileName: file.fileName, bytes: file.bytes },
      ],
    };
  }

  async function leadersSummary(input: Input): Promise<Output> {
    if ((await roleOf(input.actor.userId)) === 'staff') return say(refusals.leader);
    const evaluations = new Map((await store.listEvaluations()).map((e) => [e.id, e]));
    const rows = (await store.listRectItemsOf(undefined, { openOnly: true })).flatMap((i) => {
      const ev = evaluations.get(i.evaluationId);
      return ev ? [{ ...i, evaluationTitle: `${ev.year}年度${ev.projectName}` }] : [];
    });
    const s = buildRectSummary(rows, today(input));
    const messages: Outgoing[] = [{ type: 'card', card: rectSummaryCard(s) }];
    if (s.rows.length) messages.push({ type: 'file', fileName: rectSummaryFileName(s.today), bytes: await rectSummaryXlsx(s) });
    return { messages };
  }

  async function dispatch(input: Input, cmd: { name: string; args: string }): Promise<Output | undefined> {
    switch (cmd.name) {
      case '整改汇总':
        return leadersSummary(input);
      case '整改情况表':
        return table(input);
      case '整改':
        return byText(input, cmd.args);
      case '添加整改':
        return addByHand(input, cmd.args);
      default:
        return undefined;
    }
  }
}
