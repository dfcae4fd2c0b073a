// Commands across evaluations and about people: roles (设置领导, 取消领导, 角色),
// the leaders' summary (汇总) and overdue list (逾期), the administrators' default
// deadline (默认截止), and per-chat reminder settings (提醒, 暂停提醒, 恢复提醒).
// The bot routes a message here before the engine; anything else returns undefined.
import { beijingDate, weekdayName, dayOffName } from '../domain/calendar';
import { parseDate } from '../domain/parse';
import { byDeadline, overdueList } from '../domain/summary';
import type { Template } from '../domain/template';
import { splitMentions } from '../conversation/commands';
import type { Actor, Input, Output, Outgoing } from '../conversation/types';
import type { Store } from '../store';
import { CARD_ROWS, overdueCard, summaryCard } from '../summary/card';
import { type FactsCache, loadFacts } from '../summary/load';
import { type SummaryKeeper, keepAnswer, keptAnswer, keptFacts, keptSummary, newSummaryKeeper, scopeKept } from '../summary/kept';
import { yieldLoop } from '../summary/pause';
import { type LeaderCommand, parseLeaderCommand, parseScope } from './leaderCommands';
import { reminderCommand } from './reminderCommands';
import { rectCountsOf } from './rectification';

export interface LeaderDeps {
  store: Store;
  admins: readonly string[]; // ADMIN_OPEN_IDS
  templates: readonly Template[];
  cache: FactsCache;
  /** 汇总 kept between requests; default: this bot's own */
  summaries?: SummaryKeeper;
}

export type Role = 'admin' | 'leader' | 'staff';

const say = (text: string, mentions?: Actor[]): Output => ({ messages: [{ type: 'text', text, ...(mentions?.length ? { mentions } : {}) }] });

export const refusals = {
  admin: '抱歉，只有管理员可以做这项设置。如有需要，请联系管理员。',
  leader: '抱歉，跨评价的汇总和逾期清单是给领导查看的。如需查看，请联系管理员把你设为领导。',
} as const;

