// The seed conversation (test/fixtures/seed-chat.txt: three people fill the whole
// seed case, ~200 messages) as Lark message events for any chat: the load the
// benches replay, one copy per chat, so evaluations fill up as the bench runs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LarkSide } from '../lark/larkSide';

const file = fileURLToPath(new URL('../fixtures/seed-chat.txt', import.meta.url));

export interface ScriptLine {
  userId: string;
  name: string;
  text: string;
  mentions: { name: string; userId: string }[];
}

const idOf = (name: string) => `ou_${Buffer.from(name).toString('hex')}`;

/** The script's lines: who says what, with @-mentions by name. */
export function seedScript(): ScriptLine[] {
  const lines: ScriptLine[] = [];
  let name = '张三';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    if (raw.startsWith(':as ')) {
      name = raw.slice(4).trim();
      continue;
    }
    if (raw.startsWith(':')) continue;
    const text = raw.replace(/\\n/g, '\n');
    const mentions = [...text.matchAll(/@([^\s@]+)/g)].map((m) => ({ name: m[1], userId: idOf(m[1]) }));
    lines.push({ userId: idOf(name), name, text, mentions });
  }
  return lines;
}

/** One line as Lark's event in `chatId` (the bot @-mentioned first, others as @_user_N). */
export function lineEvent(side: LarkSide, line: ScriptLine, chatId: string, botOpenId: string, seq: number) {
  let text = line.text;
  const mentions = line.mentions.map((m, i) => {
    const key = `@_user_${i + 2}`;
    text = text.replace(`@${m.name}`, key);
    return { key, openId: m.userId, name: m.name };
  });
  return side.messageEvent({
    chatId,
    senderId: line.userId,
    text,
    mentions,
    mentionBot: { openId: botOpenId },
    messageId: `om_${chatId}_${seq}`,
    eventId: `ev_${chatId}_${seq}`,
  });
}

/** The answering part of the script: after 填写, up to the last answer before 进度 and 生成报告 (documents are measured apart). */
export function answeringLines(script: ScriptLine[]): { from: number; to: number } {
  const from = script.findIndex((l) => l.text === '填写') + 1;
  const to = script.map((l) => l.text).lastIndexOf('进度');
  return { from, to };
}
