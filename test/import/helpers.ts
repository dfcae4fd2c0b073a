// Building Word files in tests the way a person's would look: the docx library, our
// own table and paragraph layout, no generator code of the product.
import { readFileSync } from 'node:fs';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { zipSync } from 'fflate';

export type Row = (string | { text: string; span?: number })[];

export function table(rows: Row[]): Table {
  return new Table({
    rows: rows.map(
      (r) =>
        new TableRow({
          children: r.map((c) => {
            const cell = typeof c === 'string' ? { text: c } : c;
            return new TableCell({
              columnSpan: cell.span,
              children: cell.text.split('\n').map((line) => new Paragraph({ children: [new TextRun(line)] })),
            });
          }),
        }),
    ),
  });
}

export function para(text: string): Paragraph {
  return new Paragraph({ children: [new TextRun(text)] });
}

export async function docxOf(children: (Paragraph | Table)[]): Promise<Uint8Array> {
  return Packer.pack(new Document({ sections: [{ children }] }), 'uint8array');
}

export const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

/** A zip holding `name` with `bytes`; for the bad files. */
export const zipOf = (files: Record<string, Uint8Array>, level: 0 | 9 = 9) => zipSync(files, { level });
