// The playground's server without a browser: bad input is refused in Chinese and
// changes nothing, the page cannot press a button the card does not have, a
// restart keeps chats, people, files and the clock, and `npm start` with no Lark
// credentials serves the page.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { printedAddress } from '../runtime/printedAddress';
import { createBot } from '../../src/bot';
import { mentionsIn } from '../../src/channels/playground/envelopes';
import { initialDirectory } from '../../src/channels/playground/directory';
import { startPlayground, type RunningPlayground } from '../../src/channels/playground/runtime';

const quiet = { info() {}, warn() {}, error() {} };
const running: RunningPlayground[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir?: string): Promise<RunningPlayground> {
  const pg = await startPlayground({ dbPath: dataDir ? join(dataDir, 'p.sqlite') : ':memory:', dataDir, port: 0, createBot, logger: quiet });
  running.push(pg);
  return pg;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'jixiao-pg-'));
  dirs.push(d);
  return d;
}

async function call(pg: RunningPlayground, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${pg.url}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, json: await res.json().catch(() => null) };
}

type Msg = { messageId: string; kind: string; content: string; replyTo?: string; from: { kind: string }; file?: { key: string; name: string } };

async function messages(pg: RunningPlayground, chatId: string, me = 'ou_pg_zhang'): Promise<Msg[]> {
  return (await call(pg, 'GET', `/api/chats/${chatId}/messages?me=${me}`)).json.messages;
}

