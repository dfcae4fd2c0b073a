// The card of a bot's answer, and its table, for the leaders' tests.
import type { Card, Output } from '../../src/conversation/types';

export const cardOf = (o: Output): Card => {
  const m = o.messages.find((x) => x.type === 'card');
  if (!m || m.type !== 'card') throw new Error('no card');
  return m.card;
};

export const table = (c: Card) => {
  const t = c.blocks.find((b) => b.type === 'table');
  if (!t || t.type !== 'table') throw new Error('no table');
  return t;
};
