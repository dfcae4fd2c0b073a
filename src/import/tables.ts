// Tables: a label cell and its value beside or below it; repeated groups (line items,
// funding sources, evaluators) by their column headers, one item per row.
import { type FormSection, pathOf } from '../domain/questions';
import type { Block } from './blocks';
import type { FormLabels, Found } from './found';
import { headingOf, norm, variants } from './labels';

type Table = string[][];

const isLabel = (labels: FormLabels, cell: string) => labels.all.has(norm(cell));

/** "经常性项目（√） 一次性项目（ ）": the option with a tick beside it, when exactly one has. */
export function tickedOption(text: string, options: readonly string[]): string | undefined {
  const t = norm(text);
  const ticked = options.filter((o) => {
    const at = t.indexOf(norm(o));
    if (at < 0) return false;
    const after = t.slice(at + norm(o).length, at + norm(o).length + 3);
    const before = t.slice(Math.max(0, at - 1), at);
    return /^[(（]?[√✓✔☑■▣]/u.test(after) || /[☑■▣√]/u.test(before);
  });
  return ticked.length === 1 ? ticked[0] : undefined;
}

/** Label cells of single questions: the value is the next cell to the right that is not a label, else the cell below. */
function singles(labels: FormLabels, table: Table, found: Found): void {
  for (const { section, question, vs } of labels.singles) {
    const path = pathOf(section, question);
    if (found.has(path)) continue;
    outer: for (let r = 0; r < table.length; r++)
      for (let c = 0; c < table[r].length; c++) {
        if (!vs.includes(norm(table[r][c]))) continue;
        let value: string | undefined;
        for (let k = c + 1; k < table[r].length; k++) {
          const cell = table[r][k];
          if (!cell.trim()) continue;
          if (!isLabel(labels, cell)) value = cell;
          break;
        }
        const below = table[r + 1]?.[c];
        if (value === undefined && below && !isLabel(labels, below)) value = below;
        if (value === undefined) continue;
        if (question.kind === 'choice' && question.options) value = tickedOption(value, question.options) ?? value;
        found.add(path, value);
        break outer;
      }
  }
}

interface Columns {
  section: FormSection;
  cols: Map<string, number>; // field → column
}

/** Header cells name a question when they print its label or one of its short forms. */
function columnsOf(section: FormSection, header: string[]): Columns {
  const cols = new Map<string, number>();
  for (const q of section.questions) {
    const vs = variants(q.label, q.aliases);
    const c = header.findIndex((h) => vs.includes(norm(h)));
    if (c >= 0) cols.set(q.field, c);
  }
  return { section, cols };
}

const totalRow = /^(合计|小计|总计)$/u;

/** Repeated groups laid out as a table: a header row, then one item per row until a row of other labels. */
function repeats(labels: FormLabels, table: Table, found: Found, next: Map<string, number>): void {
  const groups = labels.sections.filter((s) => s.repeat && s.group !== 'ind' && !s.group.startsWith('ind.'));
  for (let r = 0; r < table.length; r++) {
    const here = groups.map((s) => columnsOf(s, table[r])).filter((c) => c.cols.size >= 2);
    if (!here.length) continue;
    const used = new Set(here.flatMap((h) => [...h.cols.values()]));
    const own = new Set(here.flatMap((h) => h.section.questions.flatMap((q) => variants(q.label, q.aliases))));
    let k = r + 1;
    for (; k < table.length; k++) {
      const row = table[k];
      const others = row.some((cell) => cell.trim() && ((isLabel(labels, cell) && !own.has(norm(cell))) || headingOf(cell)));
      if (others || here.some((h) => columnsOf(h.section, row).cols.size >= 2)) break;
      // the row's own name: its first non-empty cell outside the value columns, or the name column
      const rowLabel = row.find((cell) => cell.trim() && !/^[\d.,%．，\s-]+$/u.test(cell)) ?? '';
      const bare = norm(rowLabel).replace(/^其中[:：]?/u, '');
      if (totalRow.test(bare)) continue;
      const target =
        here.find((h) => h.section.questions.some((q) => q.kind === 'choice' && !h.cols.has(q.field) && q.options?.some((o) => norm(o) === bare))) ??
        here.find((h) => h.section.questions.every((q) => q.kind !== 'choice' || h.cols.has(q.field)));
      if (!target) continue;
      const values = new Map<string, string>();
      for (const [field, c] of target.cols) if (row[c]?.trim()) values.set(field, row[c]);
      for (const q of target.section.questions)
        if (q.kind === 'choice' && !target.cols.has(q.field) && q.options?.some((o) => norm(o) === bare)) values.set(q.field, bare);
      const texts = [...values.entries()].filter(([f]) => target.section.questions.find((q) => q.field === f)?.kind !== 'choice');
      // empty rows, source rows with no figures, and signature lines are not items
      if (!texts.length || texts.some(([, v]) => /[\n\t]/u.test(v) && v.length > 60)) continue;
      const group = target.section.group;
      const index = next.get(group) ?? 0;
      if (target.section.repeat && index >= target.section.repeat.max) continue;
      next.set(group, index + 1);
      for (const [field, v] of values) found.add(`${group}[${index}].${field}`, v);
    }
    r = k - 1;
  }
}

export function readTables(labels: FormLabels, blocks: Block[], found: Found): void {
  const next = new Map<string, number>();
  for (const b of blocks) {
    if (b.type !== 'table') continue;
    singles(labels, b.rows, found);
    repeats(labels, b.rows, found, next);
  }
}
