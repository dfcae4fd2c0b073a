// The seed case typed by a person who knows the answers (test/fixtures/seed-fast.txt),
// replayed through the terminal chat over a real SQLite file: it must take at most 90
// messages and end with the same answers, 97 分 and 优.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examples } from '../../src/domain/registry';
import { fastScript, messagesOf } from './fastScript';
import { replayScript } from './replay';

const fixture = join(__dirname, '../fixtures/seed-fast.txt');
export const SEED_BUDGET = 90;

describe('the seed case by someone who knows the answers', () => {
  it('the committed script is what the generator writes today', () => {
    const script = fastScript();
    if (process.env.UPDATE_FIXTURES) writeFileSync(fixture, script);
    expect(readFileSync(fixture, 'utf8')).toBe(script);
  });

  it(`fills the whole evaluation in at most ${SEED_BUDGET} messages, to 97 分 优`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-fast-'));
    const script = readFileSync(fixture, 'utf8');
    const r = await replayScript(script, join(dir, 'bot.sqlite'), join(dir, 'out'));
    try {
      expect(r.messages).toBe(messagesOf(script).length);
      expect(r.messages).toBeLessThanOrEqual(SEED_BUDGET);
      const expected = Object.fromEntries(Object.entries(examples['wuhua-2024'].answers).filter(([k]) => !k.startsWith('weights.')));
      for (const [path, value] of Object.entries(expected)) expect([path, r.answers[path]]).toEqual([path, value]);
      expect(Object.keys(r.answers).sort()).toEqual(Object.keys(expected).sort());
      expect(r.printed).toContain('总分：97分');
      expect(r.printed).toContain('评价等次：优');
      expect(r.printed).toContain('已完成 21/21 部分');
      expect(r.printed).not.toContain('没有记下');
      expect(r.status).toBe('generated');
      expect(readdirSync(join(dir, 'out')).sort()).toEqual([
        '2024年度行政综合性经费-附件1-评价表.docx',
        '2024年度行政综合性经费-附件2-绩效评价报告.docx',
        '2024年度行政综合性经费-附件3-问题清单.docx',
      ]);
    } finally {
      r.close();
    }
  }, 60_000);
});
