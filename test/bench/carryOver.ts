// 沿用 2024→2025: how many messages (and characters) one person types to fill this
// year's evaluation with and without starting from last year's. This year's answers are
// taken to be last year's (the seed case): what 沿用 saves is then exactly what no one
// has to type again; figures and scores are typed either way.
import { createBot } from '../../src/bot';
import { MORE } from '../../src/conversation/flow';
import type { DialogState } from '../../src/conversation/state';
import type { Actor } from '../../src/conversation/types';
import { formatAnswer } from '../../src/domain/parse';
import { formSections, questionAt } from '../../src/domain/questions';
import { defaultTemplate, examples } from '../../src/domain/registry';
import { openSqlite } from '../../src/store/sqlite';

const who: Actor = { userId: 'ou_zhang', name: '张三' };

export async function benchCarryOver(): Promise<string[]> {
  const { store, close } = openSqlite(':memory:');
  const bot = createBot({ store });
  const seed = examples['wuhua-2024'].answers;
  const sections = formSections(defaultTemplate());
  let t = Date.UTC(2025, 4, 1);
  const typed = { messages: 0, chars: 0 };
  const say = (chatId: string, text: string) => {
    typed.messages++;
    typed.chars += [...text].length;
    return bot.handle({ actor: who, place: { chatId, chatType: 'group' }, message: { type: 'text', text }, now: (t += 1000) });
  };

  // 2024, filled and archived
  await say('oc_2024', '新建评价 行政综合性经费 2024');
  const last = (await store.findEvaluationByChat('oc_2024'))!;
  await store.applyAnswers(last.id, Object.entries(seed).map(([path, value]) => ({ path, value })), who, { now: (t += 1000), via: 'text' });
  await say('oc_2024', '归档 确认');

  /** Answers whatever is asked from the seed until nothing is; the messages and characters typed. */
  async function fill(chatId: string, first: string) {
    typed.messages = 0;
    typed.chars = 0;
    await say(chatId, first);
    for (let guard = 0; guard < 600; guard++) {
      const pos = ((await store.getDialogState(chatId, who.userId))?.state as DialogState | undefined)?.position;
      if (!pos) break;
      const section = sections.find((s) => s.id === pos.sectionId)!;
      if (pos.field === MORE) {
        const more = Object.keys(seed).some((k) => k.startsWith(`${section.group}[${(pos.index ?? -1) + 1}].`));
        await say(chatId, more ? '是' : '否');
        continue;
      }
      const path = section.repeat ? `${section.group}[${pos.index ?? 0}].${pos.field}` : `${section.group}.${pos.field}`;
      const value = seed[path];
      await say(chatId, value === undefined ? '跳过' : formatAnswer(questionAt(sections, path)!.question.kind, value));
    }
    const ev = (await store.findEvaluationByChat(chatId))!;
    return { ...typed, answers: Object.keys(await store.getAnswers(ev.id)).length };
  }

  const fresh = await fill('oc_2025a', '新建评价 行政综合性经费 2025');
  const carried = await fill('oc_2025b', `新建评价 行政综合性经费 2025 沿用 #${last.id}`);
  close();
  const pct = (a: number, b: number) => `${Math.round((100 * (a - b)) / a)}%`;
  return [
    '== 沿用去年（2024→2025，种子案例，一个人逐题回答） ==',
    `不沿用：发 ${fresh.messages} 条消息、${fresh.chars.toLocaleString('en-US')} 字，得到 ${fresh.answers} 项答案`,
    `沿用：发 ${carried.messages} 条消息、${carried.chars.toLocaleString('en-US')} 字，得到 ${carried.answers} 项答案`,
    `省下 ${fresh.messages - carried.messages} 条消息（${pct(fresh.messages, carried.messages)}）、${(fresh.chars - carried.chars).toLocaleString('en-US')} 字（${pct(fresh.chars, carried.chars)}）`,
  ];
}
