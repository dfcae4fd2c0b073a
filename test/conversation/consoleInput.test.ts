// The terminal chat drops invisible and control characters at its boundary, with the same
// function as the Lark channel: a command with a zero-width space is still the command, and
// NUL, BEL, ESC never reach the bot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { messageToInput, NameCache } from '../../src/channels/lark/events';
import { consoleSession } from '../../src/channels/console/session';
import { cleanText } from '../../src/conversation/inputText';
import type { Bot, Input } from '../../src/conversation/types';
import { openSqlite } from '../../src/store/sqlite';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** What each line typed in the terminal hands the bot. */
async function typed(lines: string[]): Promise<string[]> {
  const inputs: Input[] = [];
  const bot: Bot = { handle: async (input) => (inputs.push(input), { messages: [] }) };
  const session = consoleSession({ bot, outDir: tmpdir(), print: () => {} });
  for (const l of lines) await session.line(l);
  return inputs.map((i) => (i.message.type === 'text' ? i.message.text : ''));
}

const HOSTILE = ['进度\u200b', '\u202e帮助\u200f', '五\u0000华\u0007区\u001b[31m', '第一行\n\t第二行', 'a\ufeffb\u2060c', '  多个   空格  '];

describe('the terminal chat input boundary', () => {
  it('drops zero-width, bidi and C0 control characters (line breaks and tabs stay)', async () => {
    expect(await typed(HOSTILE)).toEqual(['进度', '帮助', '五华区[31m', '第一行\n\t第二行', 'abc', '多个 空格']);
  });

  it('gives the bot the same text the Lark channel does, from the one function', async () => {
    const lark = HOSTILE.map(
      (text) => (messageToInput({ sender: { sender_id: { open_id: 'ou_a' } }, message: { message_id: 'om_1', chat_id: 'oc_1', message_type: 'text', content: JSON.stringify({ text }) } }, {}, 'ou_bot', new NameCache(), 0)!.input.message as { text: string }).text,
    );
    expect(await typed(HOSTILE)).toEqual(lark);
    expect(lark).toEqual(HOSTILE.map(cleanText));
  });

  it('with the real bot, a command carrying a zero-width space or a bidi mark is the command', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jixiao-console-'));
    const opened = openSqlite(join(dir, 'bot.sqlite'));
    try {
      const run = async (line: string) => {
        const printed: string[] = [];
        const session = consoleSession({ bot: createBot({ store: opened.store }), outDir: dir!, print: (s) => printed.push(s), now: () => Date.UTC(2025, 4, 10, 2) });
        await session.line(line);
        return printed.join('\n');
      };
      const plain = await run('帮助');
      expect(plain).toContain('新建评价');
      expect(await run('帮助\u200b')).toBe(plain);
      expect(await run('\u202e帮助\u200f')).toBe(plain);
    } finally {
      opened.close();
    }
  });
});
