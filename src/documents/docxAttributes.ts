// docx gathers each element's attributes (w:spacing's line and rule, w:tcW's width and
// type…) by spreading the object so far into a new one once per attribute, through its
// transpiled object-spread helper: a tenth of the time a document took. The same object
// built in place: same keys, same order, same values, so the XML does not change
// (test/documents/docxAttributes.test.ts holds it to docx's own method).
import { NextAttributeComponent } from 'docx';

type Attribute = { key: string; value: unknown };

/** docx's own method, kept for the test that compares the two. */
export const docxPrepForXml = NextAttributeComponent.prototype.prepForXml;

NextAttributeComponent.prototype.prepForXml = function (this: NextAttributeComponent<Record<string, string>>) {
  const attrs: Record<string, unknown> = {};
  // root is protected in docx's types; it is the element's attributes by option name
  for (const { key, value } of Object.values((this as unknown as { root: Record<string, Attribute> }).root))
    if (value !== undefined) attrs[key] = value;
  return { _attr: attrs };
};
