// The scripted seed session ships in test/fixtures and is replayed through the real
// `npm run chat` process, reading from a pipe as a person's terminal would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { openSqlite } from '../../src/store/sqlite';
import { toChatScript } from './chatScript';
import { playSeed } from './seedPlayer';

const fixture = join(__dirname, '../fixtures/seed-chat.txt');

describe('the seed case as a terminal chat script', () => {
  it('the committed script is what the seed player types today', async () => {
    const { store, close } = openSqlite(':memory:');
    let t = 0;
    const { lines } = await playSeed(createBot({ store }), store, () => ++t);
    close();
    const script = toChatScript(lines.map((l) => ({ actor: { userId: l.actor.name, name: l.actor.name }, text: l.text })));
    if (process.env.UPDATE_FIXTURES) writeFileSync(fixture, script);
    expect(readFileSync(fixture, 'utf8')).toBe(script);
  });

  it('npm run chat < seed-chat.txt fills the evaluation and writes the three documents', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-chat-'));
    const r = spawnSync('node_modules/.bin/tsx', ['src/channels/console/main.ts'], {
      input: readFileSync(fixture),
      env: { ...process.env, DB_PATH: join(dir, 'chat.sqlite'), OUT_DIR: join(dir, 'out') },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('总分：97分');
    expect(r.stdout).toContain('评价等次：优');
    expect(r.stdout).toContain('已完成 21/21 部分');
    for (const name of ['附件1-评价表', '附件2-绩效评价报告', '附件3-问题清单'])
      expect(existsSync(join(dir, 'out', `2024年度行政综合性经费-${name}.docx`))).toBe(true);
  });
});
