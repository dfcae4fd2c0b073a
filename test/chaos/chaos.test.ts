// The short chaos run (`npm run chaos` does at least 50 kills): the real server process
// killed with SIGKILL and restarted while 8 chats type and Lark delivers every message
// 2–4 times. Nothing may be lost, misplaced or sent twice.
import { expect, it } from 'vitest';
import { runChaos } from './run';

it('survives kill -9 with nothing lost, misplaced or sent twice', async () => {
  const r = await runChaos({ chats: 8, kills: 2, lines: 12, seed: 3 });
  expect(r.acknowledged).toBe(r.messages);
  expect(r.kills).toBe(2);
  expect({ lost: r.lost, misplaced: r.misplaced, twice: r.repliesSentTwice, missing: r.repliesMissing, pending: r.pendingInbox }).toEqual({ lost: 0, misplaced: 0, twice: 0, missing: 0, pending: 0 });
  expect(r.storedRight).toBeGreaterThan(0);
}, 240_000);
