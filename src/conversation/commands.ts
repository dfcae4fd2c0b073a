// Reading a chat message as a command. People type "/填写 资金", "填写　资金",
// "填写：资金" or "＠bot 进度"; all of those are the same command.
import { toHalfWidth } from '../domain/parse';
import type { Actor } from './types';

export const commandNames = [
  '新建评价',
  '模板',
  '填写',
  '进度',
  '跳过',
  '上一题',
  '修改',
  '取消',
  '帮助',
  '分配',
  '截止',
  '问题',
  '生成报告',
  '确认',
  '归档',
] as const;
export type CommandName = (typeof commandNames)[number];

const aliases: Record<string, CommandName> = {
  新建: '新建评价',
  开始评价: '新建评价',
  继续: '填写',
  开始填写: '填写',
  查看进度: '进度',
  状态: '进度',
  上一个: '上一题',
  返回: '上一题',
  退出: '取消',
  暂停: '取消',
  help: '帮助',
  '?': '帮助',
  '？': '帮助',
  命令: '帮助',
  生成: '生成报告',
  出报告: '生成报告',
  添加问题: '问题',
};

export interface Command {
  name: CommandName;
  args: string; // the rest, trimmed
}

/** The last text normalised: a message is matched against several command tables in a row. */
let last: { text: string; normalized: string } | undefined;

/** Full-width punctuation and spaces → plain, so that commands match however they are typed. */
export function normalizeCommandText(text: string): string {
  if (last?.text !== text) last = { text, normalized: toHalfWidth(text).replace(/\s+/g, ' ').trim() };
  return last.normalized;
}

/** A command vocabulary: its names, other words for them, and which may take an argument without a space. */
export interface CommandTable<N extends string> {
  names: readonly N[];
  aliases: Record<string, N>;
  /** "填写资金" is 填写 with an argument; "问题和建议很多" is not the 问题 command. */
  attached(name: string, rest: string): boolean;
}

/** A table's names and aliases, longest first: sorted once per table, as every message is matched. */
const sortedWords = new WeakMap<object, string[]>();
function wordsOf(table: CommandTable<string>): string[] {
  let words = sortedWords.get(table);
  if (!words) sortedWords.set(table, (words = [...table.names, ...Object.keys(table.aliases)].sort((a, b) => b.length - a.length)));
  return words;
}

/**
 * Reads a message as a command of `table`. While a person is answering a question,
 * a reply like "截止2024年12月31日，支出…" is an answer, not the 截止 command: then
 * only "/命令", a bare command or a command followed by a space or colon counts,
 * and never a long paragraph.
 */
export function matchCommand<N extends string>(table: CommandTable<N>, text: string, opts: { answering?: boolean } = {}): { name: N; args: string } | undefined {
  const normalized = normalizeCommandText(text);
  const slash = normalized.startsWith('/');
  const t = normalized.replace(/^\//, '').trim();
  if (!t) return undefined;
  const strict = opts.answering && !slash;
  if (strict && t.length > 40) return undefined;
  for (const w of wordsOf(table)) {
    if (!t.startsWith(w)) continue;
    const rest = t.slice(w.length);
    const separated = rest === '' || /^[\s:：,，]/.test(rest);
    if (!separated && (strict || !table.attached(w, rest))) continue;
    const name = (table.names as readonly string[]).includes(w) ? (w as N) : table.aliases[w];
    return { name, args: rest.replace(/^[\s:：,，]+/, '').trim() };
  }
  return undefined;
}

const chatCommands: CommandTable<CommandName> = {
  names: commandNames,
  aliases,
  attached: (name) => ['填写', '修改', '分配', '截止', '模板'].includes(name),
};

export function parseCommand(text: string, opts: { answering?: boolean } = {}): Command | undefined {
  return matchCommand(chatCommands, text, opts);
}

/** "分配 资金 @张三" → the mentioned people, and the text without the mentions. */
export function splitMentions(args: string, mentions: Actor[] = []): { text: string; people: Actor[] } {
  let text = args;
  const people: Actor[] = [];
  for (const m of mentions) {
    const tag = `@${m.name}`;
    if (text.includes(tag)) {
      text = text.replace(tag, ' ');
      people.push(m);
    }
  }
  return { text: text.replace(/\s+/g, ' ').trim(), people };
}

export const helpText = `绩效自评助手可以用的命令（前面加不加“/”都行）：
· 新建评价 <项目名称> [年度]　例：新建评价 行政综合性经费 2024
· 模板　列出可用的评价模板；模板 <编号> 选定下次新建评价用的模板
· 填写 [部分]　开始或接着填写；不写部分就从下一个没填完的开始。例：填写 资金来源
· 进度　查看每一部分的填写情况、负责人和缺什么
· 跳过　跳过当前这一题；上一题　回到上一题
· 修改 <问题>　改某一题的答案，可以写部分和第几项。例：修改 资金来源 第1项 年初预算数；有几道题符合时回复编号
· 取消　暂停填写（已填的都保留）
· 分配 <部分> @某人　把部分交给某人填写，可以一次写几部分、编号、范围和几个人。例：分配 1-5 @张三 决策 过程 @李四
· 截止 <日期>　设置截止日期。例：截止 2025-05-31
· 问题 <类别> <描述>　手工添加一条问题。例：问题 资金管理 部分支出凭证不完整
· 确认　生成报告前，确认列出的审核提示属实、不需修改（会记下是谁、什么时候确认的）
· 生成报告　计算得分、列出审核提示，并发送评价表、绩效评价报告和问题清单
· 整改　生成报告后问题清单上的问题都列为整改事项：整改 <序号> 措施/单位/责任人 @某人/时限/进展/完成 <说明>/无需整改 <说明>；整改 <序号> 附件　再把证明材料文件或图片发到群里；添加整改 <类别> <描述>；整改情况表　生成整改情况表（Word）
· 归档　结束本群的评价（答案都保留，已出报告的仍计入领导汇总），之后可以在本群新建下一年度的评价
· 提醒 7,3,1,0 09:00　设置本评价的截止提醒；暂停提醒 / 恢复提醒
领导和管理员：
· 汇总 [年度] [单位]　所有评价的汇总卡片和 Excel 表；逾期　逾期的评价和缺的部分；整改汇总　所有未完成的整改事项
· 设置领导 @某人、取消领导 @某人、角色、默认截止 <年度> <日期>（管理员）
回答问题时直接回复答案即可，比如“273.45万元”“75%”“2025年5月31日”。
也可以一次发好几项：一行一整行（区级财政 273.45 172.91 129.94）、一行一个指标（立项依据充分性 达成 5）、“标签：值”或“1. 答案”的多行。
很长的文字可以分几条发：前面几条末尾写“（未完）”，会接在一起。`;
