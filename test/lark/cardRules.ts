// What the fake platform checks on every card, as Lark does: the JSON 2.0 components
// the bot uses, with the properties each may have (Lark refuses unknown ones), inputs
// of at most 1,000 characters, and the request at most 30 KB.
type Json = Record<string, unknown>;

const TEXT = new Set(['tag', 'content']);
const PROPS: Record<string, Set<string>> = {
  markdown: new Set(['tag', 'content', 'element_id', 'text_align', 'text_size', 'margin']),
  hr: new Set(['tag', 'element_id', 'margin']),
  table: new Set(['tag', 'element_id', 'page_size', 'row_height', 'header_style', 'columns', 'rows', 'freeze_first_column', 'margin']),
  button: new Set(['tag', 'name', 'text', 'type', 'behaviors', 'form_action_type', 'width', 'size', 'element_id', 'disabled', 'confirm', 'margin']),
  form: new Set(['tag', 'name', 'elements', 'element_id', 'margin']),
  input: new Set(['tag', 'name', 'required', 'width', 'placeholder', 'input_type', 'rows', 'auto_resize', 'max_rows', 'default_value', 'max_length', 'label', 'element_id', 'margin']),
  select_static: new Set(['tag', 'name', 'required', 'width', 'placeholder', 'options', 'initial_option', 'element_id', 'margin']),
  date_picker: new Set(['tag', 'name', 'required', 'width', 'placeholder', 'initial_date', 'element_id', 'margin']),
};
const ROOT = new Set(['schema', 'config', 'header', 'body', 'card_link']);
const CONFIG = new Set(['update_multi', 'width_mode', 'streaming_mode', 'summary', 'enable_forward', 'style']);
const HEADER = new Set(['title', 'subtitle', 'template', 'icon', 'text_tag_list', 'padding']);

export const MAX_CARD_REQUEST_BYTES = 30 * 1024;

/** undefined when Lark would take the card; else the reason, as Lark's error 230099 would give it. */
export function cardProblem(card: unknown): string | undefined {
  if (!card || typeof card !== 'object') return 'card is not an object';
  const c = card as Json;
  const unknown = (o: Json, allowed: Set<string>, where: string) => {
    for (const k of Object.keys(o)) if (!allowed.has(k)) return `unknown property ${where}.${k}`;
    return undefined;
  };
  const text = (t: unknown, where: string) => (t && typeof t === 'object' ? unknown(t as Json, TEXT, where) : undefined);
  if (c.schema !== '2.0') return 'schema must be 2.0';
  const problem =
    unknown(c, ROOT, 'card') ??
    (c.config ? unknown(c.config as Json, CONFIG, 'config') : undefined) ??
    (c.header ? unknown(c.header as Json, HEADER, 'header') ?? text((c.header as Json).title, 'header.title') : undefined);
  if (problem) return problem;
  const walk = (elements: unknown, where: string): string | undefined => {
    if (!Array.isArray(elements)) return `${where} is not a list`;
    for (const [i, e] of (elements as Json[]).entries()) {
      const tag = String(e.tag);
      const allowed = PROPS[tag];
      if (!allowed) continue; // a component this bot does not use: not checked here
      const at = `${where}[${i}](${tag})`;
      const p = unknown(e, allowed, at) ?? text(e.text, `${at}.text`) ?? text(e.placeholder, `${at}.placeholder`);
      if (p) return p;
      if (tag === 'input') {
        if (typeof e.max_length === 'number' && (e.max_length < 1 || e.max_length > 1000)) return `${at}.max_length must be 1–1000`;
        if (typeof e.default_value === 'string' && Array.from(e.default_value).length > 1000) return `${at}.default_value over 1000 characters`;
      }
      if (tag === 'form') {
        const inner = walk(e.elements, `${at}.elements`);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return walk((c.body as Json | undefined)?.elements, 'body.elements');
}
