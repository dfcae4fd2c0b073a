// Kill the terminal bot with SIGKILL in the middle of the seed evaluation, start it
// again on the same SQLite file, and finish: nothing typed before the kill is lost.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examples } from '../../src/domain/registry';
import { openSqlite } from '../../src/store/sqlite';

const script = readFileSync(join(__dirname, '../fixtures/seed-chat.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));

describe('a crash in the middle of an evaluation', () => {
  it('keeps every answer given before SIGKILL and continues to the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-crash-'));
    const env = { ...process.env, DB_PATH: join(dir, 'bot.sqlite'), OUT_DIR: join(dir, 'out') };
    const cut = 120; // well inside 李四's indicator scores
    const child = spawn('node_modules/.bin/tsx', ['src/channels/console/main.ts'], { env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stdin.write(script.slice(0, cut).join('\n') + '\n'); // stdin stays open: the process is alive when killed
    const last = script[cut - 1];
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const at = out.lastIndexOf(`> ${last}\n`);
        if (at >= 0 && out.indexOf('🤖', at) > at) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
      setTimeout(() => reject(new Error(`bot did not get to line ${cut}:\n${out.slice(-2000)}`)), 90_000);
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode).toBe('SIGKILL');

    // what was answered before the kill is on disk
    const before = openSqlite(env.DB_PATH);
    const ev = await before.store.findEvaluationByChat('本群'); // the terminal's default chat
    const answered = await before.store.getAnswers(ev!.id);
    before.close();
    expect(Object.keys(answered).length).toBeGreaterThan(40);

    // start again: the speaker at the cut, then the rest of the script, then 进度
    const speaker = script.slice(0, cut).filter((l) => l.startsWith(':as ')).pop()!;
    const rest = [speaker, ...script.slice(cut)].join('\n') + '\n';
    const r = spawnSync('node_modules/.bin/tsx', ['src/channels/console/main.ts'], { env, input: rest, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('已完成 21/21 部分');
    expect(r.stdout).toContain('总分：97分');

    const after = openSqlite(env.DB_PATH);
    const final = await after.store.getAnswers(ev!.id);
    for (const [path, value] of Object.entries(answered)) expect([path, final[path]]).toEqual([path, value]);
    for (const [path, value] of Object.entries(examples['wuhua-2024'].answers))
      if (!path.startsWith('weights.')) expect([path, final[path]]).toEqual([path, value]);
    after.close();
  });
});
