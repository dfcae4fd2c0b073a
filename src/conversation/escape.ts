// One escaping function per place user text ends up in a Lark message. Anything a
// person typed (answers, project names, units, names) goes through the one for its
// target, so `<at user_id="all">`, `[点此](https://…)` or `<font>` typed as an answer
// is shown as typed and never pings, links or colours anything.
// Pure: the conversation layer and the summary use these when they build cards.

/**
 * Lark text messages parse `<at …>`, `<b>`-style tags and `[text](url)` links. Text
 * messages have no escape syntax (entities are shown literally), so the characters
 * that open markup become their full-width forms, which read the same in Chinese text.
 */
export function escapeTextMessage(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') out += '＜';
    else if (c === '>') out += '＞';
    else if (c === '[') out += '［';
    else if (c === ']') out += '］';
    else out += c;
  }
  return out;
}

const MD_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const MD_SYNTAX = new Set(['\\', '*', '_', '~', '`', '[', ']']);

/**
 * Card `markdown` (JSON 2.0): HTML-like tags (`<at>`, `<font>`, `<link>`) are opened by
 * `<`, written as entities; Markdown syntax characters get a backslash. Line breaks stay.
 */
export function escapeCardMarkdown(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const entity = MD_ENTITIES[c];
    if (entity) out += entity;
    else if (MD_SYNTAX.has(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** `plain_text` is shown literally; only what cannot be shown at all is dropped (control characters but line breaks). */
export function escapePlainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
}
