// The XML text of a docx component, byte for byte as docx's own writer makes it
// (which follows the old `xml` package, quirks included), but written in one pass:
// docx first turns each element into a description object and then formats that,
// which for a 70 KB document.xml was a fifth of the time a document took.
import type { IContext, IXmlableObject, XmlComponent } from 'docx';

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
// control characters XML cannot hold are dropped, as docx does
const SPECIAL = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/;
const SPECIALS = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g;

const escape = (v: string): string => (SPECIAL.test(v) ? v.replace(SPECIALS, (c) => ESCAPES[c] ?? '') : v);
/** Strings are escaped; numbers and booleans are written as they are. */
const text = (v: unknown): string => (typeof v === 'string' ? escape(v) : String(v));

function firstKey(o: object): string | undefined {
  for (const k in o) return k;
  return undefined;
}

function attributes(attr: Record<string, unknown>): string {
  let out = '';
  for (const key of Object.keys(attr)) out += ` ${key}="${text(attr[key])}"`;
  return out;
}

type Data = Record<string, unknown>;

/** One element of a prepForXml result. */
function element(data: Data): string {
  const name = firstKey(data);
  const values = name === undefined ? undefined : data[name];
  let attrs = '';
  // the content as docx's writer lists it: its length decides <a/> against <a></a>
  let content: string[];
  if (typeof values === 'object') {
    content = [];
    if (values !== null) {
      const { _attr: attr, _cdata: cdata } = values as { _attr?: Data; _cdata?: string };
      if (attr) attrs += attributes(attr);
      if (cdata) content.push(`<![CDATA[${cdata.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`);
      if (Array.isArray(values)) {
        let isText = false;
        content.push('');
        for (const value of values as unknown[]) {
          if (typeof value === 'object') {
            if (firstKey(value as object) === '_attr') attrs += attributes((value as { _attr: Data })._attr);
            else content.push(element(value as Data));
          } else {
            // text replaces the item before it, as in the xml package
            content.pop();
            isText = true;
            content.push(value === undefined ? '' : text(value));
          }
        }
        if (!isText) content.push('');
      }
    }
  } else content = [values === undefined ? '' : text(values)];
  const open = name ? `<${name}${attrs}` : attrs;
  if (content.length === 0) return `${open}/>`;
  return name ? `${open}>${content.join('')}</${name}>` : open + content.join('');
}

/** A part's XML: the declaration, then the component as prepForXml gives it for this context. */
export function partXml(component: XmlComponent, context: IContext, standalone: boolean): string {
  const data = component.prepForXml(context) as IXmlableObject | undefined;
  if (!data) throw new Error('XmlComponent did not format correctly');
  const declaration = `<?xml version="1.0" encoding="UTF-8"${standalone ? ' standalone="yes"' : ''}?>`;
  return declaration + element(data as Data);
}
