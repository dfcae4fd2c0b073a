// `npm start` runs the built JavaScript (prestart bundles it into dist/node/): the
// README's first command still serves the playground, with its page, script and
// templates (read at start from the built code's location), and stops cleanly when told to.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { printedAddress } from './printedAddress';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('npm start', () => {
  it('builds, then serves the playground from dist/node without tsx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-built-'));
    dirs.push(dir);
    const env = { ...process.env, LARK_APP_ID: '', LARK_APP_SECRET: '', PLAYGROUND_PORT: '0', PLAYGROUND_DB_PATH: join(dir, 'p.sqlite') };
    // its own process group, so Ctrl-C can be sent the way a terminal sends it: to npm and the server alike
    const child = spawn('npm', ['start', '--silent'], { env, cwd: process.cwd(), detached: true });
    const started = printedAddress(child, 60_000);
    const url = await started.url;
    expect(await (await fetch(url)).text()).toContain('绩效自评助手');
    expect((await fetch(`${url}/static/app.js`)).status).toBe(200);
    child.removeAllListeners('exit');
    process.kill(-child.pid!, 'SIGINT');
    // until every process of the group (npm, its shell, the server) has ended
    const gone = async () => {
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(-child.pid!, 0);
        } catch {
          return true;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };
    expect(await gone()).toBe(true);
    expect(started.output()).toContain('收到 SIGINT');
    expect(started.output()).not.toMatch(/Error|错误/);
  }, 90_000);
});
