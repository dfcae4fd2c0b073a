// The seed session as a script for `npm run chat`: one message per line, ":as 名字"
// where the speaker changes, "\n" for a line break inside an answer.
import type { Line } from './seedPlayer';

export function toChatScript(lines: Line[], tail: string[] = ['进度', '生成报告', '确认']): string {
  const out = ['# 红云街道 行政综合性经费 2024：三个人在群里填完整个评价（由 test/conversation/chatScript.test.ts 生成）'];
  let who = '';
  for (const l of [...lines, ...tail.map((text) => ({ actor: lines[0].actor, text }))]) {
    if (l.actor.name !== who) {
      out.push(`:as ${l.actor.name}`);
      who = l.actor.name;
    }
    out.push(l.text.replace(/\r?\n/g, '\\n'));
  }
  return `${out.join('\n')}\n`;
}