/** Say something and wait for the bot's answers to it (the reply and whatever follows within the same handling). */
async function say(pg: RunningPlayground, text: string, me = 'ou_pg_zhang', chatId = 'oc_pg_1'): Promise<Msg[]> {
  const { json } = await call(pg, 'POST', '/api/messages', { me, chatId, text });
  for (let i = 0; i < 2000; i++) {
    const all = await messages(pg, chatId, me);
    const at = all.findIndex((m) => m.replyTo === json.messageId);
    if (at >= 0) return all.slice(at);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no answer to ${text}`);
}

describe('playground API', () => {
  it('refuses bad input with a Chinese reason and records nothing', async () => {
    const pg = await start();
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/messages', { me: 'ou_pg_zhang', chatId: 'oc_pg_1', text: '   ' }, /请输入消息内容/],
      ['POST', '/api/messages', { me: 'nobody', chatId: 'oc_pg_1', text: '帮助' }, /选择你是谁/],
      ['POST', '/api/messages', { me: 'ou_pg_zhang', chatId: 'oc_nope', text: '帮助' }, /这个群不存在/],
      ['POST', '/api/messages', { me: 'ou_pg_zhang', chatId: 'oc_pg_p2p_ou_pg_liu', text: '汇总' }, /别人的单聊|群不存在/],
      ['POST', '/api/messages', { me: 'ou_pg_zhang', chatId: 'oc_pg_1', text: '长'.repeat(5001) }, /消息太长/],
      ['POST', '/api/people', { name: '张三' }, /已经有一位“张三”/],
      ['POST', '/api/people', { name: '  ' }, /请填写姓名/],
      ['POST', '/api/people', { name: '@坏人' }, /不能有空格或 @/],
      ['POST', '/api/chats', { name: '' }, /请填写群名称/],
      ['POST', '/api/clock', { to: '2000-01-01 09:00' }, /只能往后拨/],
      ['POST', '/api/clock', { to: '明天' }, /时间格式/],
      ['POST', '/api/clock', { days: -1 }, /只能往后拨/],
    ];
    const nowBefore = (await call(pg, 'GET', '/api/state')).json.now;
    for (const [method, path, body, error] of cases) {
      const r = await call(pg, method, path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error).toMatch(error);
    }
    const state = (await call(pg, 'GET', '/api/state')).json;
    expect(state.people.map((p: { name: string }) => p.name)).toEqual(initialDirectory().people.map((p) => p.name));
    expect(state.chats).toHaveLength(2);
    expect(state.now - nowBefore).toBeLessThan(60_000); // the clock did not move
    expect(await messages(pg, 'oc_pg_1')).toEqual([]);
  });

  it('presses only buttons the card carries, and replaces the card in place', async () => {
    const pg = await start();
    await say(pg, '新建评价 行政综合性经费 2024');
    const answers = await say(pg, '填写 资金来源');
    const card = answers.find((m) => m.kind === 'card')!;
    const json = JSON.parse(card.content);
    const form = json.body.elements.find((e: { tag: string }) => e.tag === 'form');
    // a button name the card does not have, or a form that is not on it
    expect((await call(pg, 'POST', '/api/actions', { me: 'ou_pg_zhang', chatId: 'oc_pg_1', messageId: card.messageId, button: 'btn_9_9' })).status).toBe(404);
    expect((await call(pg, 'POST', '/api/actions', { me: 'ou_pg_zhang', chatId: 'oc_pg_1', messageId: card.messageId, form: 'other', button: 'form_submit' })).status).toBe(404);
    // the card's own submit: a wrong figure is refused with the reason on the card
    const names = form.elements.filter((e: { tag: string }) => e.tag === 'input').map((e: { name: string }) => e.name);
    const submit = form.elements.find((e: { form_action_type?: string }) => e.form_action_type === 'submit').name; // names its form (Lark may drop the value)
    const bad = await call(pg, 'POST', '/api/actions', {
      me: 'ou_pg_zhang',
      chatId: 'oc_pg_1',
      messageId: card.messageId,
      form: form.name,
      button: submit,
      formValue: { [names[0]]: '很多钱', notAField: 'x' },
    });
    expect(bad.json.toast.type).toBe('error');
    const after = (await messages(pg, 'oc_pg_1')).find((m) => m.messageId === card.messageId)!;
    expect(after.content).toMatch(/⚠️/);
    expect((await messages(pg, 'oc_pg_1')).filter((m) => m.kind === 'card')).toHaveLength(1); // replaced, not a new card
  });

  it('turns @name into a Lark mention, longest name first', () => {
    const people = [...initialDirectory().people, { userId: 'ou_x', name: '张三丰' }];
    const { content, mentions } = mentionsIn('分配 决策 @张三丰 和 @张三，@机器人 帮忙', people);
    expect(JSON.parse(content).text).toBe('分配 决策 @_user_1 和 @_user_2，@_user_3 帮忙');
    expect(mentions.map((m) => m.id.open_id)).toEqual(['ou_x', 'ou_pg_zhang', 'ou_pg_bot']);
  });

  it('keeps chats, people, files and the clock across a restart', async () => {
    const dir = tempDir();
    let pg = await start(dir);
    const added = await call(pg, 'POST', '/api/people', { name: '孙七' });
    expect(added.status).toBe(200);
    await say(pg, '新建评价 行政综合性经费 2024');
    await say(pg, '设置领导 @刘局长', 'ou_pg_admin');
    const summary = await say(pg, '汇总', 'ou_pg_liu', 'oc_pg_p2p_ou_pg_liu');
    const file = summary.find((m) => m.kind === 'file')!.file!;
    expect(file.name).toMatch(/\.xlsx$/);
    const moved = await call(pg, 'POST', '/api/clock', { days: 2 });
    expect(moved.status).toBe(200);
    const history = await messages(pg, 'oc_pg_1');
    await pg.stop();
    running.splice(running.indexOf(pg), 1);

    pg = await start(dir);
    expect(await messages(pg, 'oc_pg_1')).toEqual(history);
    const download = await fetch(`${pg.url}/files/${file.key}`);
    expect(download.headers.get('content-disposition')).toContain(encodeURIComponent(file.name));
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 2).toString()).toBe('PK'); // the .xlsx zip
    expect((await fetch(`${pg.url}/files/file_pg_${'0'.repeat(32)}`)).status).toBe(404);
    const state = (await call(pg, 'GET', '/api/state')).json;
    expect(state.people.some((p: { name: string }) => p.name === '孙七')).toBe(true);
    expect(state.now - Date.now()).toBeGreaterThan(2 * 86400_000 - 60_000);
    // the bot remembers the evaluation too: same database
    const again = await say(pg, '进度');
    expect(again.map((m) => m.content).join('')).toMatch(/行政综合性经费/);
  });

  it('`npm start` with no Lark credentials serves the playground and says where', async () => {
    const dir = tempDir();
    const env = { ...process.env, LARK_APP_ID: '', LARK_APP_SECRET: '', PLAYGROUND_PORT: '0', PLAYGROUND_DB_PATH: join(dir, 'p.sqlite') };
    const child = spawn('node_modules/.bin/tsx', ['src/runtime/node/main.ts'], { env, cwd: process.cwd() });
    const started = printedAddress(child, 50_000);
    const url = await started.url;
    const page = await (await fetch(url)).text();
    expect(page).toContain('绩效自评助手');
    expect(started.output()).toContain('没有设置飞书凭证');
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });

  it('`npm start` with Lark credentials runs the Lark bot, not the playground', async () => {
    const dir = tempDir();
    // an address where nothing listens: the Lark runtime fails to reach the platform and says so
    const env = { ...process.env, LARK_APP_ID: 'cli_playgroundtest', LARK_APP_SECRET: 'secret-secret', LARK_DOMAIN: 'http://127.0.0.1:9', DB_PATH: join(dir, 'j.sqlite'), PLAYGROUND_DB_PATH: join(dir, 'p.sqlite'), PLAYGROUND: '' };
    const child = spawn('node_modules/.bin/tsx', ['src/runtime/node/main.ts'], { env, cwd: process.cwd() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/无法连接飞书开放平台/);
    expect(out).not.toMatch(/试用版已启动/);
  });
});
