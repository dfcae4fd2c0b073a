// The terminal chat, without the terminal: lines in, printed text out. Kept apart
// from main.ts so tests can drive it directly as well as through a pipe.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Actor, Bot, CardAction, Input, Output } from '../../conversation/types';
import { cleanText } from '../../conversation/inputText';
import { type DrawnCard, drawCard } from './cardText';

export interface ConsoleOptions {
  bot: Bot;
  outDir: string;
  print: (text: string) => void;
  now?: () => number;
}

export function consoleSession({ bot, outDir, print, now = () => Date.now() }: ConsoleOptions) {
  let actor: Actor = { userId: '我', name: '我' };
  let chatId = '本群';
  let lastCard: DrawnCard | undefined;
  let seq = 0;

  async function show(out: Output): Promise<void> {
    if (out.toast) print(`〔${out.toast.text}〕`);
    if (out.updatedCard) {
      lastCard = drawCard(out.updatedCard);
      print(lastCard.text);
    }
    for (const m of out.messages) {
      if (m.type === 'text') print(`🤖 ${m.text}`);
      else if (m.type === 'card') {
        lastCard = drawCard(m.card);
        print(lastCard.text);
      } else {
        mkdirSync(outDir, { recursive: true });
        const path = join(outDir, m.fileName);
        writeFileSync(path, m.bytes);
        print(`📎 已保存文件：${path}`);
      }
    }
  }

  function input(message: Input['message']): Input {
    return { actor, place: { chatId, chatType: 'group' }, message, now: now() };
  }

  async function act(action: CardAction): Promise<void> {
    await show(await bot.handle(input({ type: 'action', action })));
  }

  /** One line typed at the prompt (or read from a pipe). */
  async function line(raw: string): Promise<void> {
    // the same boundary as Lark's: invisible and control characters never reach the bot
    const text = cleanText(raw.replace(/\\n/g, '\n'));
    const t = text.trim();
    if (t.startsWith(':as ') || t.startsWith('：as ')) {
      const name = t.slice(4).trim();
      if (name) actor = { userId: name, name };
      print(`（现在是 ${actor.name} 在说话）`);
      return;
    }
    if (t.startsWith(':chat ')) {
      chatId = t.slice(6).trim() || chatId;
      print(`（现在在群“${chatId}”里）`);
      return;
    }
    if (t.startsWith(':按 ') || t.startsWith(':press ')) {
      const n = Number(t.split(/\s+/)[1]);
      const action = lastCard?.buttons[n - 1];
      if (!action) return print('（最近的卡片上没有这个按钮）');
      return act(action);
    }
    if (t.startsWith(':填 ') || t.startsWith(':fill ')) {
      const form = lastCard?.form;
      if (!form || form.submit.kind !== 'submit') return print('（最近的卡片上没有可填写的表单）');
      const values: Record<string, string> = {};
      for (const m of t.slice(t.indexOf(' ') + 1).matchAll(/(\d+)=([^=]*?)(?=\s+\d+=|$)/g)) {
        const name = form.fields[Number(m[1]) - 1];
        if (name) values[name] = m[2].trim();
      }
      return act({ ...form.submit, values });
    }
    if (t.startsWith(':导入 ') || t.startsWith(':import ')) {
      // a file given to the terminal chat is what a file sent to the Lark chat is
      const path = t.slice(t.indexOf(' ') + 1).trim();
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(path));
      } catch {
        return print(`（读不到文件 ${path}）`);
      }
      return show(await bot.handle(input({ type: 'file', fileName: basename(path), bytes, messageId: `console-${now()}-${seq++}` })));
    }
    // "@张三" in the terminal is a mention of 张三
    const mentions = [...text.matchAll(/@([^\s@]+)/g)].map((m) => ({ userId: m[1], name: m[1] }));
    await show(await bot.handle(input({ type: 'text', text, mentions, messageId: `console-${now()}-${seq++}` })));
  }

  return { line, get actor() { return actor; }, get chatId() { return chatId; } };
}
