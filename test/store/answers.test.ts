// applyAnswers and history, on both drivers.
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/store/index';
import { EvaluationNotFoundError } from '../../src/store/index';
import { alice, bob, newEvaluation, storePerTest } from './helpers';

describe.each<Driver>(['sqlite', 'd1'])('answers (%s)', (driver) => {
  const o = storePerTest(driver);

  it('writes answers and one history row per change, with who and where from', async () => {
    const ev = await newEvaluation(o.store);
    const r = await o.store.applyAnswers(
      ev.id,
      [
        { path: 'project.name', value: '农村公路养护' },
        { path: 'lineItems[0].budget', value: 120.5 },
        { path: 'flags.done', value: true },
      ],
      alice,
      { now: 2_000, messageId: 'om_1', via: 'text' },
    );
    expect(r.answersVersion).toBe(1);
    expect(r.changed.map((c) => c.path)).toEqual(['project.name', 'lineItems[0].budget', 'flags.done']);
    expect(r.changed.every((c) => c.oldValue === null && c.previousBy === undefined)).toBe(true);
    expect(await o.store.getAnswers(ev.id)).toEqual({ 'project.name': '农村公路养护', 'lineItems[0].budget': 120.5, 'flags.done': true });

    const rows = await o.store.getAnswerRows(ev.id);
    expect(rows.find((x) => x.path === 'lineItems[0].budget')).toEqual({
      path: 'lineItems[0].budget',
      value: 120.5,
      updatedBy: alice.userId,
      updatedByName: alice.name,
      updatedAt: 2_000,
      messageId: 'om_1',
    });
    const history = await o.store.getHistory(ev.id);
    expect(history).toHaveLength(3);
    expect(history[1]).toMatchObject({ path: 'lineItems[0].budget', oldValue: null, newValue: 120.5, byUser: alice.userId, byName: alice.name, at: 2_000, messageId: 'om_1', via: 'text' });
    expect((await o.store.getEvaluation(ev.id))!.updatedAt).toBe(2_000);
  });

  it('overwriting returns the previous answerer and records old → new', async () => {
    const ev = await newEvaluation(o.store);
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: '1' }], alice, { now: 2_000, via: 'text' });
    const r = await o.store.applyAnswers(ev.id, [{ path: 'a', value: 1 }], bob, { now: 3_000, via: 'card' });
    // "1" and 1 are different answers: the JSON encoding keeps the type.
    expect(r.changed).toEqual([{ path: 'a', oldValue: '1', newValue: 1, previousBy: { userId: alice.userId, name: alice.name, at: 2_000 } }]);
    expect(r.answersVersion).toBe(2);
    const h = await o.store.getHistory(ev.id, 'a');
    expect(h.map((x) => [x.oldValue, x.newValue, x.byUser, x.via])).toEqual([
      [null, '1', alice.userId, 'text'],
      ['1', 1, bob.userId, 'card'],
    ]);
    expect((await o.store.getAnswerRows(ev.id))[0]).toMatchObject({ value: 1, updatedBy: bob.userId, messageId: null });
  });

  it('the same value again is not a change: no history, no version bump', async () => {
    const ev = await newEvaluation(o.store);
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'x' }, { path: 'b', value: 2 }], alice, { now: 2_000, via: 'text' });
    const same = await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'x' }, { path: 'gone', value: null }], bob, { now: 3_000, via: 'text' });
    expect(same).toEqual({ changed: [], answersVersion: 1 });
    expect(await o.store.getHistory(ev.id)).toHaveLength(2);
    const after = (await o.store.getEvaluation(ev.id))!;
    expect(after.answersVersion).toBe(1);
    expect(after.updatedAt).toBe(2_000);
    expect((await o.store.getAnswerRows(ev.id)).find((r) => r.path === 'a')!.updatedBy).toBe(alice.userId);

    // Several real changes in one call bump the version once.
    const two = await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'y' }, { path: 'b', value: 3 }, { path: 'a', value: 'z' }], bob, { now: 4_000, via: 'text' });
    expect(two.answersVersion).toBe(2);
    expect(two.changed).toHaveLength(2);
    expect(two.changed[0]).toMatchObject({ path: 'a', oldValue: 'x', newValue: 'z' });
  });

  it('null deletes an answer and history records newValue null', async () => {
    const ev = await newEvaluation(o.store);
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'x' }], alice, { now: 2_000, via: 'text' });
    const r = await o.store.applyAnswers(ev.id, [{ path: 'a', value: null }], bob, { now: 3_000, via: 'cli' });
    expect(r.changed).toEqual([{ path: 'a', oldValue: 'x', newValue: null, previousBy: { userId: alice.userId, name: alice.name, at: 2_000 } }]);
    expect(await o.store.getAnswers(ev.id)).toEqual({});
    expect((await o.store.getHistory(ev.id, 'a')).at(-1)).toMatchObject({ oldValue: 'x', newValue: null, byUser: bob.userId, via: 'cli' });
  });

  it("a change after generating sets status back to 'filling'; no change keeps 'generated'", async () => {
    const ev = await newEvaluation(o.store);
    const v = (await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'x' }], alice, { now: 2_000, via: 'text' })).answersVersion;
    await o.store.recordDocuments(ev.id, [{ kind: 'form', fileName: 'f.docx', sha256: 'aa', size: 10 }], v, alice.userId, 3_000);
    expect((await o.store.getEvaluation(ev.id))!.status).toBe('generated');
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'x' }], alice, { now: 4_000, via: 'text' });
    expect((await o.store.getEvaluation(ev.id))!.status).toBe('generated');
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'y' }], alice, { now: 5_000, via: 'text' });
    const after = (await o.store.getEvaluation(ev.id))!;
    expect(after.status).toBe('filling');
    expect(after.documentsVersion).toBe(v);
    expect(after.answersVersion).toBe(v + 1);
  });

  it('concurrent writers to the same path: each bump counted, history is a true chain', async () => {
    const ev = await newEvaluation(o.store);
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: 0 }], alice, { now: 2_000, via: 'text' });
    const results = await Promise.all(
      [1, 2, 3].map((n) => o.store.applyAnswers(ev.id, [{ path: 'a', value: n }], n % 2 ? alice : bob, { now: 3_000 + n, via: 'text' })),
    );
    expect(results.map((r) => r.answersVersion).sort()).toEqual([2, 3, 4]);
    expect((await o.store.getEvaluation(ev.id))!.answersVersion).toBe(4);
    const h = await o.store.getHistory(ev.id, 'a');
    expect(h).toHaveLength(4);
    // Each row's old value is the previous row's new value: nobody recorded a stale read.
    for (let i = 1; i < h.length; i++) expect(h[i].oldValue).toBe(h[i - 1].newValue);
    expect((await o.store.getAnswers(ev.id)).a).toBe(h[3].newValue);
  });

  it('a failure midway writes nothing: answers, history and version stay as they were', async () => {
    const ev = await newEvaluation(o.store);
    await o.store.applyAnswers(ev.id, [{ path: 'a', value: 'keep' }], alice, { now: 2_000, via: 'text' });
    // Fail the history insert, which runs after the answers are already upserted.
    o.raw.exec(`CREATE TRIGGER boom BEFORE INSERT ON answer_history WHEN NEW.path = 'boom'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    await expect(
      o.store.applyAnswers(ev.id, [{ path: 'a', value: 'changed' }, { path: 'b', value: 1 }, { path: 'boom', value: 1 }], bob, { now: 3_000, via: 'text' }),
    ).rejects.toThrow(/injected failure/);
    expect(await o.store.getAnswers(ev.id)).toEqual({ a: 'keep' });
    expect(await o.store.getHistory(ev.id)).toHaveLength(1);
    const after = (await o.store.getEvaluation(ev.id))!;
    expect(after.answersVersion).toBe(1);
    expect(after.updatedAt).toBe(2_000);
  });

  it('hundreds of answers at once (a file import) fit under the bound-parameter limit', async () => {
    const ev = await newEvaluation(o.store);
    const many = Array.from({ length: 300 }, (_, i) => ({ path: `lineItems[${i}].budget`, value: i }));
    expect((await o.store.applyAnswers(ev.id, many, alice, { now: 2_000, via: 'file' })).changed).toHaveLength(300);
    const next = many.map((c, i) => ({ path: c.path, value: i < 200 ? null : i * 2 }));
    const r = await o.store.applyAnswers(ev.id, next, bob, { now: 3_000, via: 'file' });
    expect(r).toMatchObject({ answersVersion: 2 });
    expect(r.changed.filter((c) => c.newValue === null)).toHaveLength(200);
    const answers = await o.store.getAnswers(ev.id);
    expect(Object.keys(answers)).toHaveLength(100);
    expect(answers['lineItems[250].budget']).toBe(500);
    expect(await o.store.getHistory(ev.id)).toHaveLength(300 + 300);
  });

  it('unknown evaluation: a clear error and nothing written', async () => {
    await expect(o.store.applyAnswers(999, [{ path: 'a', value: 1 }], alice, { now: 1, via: 'text' })).rejects.toBeInstanceOf(EvaluationNotFoundError);
    expect(o.raw.prepare('select count(*) as n from answers').get()).toEqual({ n: 0 });
  });
});
