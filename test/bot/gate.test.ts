// The gate in front of the bot (Node runtime): messages start a batch at a time, each
// batch from a fresh turn of the event loop, so acknowledgements get in between; the
// messages of a batch share one commit. Card callbacks go first.
import { setImmediate as immediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import { GATE_BATCH, gateBot } from '../../src/bot/gate';
import type { Bot, Input, Output } from '../../src/conversation/types';
import { countSql } from '../bench/sqlCount';
import { storePerTest } from '../store/helpers';

const counter = countSql(); // before any connection prepares its statements

const text = (chatId: string, text: string, messageId: string): Input => ({
  actor: { userId: 'ou_alice', name: '张三' },
  place: { chatId, chatType: 'group' },
  message: { type: 'text', text, messageId },
  now: 1_000,
});

/** A bot that records what runs when and finishes each message when told. */
function recordingBot() {
  const log: string[] = [];
  let running = 0;
  let most = 0;
  const finishers: (() => void)[] = [];
  const bot: Bot = {
    async handle(input) {
      log.push(`start ${input.message.messageId}`);
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => finishers.push(resolve));
      running--;
      return { messages: [] } as Output;
    },
  };
  return { bot, log, most: () => most, finishAll: () => finishers.splice(0).forEach((f) => f()) };
}

describe('gate', () => {
  it('starts up to GATE_BATCH messages together, the next batch after the last one is done, each from a fresh turn', async () => {
    const r = recordingBot();
    const gate = gateBot(r.bot);
    const n = GATE_BATCH + 5;
    const done = Array.from({ length: n }, (_, i) => gate.handle(text(`oc_${i}`, '1', `om_${i}`)));
    expect(r.log).toEqual([]); // nothing starts in the turn that received them
    await immediate();
    expect(r.log.filter((l) => l.startsWith('start'))).toHaveLength(GATE_BATCH);
    expect(gate.waiting()).toBe(5);
    // something that came in while the batch ran (an acknowledgement) goes before the next batch
    setImmediate(() => r.log.push('an acknowledgement'));
    r.finishAll();
    for (let i = 0; i < 5 && r.log.length < n + 1; i++) await immediate();
    expect(r.log[GATE_BATCH]).toBe('an acknowledgement');
    expect(r.log.filter((l) => l.startsWith('start'))).toHaveLength(n);
    r.finishAll();
    await Promise.all(done);
    expect(r.most()).toBe(GATE_BATCH);
  });

  it('starts card callbacks before queued messages', async () => {
    const r = recordingBot();
    const gate = gateBot(r.bot);
    const queued = Array.from({ length: GATE_BATCH }, (_, i) => gate.handle(text(`oc_${i}`, '1', `om_${i}`)));
    const card = gate.handle({ ...text('oc_card', '', 'om_card'), message: { type: 'action', action: { kind: 'command', command: '进度' }, messageId: 'om_card' } } as Input);
    await immediate();
    await immediate();
    expect(r.log[0]).toBe('start om_card');
    for (let i = 0; i < 10 && r.log.length <= GATE_BATCH; i++) {
      r.finishAll();
      await immediate();
    }
    r.finishAll();
    await Promise.all([...queued, card]);
  });

  it('after close, waiting messages never start (they stay in the inbox for the next start)', async () => {
    const r = recordingBot();
    const gate = gateBot(r.bot);
    void Array.from({ length: GATE_BATCH + 3 }, (_, i) => gate.handle(text(`oc_${i}`, '1', `om_${i}`)));
    await immediate();
    await immediate();
    const closing = gate.close();
    r.finishAll();
    await closing;
    await immediate();
    expect(r.log.filter((l) => l.startsWith('start'))).toHaveLength(GATE_BATCH);
  });
});

describe('gate with the real bot and store', () => {
  const o = storePerTest('sqlite');

  it('the answers of a batch of chats are written in one commit, each to its own evaluation', async () => {
    const gate = gateBot(createBot({ store: o.store }));
    const chats = Array.from({ length: 8 }, (_, i) => `oc_${i}`);
    for (const c of chats) {
      await gate.handle(text(c, `新建评价 项目${c}`, `om_new_${c}`));
      await gate.handle(text(c, '填写', `om_fill_${c}`));
    }
    counter.reset();
    const replies = await Promise.all(chats.map((c) => gate.handle(text(c, `单位${c}`, `om_answer_${c}`))));
    expect(counter.reset().commits).toBe(1);
    for (const [i, c] of chats.entries()) {
      const ev = await o.store.findEvaluationByChat(c);
      const answers = await o.store.getAnswers(ev!.id);
      expect(Object.values(answers)).toContain(`单位${c}`);
      expect(replies[i].messages.length).toBeGreaterThan(0);
    }
  });
});
