import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '../../src/channels/lark/uuid';

describe('timeOrderedUuid', () => {
  it('is a UUIDv7: Lark takes it as a uuid (at most 50 characters), unique, ordered by time', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => timeOrderedUuid(1_764_000_000_000 + Math.floor(i / 10)));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // ids of a later millisecond sort after those of an earlier one: the index grows at its end
    for (let i = 10; i < ids.length; i += 10) expect(ids[i] > ids[i - 1]).toBe(true);
    // the first 48 bits are the milliseconds
    expect(parseInt(timeOrderedUuid(1_764_000_000_123).replace('-', '').slice(0, 12), 16)).toBe(1_764_000_000_123);
  });
});