export function createLeaderCommands(deps: LeaderDeps) {
  const { store } = deps;
  // 汇总 derived earlier in this process, reused where the evaluations behind it did not change
  const keeper = deps.summaries ?? newSummaryKeeper();

  async function roleOf(userId: string): Promise<Role> {
    if (deps.admins.includes(userId)) return 'admin';
    const row = await store.getRole(userId);
    return row?.role ?? 'staff';
  }

  /** The command in this input, if it is one of ours (the dialog state is read only when it might be). */
  async function commandIn(input: Input): Promise<LeaderCommand | undefined> {
    if (input.message.type === 'action') {
      const a = input.message.action;
      return a.kind === 'command' ? parseLeaderCommand(a.command) : undefined;
    }
    if (input.message.type === 'file') return undefined;
    const loose = parseLeaderCommand(input.message.text);
    if (!loose) return undefined;
    const saved = await store.getDialogState(input.place.chatId, input.actor.userId);
    const answering = !!(saved?.state as { position?: unknown } | null | undefined)?.position;
    return answering ? parseLeaderCommand(input.message.text, { answering: true }) : loose;
  }

  async function setLeader(input: Input, cmd: LeaderCommand, grant: boolean): Promise<Output> {
    if ((await roleOf(input.actor.userId)) !== 'admin') return say(refusals.admin);
    const mentions = input.message.type === 'text' ? input.message.mentions : undefined;
    const { people } = splitMentions(cmd.args, mentions);
    if (!people.length) return say(`请 @ 要${grant ? '设为' : '取消'}领导的人，例如：${cmd.name} @张三`);
    const lines: string[] = [];
    for (const p of people) {
      const current = await store.getRole(p.userId);
      if (grant) {
        if (current?.role === 'leader') lines.push(`@${p.name} 已经是领导了。`);
        else {
          await store.setRole(p.userId, 'leader', p.name, input.actor.userId, input.now);
          lines.push(`已把 @${p.name} 设为领导。`);
        }
      } else if (current?.role === 'leader') {
        await store.setRole(p.userId, null, p.name, input.actor.userId, input.now);
        lines.push(`已取消 @${p.name} 的领导身份。`);
      } else lines.push(`@${p.name} 不是领导，无需取消。`);
    }
    if (grant) lines.push('领导可以在任何群或与我的私聊里发送“汇总 [年度] [单位]”“逾期”查看各项评价。');
    return say(lines.join('\n'), people);
  }

  async function listRoles(input: Input): Promise<Output> {
    if ((await roleOf(input.actor.userId)) === 'staff') return say(refusals.leader);
    const rows = await store.listRoles();
    const known = new Map((await store.listMembers(input.place.chatId)).map((m) => [m.userId, m.userName]));
    for (const r of rows) known.set(r.userId, r.userName);
    const admins = deps.admins.map((id) => known.get(id) ?? id);
    const leaders = rows
      .filter((r) => r.role === 'leader')
      .map((r) => `· ${r.userName}（${beijingDate(r.grantedAt)} 由 ${known.get(r.grantedBy) ?? r.grantedBy} 设置）`);
    return say(
      [
        `管理员（在配置 ADMIN_OPEN_IDS 中设置）：${admins.length ? admins.join('、') : '未设置'}`,
        `领导（${leaders.length} 人）：${leaders.length ? `\n${leaders.join('\n')}` : '暂无。管理员可以发送“设置领导 @某人”设置。'}`,
      ].join('\n'),
    );
  }

  async function summary(input: Input, cmd: LeaderCommand): Promise<Output> {
    if ((await roleOf(input.actor.userId)) === 'staff') return say(refusals.leader);
    const scope = parseScope(cmd.args);
    const today = beijingDate(input.now);
    const facts = await keptFacts(store, keeper, { templates: deps.templates, year: scope.year });
    await yieldLoop(); // each step below takes milliseconds over 10,000 rows: the webhook gets the loop in between
    const s = keptSummary(keeper, facts, scope, today);
    await yieldLoop();
    const rect = await rectCountsOf(store, s.rows.map((r) => r.id), today);
    const kept = keptAnswer(keeper, s, rect);
    if (kept) return { messages: [...kept] }; // the same card and bytes; a new list, so nothing added to it sticks
    await yieldLoop();
    const messages: Outgoing[] = [{ type: 'card', card: summaryCard(s, rect) }];
    if (s.rows.length) {
      // loaded on first use: most processes never write a spreadsheet
      const { newSummaryXlsxCache, summaryFileName, summaryXlsx } = await import('../summary/xlsx');
      await yieldLoop();
      messages.push({ type: 'file', fileName: summaryFileName(s), bytes: await summaryXlsx(s, scopeKept(keeper, s, newSummaryXlsxCache)) });
    }
    keepAnswer(keeper, s, rect, messages);
    return { messages };
  }

  async function overdue(input: Input, cmd: LeaderCommand): Promise<Output> {
    if ((await roleOf(input.actor.userId)) === 'staff') return say(refusals.leader);
    const scope = parseScope(cmd.args);
    const today = beijingDate(input.now);
    // which are overdue: from the facts 汇总 keeps (a narrow scan, re-derived only where something changed)
    const facts = await keptFacts(store, keeper, { templates: deps.templates, year: scope.year });
    await yieldLoop();
    const overdue = keptSummary(keeper, facts, scope, today).overdue;
    // the card lists the earliest CARD_ROWS: only those need which parts are missing and who has them
    const shown = [...overdue].sort(byDeadline).slice(0, CARD_ROWS).map((r) => r.id);
    const full = shown.length ? await loadFacts(store, { templates: deps.templates, year: scope.year, cache: deps.cache, ids: shown }) : [];
    return { messages: [{ type: 'card', card: overdueCard(overdueList(full, today, scope), today, overdue.length) }] };
  }

  async function defaultDeadline(input: Input, cmd: LeaderCommand): Promise<Output> {
    if ((await roleOf(input.actor.userId)) !== 'admin') return say(refusals.admin);
    const m = /^(\d{4})\s*(?:年度?)?\s+(.+)$/.exec(cmd.args);
    if (!m) return say('请写上年度和日期，例如：默认截止 2024 2025-05-31');
    const year = Number(m[1]);
    const d = parseDate(m[2], { year: year + 1 });
    if (!d.ok) return say(`${d.message}\n例如：默认截止 2024 2025-05-31`);
    const date = String(d.value);
    if (date.length !== 10) return say('截止日期要写到哪一天，例如：默认截止 2024 2025-05-31');
    await store.setDefaultDeadline(year, '', date, input.actor.userId, input.now);
    const off = dayOffName(date);
    return say(
      `已把 ${year} 年度评价的默认截止日期设为 ${date}（${weekdayName(date)}${off ? `，${off}` : ''}）。没有单独设置“截止”的评价都按这个日期提醒。`,
    );
  }

  return {
    roleOf,
    /** Our reply, or undefined when the input is not one of these commands (the engine handles it). */
    async handle(input: Input): Promise<Output | undefined> {
      const cmd = await commandIn(input);
      if (!cmd) return undefined;
      switch (cmd.name) {
        case '设置领导':
          return setLeader(input, cmd, true);
        case '取消领导':
          return setLeader(input, cmd, false);
        case '角色':
          return listRoles(input);
        case '汇总':
          return summary(input, cmd);
        case '逾期':
          return overdue(input, cmd);
        case '默认截止':
          return defaultDeadline(input, cmd);
        case '提醒':
        case '暂停提醒':
        case '恢复提醒':
          return reminderCommand(store, input, cmd);
      }
    },
  };
}
