// Replies that pile up in one chat while sending is paced go out merged: the real bot,
// the real SDK against the fake platform, Lark's per-chat limit tightened to one send a
// second so a burst of answers has to wait.
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { mergeTexts } from '../../src/channels/lark/merge';
import type { Output } from '../../src/conversation/types';
import { openSqlite } from '../../src/store/sqlite';
import { FIRST_ANSWER_LINE } from '../bench/http';
import { lineEvent, seedScript } from '../bench/seedScript';
import { createSender } from '../../src/channels/lark/sender';
import { BOT_OPEN_ID, quietLogger, startHarness, tempDb, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CHAT = 'oc_merge';
/** Setting up sends at once; only the burst is paced. */
const FAST = { perChat: { count: 10_000, periodMs: 1000 }, perApp: [{ count: 10_000, periodMs: 1000 }] };
const script = seedScript();
/** The first answers of the seed conversation: all 张三's, each answering the question asked. */
const BURST = 8;
const burst = script.slice(FIRST_ANSWER_LINE, FIRST_ANSWER_LINE + BURST);

/** What the bot says to each line when every reply goes out alone (no pacing, no merging). */
async function repliesOneByOne(): Promise<{ text: string; prompt?: string }[]> {
  const db = tempDb();
  const opened = openSqlite(db.file);
  try {
    const bot = createBot({ store: opened.store });
    let out: Output = { messages: [] };
    const replies: { text: string; prompt?: string }[] = [];
    for (const [i, line] of script.slice(0, FIRST_ANSWER_LINE + BURST).entries()) {
      out = await bot.handle({ actor: { userId: line.userId, name: line.name }, place: { chatId: CHAT, chatType: 'group' }, message: { type: 'text', text: line.text, mentions: line.mentions, messageId: `om_ref_${i}` }, now: Date.now() });
      if (i >= FIRST_ANSWER_LINE) {
        expect(out.messages).toHaveLength(1);
        const m = out.messages[0];
        if (m.type !== 'text') throw new Error('expected a text reply');
        replies.push({ text: m.text, prompt: m.prompt });
      }
    }
    return replies;
  } finally {
    opened.close();
    db.cleanup();
  }
}

describe('replies that pile up in one chat', () => {
  it('go out as fewer messages, every confirmation in order, the next question last', async () => {
    const reference = await repliesOneByOne();
    expect(reference.every((r) => r.prompt && r.text.endsWith(r.prompt))).toBe(true);
    const leads = reference.map((r) => r.text.slice(0, r.text.length - r.prompt!.length).trim());
    expect(leads.filter((l) => l.startsWith('已记录')).length).toBeGreaterThan(4);
    expect(leads.some((l) => l.startsWith('没有 13 月'))).toBe(true); // a refused answer's reason is kept too

    // one send a second into a chat: the burst arrives while the chat waits for its next slot
    h = await startHarness((store) => createBot({ store }), { sender: { limits: FAST } });
    const x = h;
    for (const [i, line] of script.slice(0, FIRST_ANSWER_LINE).entries()) await x.side.post(lineEvent(x.side, line, CHAT, BOT_OPEN_ID, i));
    await x.app.idle();
    while ((await x.opened.store.pendingCount()) > 0) await x.sender.drain();
    const before = x.fake.messages.length;

    const paced = createSender({ store: x.opened.store, client: x.client, logger: quietLogger, limits: { perChat: { count: 1, periodMs: 1000 }, perApp: [{ count: 50, periodMs: 1000 }] } });
    paced.start(50);
    for (const [i, line] of burst.entries()) {
      const res = await x.side.post(lineEvent(x.side, line, CHAT, BOT_OPEN_ID, FIRST_ANSWER_LINE + i));
      expect(res.status).toBe(200);
      await x.app.idle(); // answered and its reply queued: the sender may pick it up now
    }
    for (let t = 0; t < 200 && (await x.opened.store.pendingCount()) > 0; t++) await new Promise((r) => setTimeout(r, 25));
    await paced.stop();
    expect(await x.opened.store.pendingCount()).toBe(0);

    const sent = x.fake.messages.slice(before).map((m) => JSON.parse(m.content).text as string);
    expect(sent.length).toBeGreaterThan(1); // the first went alone, at once
    expect(sent.length).toBeLessThan(BURST); // the rest waited together
    // every confirmation, in order, none twice
    const all = sent.join('\n');
    let from = 0;
    for (const lead of leads) {
      const at = all.indexOf(lead, from);
      expect(at, lead).toBeGreaterThanOrEqual(from);
      expect(all.indexOf(lead, at + lead.length), `${lead} twice`).toBe(-1);
      from = at + lead.length;
    }
    // each message ends with the one question still open; the last with the question after the burst
    for (const text of sent) expect(reference.filter((r) => text.includes(r.prompt!)).length).toBe(1);
    expect(sent.at(-1)!.endsWith(reference.at(-1)!.prompt!)).toBe(true);
    // every answer of the burst was recorded, and every outbox row is marked sent
    const ids = burst.map((_, i) => `om_${CHAT}_${FIRST_ANSWER_LINE + i}`);
    const answers = x.opened.db.$client.prepare('SELECT count(*) AS n FROM answer_history WHERE message_id IN (SELECT value FROM json_each(?))').get(JSON.stringify(ids)) as { n: number };
    expect(answers.n).toBe(leads.filter((l) => l.startsWith('已记录')).length);
    const statuses = x.opened.db.$client.prepare('SELECT DISTINCT status FROM outbox').all();
    expect(statuses).toEqual([{ status: 'sent' }]);
  }, 30_000);

  it('a merged message is sent once even when its first answer is lost and resent', async () => {
    h = await startHarness((store) => createBot({ store }), { sender: { limits: FAST, baseBackoffMs: 1, maxBackoffMs: 5 }, clientTimeoutMs: 300 });
    const x = h;
    for (const [i, line] of script.slice(0, FIRST_ANSWER_LINE + 4).entries()) {
      await x.side.post(lineEvent(x.side, line, CHAT, BOT_OPEN_ID, i));
      await x.app.idle();
      if (i === FIRST_ANSWER_LINE - 1) while ((await x.opened.store.pendingCount()) > 0) await x.sender.drain();
    }
    const before = x.fake.messages.length;
    x.fake.failRatio(1, ['lost'], 3); // the platform sends, the answer never arrives
    await x.sender.drain();
    x.fake.failRatio(0, ['lost'], 3);
    for (let round = 0; round < 20 && (await x.opened.store.pendingCount()) > 0; round++) {
      await new Promise((r) => setTimeout(r, 10));
      await x.sender.drain();
    }
    const sent = x.fake.messages.slice(before);
    expect(sent).toHaveLength(1); // the resend carried the same uuid: Lark kept one message
    const rows = x.opened.db.$client.prepare('SELECT uuid, status, sent_message_id AS sentMessageId FROM outbox ORDER BY id DESC LIMIT 4').all() as { uuid: string; status: string; sentMessageId: string }[];
    const first = rows.at(-1)!;
    expect(sent[0].uuid).toBe(first.uuid);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.slice(0, 3).map((r) => r.sentMessageId)).toEqual([`merged:${first.uuid}`, `merged:${first.uuid}`, `merged:${first.uuid}`]);
    expect((JSON.parse(sent[0].content).text as string).match(/已记录/g)!.length).toBeGreaterThanOrEqual(3);
  }, 30_000);
});

describe('mergeTexts', () => {
  it("keeps each person's newest question, confirmations first", () => {
    const r = (asker: string, lead: string, prompt: string) => ({ text: `${lead}\n\n${prompt}`, prompt, asker });
    const merged = mergeTexts([r('a', '已记录：甲 ＝ 1', '问题 A2'), r('b', '已记录：乙 ＝ 2', '问题 B2'), r('a', '已记录：丙 ＝ 3', '问题 A3')]);
    expect(merged.text).toBe('已记录：甲 ＝ 1\n已记录：乙 ＝ 2\n已记录：丙 ＝ 3\n\n问题 B2\n\n问题 A3');
  });
});
