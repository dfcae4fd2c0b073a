// Command arguments are read in one pass: a 150 KB 新建评价, 填写, 修改 or 沿用 must be
// answered promptly (the regexes before held the bot for minutes), and the one-pass
// readers must read ordinary arguments exactly as the regexes did.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { dropBracketed, nameAndYear, quoted, splitAtWord, trailingNumber } from '../../src/conversation/argText';
import { cleanText, MAX_TEXT_CHARS } from '../../src/conversation/inputText';
import type { Bot, Input } from '../../src/conversation/types';
import { openSqlite } from '../../src/store/sqlite';

// The regexes the readers replace, to compare with on short input.
const old = {
  nameAndYear: (s: string) => {
    const m = s.match(/^(.*?)\s*(?:(\d{4})\s*年?度?)?$/);
    return { name: (m?.[1] ?? '').trim(), year: m?.[2] ? Number(m[2]) : undefined };
  },
  trailingNumber: (s: string) => {
    const m = s.match(/^(.*?)\s+(\d+)$/);
    return m ? { text: m[1], n: Number(m[2]) } : undefined;
  },
  carryName: (s: string) => /^(.*?)\s*(?:\d{4}\s*年?度?)?\s*(?:沿用.*)?$/.exec(s)?.[1]?.trim() || undefined,
  carrySplit: (s: string) => {
    const m = /^(.*?)\s*沿用\s*(.*)$/.exec(s);
    return m ? { before: m[1], after: m[2] } : undefined;
  },
  dropBracketed: (s: string) => s.replace(/（[^）]*）|\([^)]*\)/g, ''),
};

/** Short random arguments over the characters these readers care about (no line breaks: arguments have none). */
function* samples(): Generator<string> {
  const alphabet = ['a', '资', '1', '2', '0', '4', ' ', '（', '）', '(', ')', '年', '度', '沿用', '第'];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 3000; i++) {
    const n = Math.floor(rand() * 14);
    let s = '';
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
    yield s.trim(); // command arguments arrive trimmed
  }
  yield* ['行政综合性经费 2024', '行政综合性经费2024年度', '经费 2024 年', '12024', '2024', '资金来源 2', '资金来源 第2', '年初预算数（万元）', '项目(一)（二', '行政经费 2024 沿用 去年', '沿用 2023'];
}

describe('the one-pass argument readers', () => {
  it('read ordinary arguments exactly as the regexes did', () => {
    for (const s of samples()) {
      const { name, year } = nameAndYear(s);
      expect({ name, year }, s).toEqual(old.nameAndYear(s));
      expect(trailingNumber(s), s).toEqual(old.trailingNumber(s));
      expect(nameAndYear(splitAtWord(s, '沿用')?.before ?? s).name || undefined, s).toEqual(old.carryName(s));
      const split = splitAtWord(s, '沿用');
      const was = old.carrySplit(s);
      expect(split && { before: split.before, after: split.after }, s).toEqual(was && { before: was.before.trim(), after: was.after.trim() });
      expect(dropBracketed(s), s).toBe(old.dropBracketed(s));
    }
  });

  it('quote what was typed briefly, in whole characters', () => {
    expect(quoted('资金来源')).toBe('资金来源');
    expect(quoted('字'.repeat(41))).toBe(`${'字'.repeat(40)}…`);
    expect(quoted('😀'.repeat(50))).toBe(`${'😀'.repeat(40)}…`);
    expect(quoted('x'.repeat(150_000)).length).toBe(41);
  });

  it('take 150 KB of hostile arguments promptly', () => {
    const N = MAX_TEXT_CHARS;
    const hostile = ['（'.repeat(N), '('.repeat(N), 'a' + ' '.repeat(N) + 'x', '沿用 '.repeat(N / 3), '1 '.repeat(N / 2) + 'x', '2024 '.repeat(N / 5) + 'x', '（）'.repeat(N / 2) + '（'];
    for (const s of hostile) {
      const started = performance.now();
      nameAndYear(s);
      trailingNumber(s);
      splitAtWord(s, '沿用');
      dropBracketed(s);
      expect(performance.now() - started, s.slice(0, 10)).toBeLessThan(250);
    }
  });
});

describe('the real bot on 150 KB commands', () => {
  let dir: string;
  let opened: ReturnType<typeof openSqlite>;
  let bot: Bot;
  const chat = 'oc_hostile_args';
  let t = Date.UTC(2025, 4, 10, 2);
  const say = async (text: string) => {
    const input: Input = { actor: { userId: 'ou_zhang', name: '张三' }, place: { chatId: chat, chatType: 'group' }, message: { type: 'text', text: cleanText(text), messageId: `om_${t}` }, now: (t += 1000) };
    const started = performance.now();
    const out = await bot.handle(input);
    return { ms: performance.now() - started, out };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jixiao-hostile-'));
    opened = openSqlite(join(dir, 'bot.sqlite'));
    bot = createBot({ store: opened.store });
    // 新建评价 with a hostile name, before any evaluation exists: refused, quickly
    for (const [tail, answer] of [
      ['沿用 '.repeat(50_000), '请写上项目名称'],
      ['资金 沿用 '.repeat(25_000), '没有找到要沿用的评价'],
      ['1 '.repeat(75_000) + 'x', '太长'],
    ]) {
      const r = await say(`新建评价 ${tail}`);
      expect(r.ms, '新建评价').toBeLessThan(2000);
      expect(JSON.stringify(r.out.messages)).toContain(answer);
    }
    const created = await say('新建评价 行政综合性经费 2024');
    expect(JSON.stringify(created.out.messages)).toContain('已新建评价');
  });
  afterAll(() => {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const N = 149_000;
  const HOSTILE: Record<string, string> = {
    openBrackets: '（'.repeat(N),
    halfBrackets: '('.repeat(N),
    spaces: 'a' + ' '.repeat(N) + 'x',
    numbers: '1 '.repeat(N / 2) + 'x',
    years: '2024 '.repeat(N / 5) + 'x',
    carry: '沿用 '.repeat(N / 3),
    lines: '资金\n \n'.repeat(N / 5),
  };
  for (const command of ['填写', '修改', '问题', '分配', '截止', '沿用', '模板', '新建评价']) {
    it(`${command} <150 KB> is answered promptly`, async () => {
      for (const [name, tail] of Object.entries(HOSTILE)) {
        await say('取消'); // not answering a question: a long text is then read as the command it starts with
        const r = await say(`${command} ${tail}`);
        expect(r.ms, `${command} ${name}`).toBeLessThan(2000);
        expect(r.out.messages.length + (r.out.toast ? 1 : 0), `${command} ${name}`).toBeGreaterThan(0);
        // what was typed is quoted short: a reply quoting 150 KB would pass Lark's text limit and never arrive
        for (const m of r.out.messages) if (m.type === 'text') expect(m.text.length, `${command} ${name}`).toBeLessThan(4000);
      }
    });
  }
});
