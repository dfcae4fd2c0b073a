// Sending limits, on a fake clock through the real sender and outbox: a reminder burst
// to 1,000 chats (plus a few more to cross the minute limit), then one user's reply
// queued right after it. Counts the most sends in any 1 s and any 60 s window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mostInAnyWindow } from '../lark/sendWindows';
import { createSender, type LarkApi } from '../../src/channels/lark/sender';
import { openSqlite } from '../../src/store/sqlite';

export interface SendingFigures {
  firstSecond: number;
  maxPerSecond: number;
  maxPerMinute: number;
  /** seconds the reply queued after the burst waited */
  replyWaitS: number;
}

export async function measureSending(burst = 1100): Promise<SendingFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-send-'));
  const opened = openSqlite(join(dir, 'send.sqlite'));
  try {
    let t = Date.UTC(2025, 4, 24, 1, 0, 0);
    const start = t;
    const sent: { at: number; uuid: string }[] = [];
    const client: LarkApi = {
      im: {
        v1: {
          message: {
            create: async (p: any) => (sent.push({ at: t, uuid: p.data.uuid }), { code: 0, data: { message_id: `om_${sent.length}` } }),
            reply: async (p: any) => (sent.push({ at: t, uuid: p.data.uuid }), { code: 0, data: { message_id: `om_${sent.length}` } }),
          },
          file: { create: async () => ({ file_key: 'f' }) },
        },
      },
    };
    const sender = createSender({ store: opened.store, client, now: () => t, sleep: async (ms) => void (t += ms), logger: { info() {}, warn() {}, error() {} } });
    await opened.store.enqueueOutgoing(
      Array.from({ length: burst }, (_, i) => ({ chatId: `oc_${i % 1000}`, kind: 'text' as const, payload: { text: '提醒' }, uuid: `rem-${i}` })),
      t,
      'background',
    );
    await opened.store.enqueueOutgoing([{ chatId: 'oc_user', kind: 'text', payload: { text: '回复' }, replyTo: 'om_user', uuid: 'reply' }], t);
    await sender.drain();
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    const most = (periodMs: number) => mostInAnyWindow(times, periodMs);
    const reply = sent.find((s) => s.uuid === 'reply');
    return {
      firstSecond: times.filter((x) => x < start + 1000).length,
      maxPerSecond: most(1000),
      maxPerMinute: most(60_000),
      replyWaitS: reply ? (reply.at - start) / 1000 : NaN,
    };
  } finally {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
