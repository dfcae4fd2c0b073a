// The whole seed case played by three people through Lark: every line is an
// encrypted, signed webhook event; every reply goes through the outbox and the real
// SDK client to the fake platform, with a fifth of the sends failing. Ends with
// 生成报告: the three .docx files are read back from the fake platform.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import type { Bot, Input, Output } from '../../src/conversation/types';
import { asLarkText } from './larkSide';
import { examples } from '../../src/domain/registry';
import { chatId, people, playSeed } from '../conversation/seedPlayer';
import { BOT_OPEN_ID, startHarness, type Harness } from './harness';

let h: Harness;
let lines = 0;

/** A Bot that is really the Lark channel: post the line as Lark would, collect what arrives at the platform. */
function throughLark(x: Harness, deliveries = 1): Bot {
  return {
    async handle(input: Input): Promise<Output> {
      if (input.message.type !== 'text') throw new Error('only text here');
      const { text, mentions } = asLarkText(input.message.text, input.message.mentions);
      const before = x.fake.messages.length;
      const event = x.side.messageEvent({ chatId: input.place.chatId, senderId: input.actor.userId, text, mentions, mentionBot: { openId: BOT_OPEN_ID } });
      // Lark delivers at least once: the same event may arrive again, freshly encrypted and signed
      for (let i = 0; i < deliveries; i++) {
        const res = await x.side.post(event);
        expect(res.status).toBe(200);
      }
      await x.app.idle();
      while ((await x.opened.store.pendingCount()) > 0) {
        await x.sender.drain();
        if ((await x.opened.store.pendingCount()) > 0) await new Promise((r) => setTimeout(r, 5));
      }
      lines++;
      const messages = x.fake.messages.slice(before).map((m): Output['messages'][number] => {
        if (m.msgType === 'text') return { type: 'text', text: (JSON.parse(m.content).text as string).replace(/<at user_id="[^"]*">([^<]*)<\/at>/g, '@$1') };
        if (m.msgType === 'file') return { type: 'file', fileName: x.fake.files.get(JSON.parse(m.content).file_key)!.fileName, bytes: new Uint8Array() };
        return { type: 'card', card: { title: JSON.parse(m.content).header?.title?.content ?? '', blocks: [] } };
      });
      return { messages };
    },
  };
}

beforeAll(async () => {
  // Fast retries and no pacing: the point is that every reply arrives once, not the waiting
  // (at Lark's 5 per second per chat, the ~400 replies would take over a minute).
  const fast = { count: 10_000, periodMs: 1000 };
  h = await startHarness((store) => createBot({ store }), { sender: { baseBackoffMs: 1, maxBackoffMs: 5, limits: { perChat: fast, perApp: [fast] } } });
  h.fake.failRatio(0.2, ['5xx', 'lost', '230020'], 11);
  const lark = throughLark(h);
  await playSeed(lark, h.opened.store, () => Date.now());
  await lark.handle({ actor: people.funds, place: { chatId, chatType: 'group' }, message: { type: 'text', text: '生成报告 确认' }, now: Date.now() });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('the seed case through Lark', () => {
  it('stores every answer of the example', async () => {
    const ev = await h.opened.store.findEvaluationByChat(chatId);
    const answers = await h.opened.store.getAnswers(ev!.id);
    const expected = Object.fromEntries(Object.entries(examples['wuhua-2024'].answers).filter(([k]) => !k.startsWith('weights.')));
    for (const [path, value] of Object.entries(expected)) expect([path, answers[path]]).toEqual([path, value]);
    expect(lines).toBeGreaterThan(100);
  });

  it('learnt names from mentions: answers are recorded under people’s names', async () => {
    const ev = await h.opened.store.findEvaluationByChat(chatId);
    const rows = await h.opened.store.getAnswerRows(ev!.id);
    expect(rows.find((r) => r.path === 'lineItems[0].budget')?.updatedByName).toBe(people.funds.name);
  });

  it('delivered every reply exactly once despite failures', () => {
    const counts = h.fake.countByUuid();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const rows = h.opened.db.$client.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'sent'").get() as { n: number };
    expect(counts.size).toBe(rows.n);
    expect(h.fake.calls.some((c) => c.status >= 400)).toBe(true);
  });

  it('posted the three documents as files whose bytes are .docx', async () => {
    const files = [...h.fake.files.values()].filter((f) => h.fake.messages.some((m) => m.msgType === 'file' && JSON.parse(m.content).file_key === f.fileKey));
    expect(files.length).toBe(3);
    for (const f of files) {
      expect(f.fileName).toMatch(/\.docx$/);
      const zip = await JSZip.loadAsync(f.bytes);
      expect(zip.file('word/document.xml'), f.fileName).not.toBeNull();
    }
    const names = files.map((f) => f.fileName).join(' ');
    expect(names).toContain('评价表');
    expect(names).toContain('报告');
    expect(names).toContain('问题');
  });
});

describe('the seed case with every event delivered twice', () => {
  let twice: Harness;
  let typed = 0;
  beforeAll(async () => {
    const fast = { count: 10_000, periodMs: 1000 };
    twice = await startHarness((store) => createBot({ store }), { sender: { baseBackoffMs: 1, maxBackoffMs: 5, limits: { perChat: fast, perApp: [fast] } } });
    typed = (await playSeed(throughLark(twice, 2), twice.opened.store, () => Date.now())).lines.length;
  }, 120_000);
  afterAll(async () => {
    await twice?.close();
  });

  it('records every answer once: one history line per answer, and the example exactly', async () => {
    const ev = await twice.opened.store.findEvaluationByChat(chatId);
    const answers = await twice.opened.store.getAnswers(ev!.id);
    const expected = Object.fromEntries(Object.entries(examples['wuhua-2024'].answers).filter(([k]) => !k.startsWith('weights.')));
    expect(answers).toEqual(expected);
    const history = await twice.opened.store.getHistory(ev!.id);
    expect(history.length).toBe(Object.keys(expected).length);
  });

  it('sent each reply once', () => {
    const counts = twice.fake.countByUuid();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // one inbox row per message typed, none left unfinished
    const inbound = twice.opened.db.$client.prepare('SELECT count(*) AS n, sum(done_at IS NULL) AS open FROM inbox').get() as { n: number; open: number };
    expect(inbound).toEqual({ n: typed, open: 0 });
  });
});
