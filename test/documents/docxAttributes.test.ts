// The faster attribute gathering (src/documents/docxAttributes.ts) against docx's own
// method, on every attribute element of the seed's documents and on the edge cases.
import { BaseXmlComponent, NextAttributeComponent } from 'docx';
import { describe, expect, it } from 'vitest';
import { docxPrepForXml } from '../../src/documents/docxAttributes';
import { formDocument } from '../../src/documents/form';
import { gongwenDocument } from '../../src/documents/pack';
import { problemListDocument } from '../../src/documents/problemList';
import { reportDocument } from '../../src/documents/report';
import { assess } from '../../src/domain/evaluate';
import { defaultTemplate, examples } from '../../src/domain/registry';

const context = { stack: [] } as never;

function attributeElements(root: unknown, found: NextAttributeComponent<never>[] = []): NextAttributeComponent<never>[] {
  if (root instanceof NextAttributeComponent) found.push(root as NextAttributeComponent<never>);
  else if (root instanceof BaseXmlComponent) {
    const children = (root as unknown as { root: unknown }).root;
    if (Array.isArray(children)) for (const child of children) attributeElements(child, found);
  }
  return found;
}

describe('attribute gathering', () => {
  it("gives what docx's own method gives, for every attribute element of the seed's three documents", () => {
    const t = defaultTemplate();
    const seed = examples['wuhua-2024'];
    const a = assess(t, seed.answers, seed.problems);
    const specs = [formDocument(t, seed.answers, a, seed.year), reportDocument(t, seed.answers, a, seed.year), problemListDocument(t, seed.answers, a)];
    const elements = specs.flatMap((s) => attributeElements(gongwenDocument(s).Document.View));
    expect(elements.length).toBeGreaterThan(1000);
    for (const e of elements) expect(e.prepForXml(context)).toEqual(docxPrepForXml.call(e, context));
  });

  it('leaves out undefined values, keeps null, zero and false, and lets a repeated key keep its first place with its last value', () => {
    const e = new NextAttributeComponent<Record<string, string | number | boolean>>({
      a: { key: 'w:a', value: 0 },
      gone: { key: 'w:gone', value: undefined },
      b: { key: 'w:b', value: false },
      c: { key: 'w:a', value: 'last' },
      d: { key: 'w:d', value: null },
    } as never);
    const ours = e.prepForXml(context) as { _attr: Record<string, unknown> };
    expect(ours).toEqual(docxPrepForXml.call(e, context));
    expect(Object.entries(ours._attr)).toEqual([['w:a', 'last'], ['w:b', false], ['w:d', null]]);
  });
});
