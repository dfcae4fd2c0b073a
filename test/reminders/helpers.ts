// Real SQLite files in a temp dir, the real bot, and a fake clock in Beijing time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../../src/bot';
import { beijingInstant } from '../../src/domain/calendar';
import { examples } from '../../src/domain/registry';
import type { Actor, Input, Output } from '../../src/conversation/types';
import type { AnswerValue, Store } from '../../src/store';
import { openSqlite } from '../../src/store/sqlite';

export const admin: Actor = { userId: 'ou_admin', name: '王管理' };
export const leader: Actor = { userId: 'ou_leader', name: '赵局长' };
export const leader2: Actor = { userId: 'ou_leader2', name: '钱科长' };
export const staff: Actor = { userId: 'ou_staff', name: '张三' };
export const staff2: Actor = { userId: 'ou_staff2', name: '李四' };
export const staff3: Actor = { userId: 'ou_staff3', name: '孙五' };

export const example = examples['wuhua-2024'].answers;

/** Beijing wall-clock time → epoch ms. */
export const bj = (date: string, time = '09:00') => beijingInstant(date, time);

export interface World {
  dir: string;
  file: string;
  store: Store;
  bot: ReturnType<typeof createBot>;
  reopen(): void;
  close(): void;
  cleanup(): void;
  say(actor: Actor, text: string, opts?: { chatId?: string; p2p?: boolean; mentions?: Actor[]; now?: number }): Promise<Output>;
}

export function world(now: () => number = () => bj('2025-05-01')): World {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-reminders-'));
  const file = join(dir, 'bot.sqlite');
  let opened = openSqlite(file);
  const w: World = {
    dir,
    file,
    store: opened.store,
    bot: createBot({ store: opened.store, admins: [admin.userId] }),
    reopen() {
      opened.close();
      opened = openSqlite(file);
      w.store = opened.store;
      w.bot = createBot({ store: opened.store, admins: [admin.userId] });
    },
    close: () => opened.close(),
    cleanup() {
      try {
        opened.close();
      } catch {
        /* already closed */
      }
      rmSync(dir, { recursive: true, force: true });
    },
    say(actor, text, opts = {}) {
      const input: Input = {
        actor,
        place: { chatId: opts.p2p ? `p2p_${actor.userId}` : (opts.chatId ?? 'oc_group'), chatType: opts.p2p ? 'p2p' : 'group' },
        message: { type: 'text', text, ...(opts.mentions ? { mentions: opts.mentions } : {}) },
        now: opts.now ?? now(),
      };
      return w.bot.handle(input);
    },
  };
  return w;
}

export const texts = (o: Output) => o.messages.flatMap((m) => (m.type === 'text' ? [m.text] : [])).join('\n');

/** An evaluation made through the store, with these answers, by `by`. */
export async function makeEvaluation(
  store: Store,
  opts: {
    chatId: string;
    projectName: string;
    year?: number;
    answers: Record<string, AnswerValue>;
    by?: Actor;
    deadline?: string;
    status?: 'filling' | 'generated';
    now?: number;
  },
): Promise<number> {
  const now = opts.now ?? bj('2025-04-01');
  const ev = await store.createEvaluation({
    templateId: 'wuhua-2024',
    templateVersion: '1',
    year: opts.year ?? 2024,
    projectName: opts.projectName,
    chatId: opts.chatId,
    createdBy: (opts.by ?? staff).userId,
    deadline: opts.deadline ?? null,
    now,
  });
  const changes = Object.entries(opts.answers).map(([path, value]) => ({ path, value }));
  if (changes.length) await store.applyAnswers(ev.id, changes, opts.by ?? staff, { now, via: 'cli' });
  if (opts.status === 'generated') await store.updateEvaluation(ev.id, { status: 'generated' }, now);
  return ev.id;
}

/** The example's answers without the given top-level groups (so those sections are incomplete). */
export function exampleWithout(...prefixes: string[]): Record<string, AnswerValue> {
  return Object.fromEntries(Object.entries(example).filter(([k]) => !prefixes.some((p) => k.startsWith(p))));
}
