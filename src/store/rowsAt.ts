// An evaluation's answer rows at one version, made from the version before and the
// rows one message changed, without copying the ~150 others each time: a read looks at
// the changes first, then at the version they were made from. After some versions the
// changes are folded into a plain Map, so a read never looks through more than two.
import type { AnswerRow } from './types';

/** Changes kept over the base before they are folded into a new base. */
const FOLD_AT = 32;

export class RowsAt implements ReadonlyMap<string, AnswerRow> {
  private constructor(
    private readonly base: ReadonlyMap<string, AnswerRow>,
    /** a path's new row, or null where the row was removed */
    private readonly changed: ReadonlyMap<string, AnswerRow | null>,
    readonly size: number,
  ) {}

  static of(rows: Iterable<AnswerRow>): RowsAt {
    const base = new Map<string, AnswerRow>();
    for (const r of rows) base.set(r.path, r);
    return new RowsAt(base, new Map(), base.size);
  }

  /** These rows with `changes` made (null removes a path). */
  with(changes: ReadonlyMap<string, AnswerRow | null>): RowsAt {
    const changed = new Map(this.changed);
    let size = this.size;
    for (const [path, row] of changes) {
      size += (row ? 1 : 0) - (this.has(path) ? 1 : 0);
      changed.set(path, row);
    }
    if (changed.size < FOLD_AT) return new RowsAt(this.base, changed, size);
    const base = new Map(this.base);
    for (const [path, row] of changed) {
      if (row) base.set(path, row);
      else base.delete(path);
    }
    return new RowsAt(base, new Map(), base.size);
  }

  get(path: string): AnswerRow | undefined {
    const row = this.changed.get(path);
    if (row !== undefined) return row ?? undefined;
    return this.base.get(path);
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  *entries(): MapIterator<[string, AnswerRow]> {
    for (const [path, row] of this.base) if (!this.changed.has(path)) yield [path, row];
    for (const [path, row] of this.changed) if (row) yield [path, row];
  }

  *keys(): MapIterator<string> {
    for (const [path] of this.entries()) yield path;
  }

  *values(): MapIterator<AnswerRow> {
    for (const [, row] of this.entries()) yield row;
  }

  [Symbol.iterator](): MapIterator<[string, AnswerRow]> {
    return this.entries();
  }

  forEach(f: (row: AnswerRow, path: string, map: ReadonlyMap<string, AnswerRow>) => void): void {
    for (const [path, row] of this.entries()) f(row, path, this);
  }
}
