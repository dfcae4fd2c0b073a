// A bot over an in-memory SQLite store, with people and a fake clock, for conversation tests.
import { createBot } from '../../src/bot';
import { openSqlite } from '../../src/store/sqlite';
import type { Actor, Output } from '../../src/conversation/types';

export const zhang: Actor = { userId: 'ou_zhang', name: '张三' };
export const li: Actor = { userId: 'ou_li', name: '李四' };
export const wang: Actor = { userId: 'ou_wang', name: '王五' };

export function chat(opts: { start?: number; admins?: string[] } = {}) {
  const { store, close } = openSqlite(':memory:');
  const bot = createBot({ store, admins: opts.admins });
  const clock = { t: opts.start ?? Date.UTC(2025, 4, 10, 2) };
  const say = (actor: Actor, text: string, mentions: Actor[] = [], chatId = 'oc_1') =>
    bot.handle({ actor, place: { chatId, chatType: 'group' }, message: { type: 'text', text, mentions }, now: (clock.t += 1000) });
  const evaluation = async () => (await store.findEvaluationByChat('oc_1'))!;
  const answers = async () => store.getAnswers((await evaluation()).id);
  return { store, close, bot, clock, say, evaluation, answers };
}

export const text = (o: Output) => o.messages.map((m) => (m.type === 'text' ? m.text : m.type === 'card' ? JSON.stringify(m.card) : m.fileName)).join('\n');
