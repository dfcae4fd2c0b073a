// An example evaluation typed by a person who knows the answers (test/fixtures/*-fast.txt),
// replayed through the terminal chat over a real SQLite file: within its message budget
// and ending with the same answers, score and grade as the example scored directly.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/domain/evaluate';
import { formatScore } from '../../src/domain/decimal';
import { examples, templates } from '../../src/domain/registry';
import { fastFixtures } from './fastFixtures';
import { fastScript, messagesOf } from './fastScript';
import { replayScript } from './replay';

for (const f of fastFixtures) {
  const example = examples[f.templateId];
  const template = templates.find((t) => t.id === f.templateId)!;
  describe(`${f.title} by someone who knows the answers`, () => {
    it('the committed script is what the generator writes today', () => {
      const script = fastScript(f.templateId, String(example.answers['project.name']), example.year);
      if (process.env.UPDATE_FIXTURES) writeFileSync(f.path, script);
      expect(readFileSync(f.path, 'utf8')).toBe(script);
    });

    it(`is filled in at most ${f.budget} messages, to the example's score and grade`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jixiao-fast-'));
      const script = readFileSync(f.path, 'utf8');
      const r = await replayScript(script, join(dir, 'bot.sqlite'), join(dir, 'out'));
      try {
        expect(r.messages).toBe(messagesOf(script).length);
        expect(r.messages).toBeLessThanOrEqual(f.budget);
        const expected = Object.fromEntries(Object.entries(example.answers).filter(([k]) => !k.startsWith('weights.')));
        for (const [path, value] of Object.entries(expected)) expect([path, r.answers[path]]).toEqual([path, value]);
        expect(Object.keys(r.answers).sort()).toEqual(Object.keys(expected).sort());
        const direct = assess(template, expected, example.problems ?? []);
        expect(r.printed).toContain(`总分：${formatScore(direct.scores.total)}分`);
        expect(r.printed).toContain(`评价等次：${direct.scores.grade}`);
        if (f.templateId === 'wuhua-2024') expect(r.printed).toContain('总分：97分');
        expect(r.printed).not.toContain('没有记下');
        expect(r.status).toBe('generated');
        expect(readdirSync(join(dir, 'out'))).toHaveLength(template.documents.length);
      } finally {
        r.close();
      }
    }, 60_000);
  });
}
