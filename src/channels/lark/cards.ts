// The engine's Card, drawn as a Lark card (JSON 2.0). Lark refuses a card over
// 30 KB (error 230025), so a card that would be too big is shortened here, with
// a visible note, rather than failing to send.
import type { Card, CardAction, CardBlock, FormField } from '../../conversation/types';
import { escapeCardMarkdown as escapeMd, escapePlainText as plain } from '../../conversation/escape';
import type { ButtonValue } from './events';
import { MAX_CHARTS_PER_CARD, chartElement } from './chart';
import { encodeFieldName, encodeSubmitName } from './formNames';

/** Lark's limit is 30 KB; measured as UTF-8 bytes of the JSON, with a little headroom. */
export const MAX_CARD_BYTES = 30_000;
export const TRUNCATED_NOTE = '（内容过长，已省略…）';

type Json = Record<string, unknown>;

interface Limits {
  textChars: number; // per text block / field value / table cell
  tableRows: number;
  options: number; // per select field
}

// Tried in order until the card fits. The first never cuts ordinary cards.
const LIMIT_STEPS: Limits[] = [
  { textChars: Infinity, tableRows: Infinity, options: Infinity },
  { textChars: 4000, tableRows: 200, options: 200 },
  { textChars: 2000, tableRows: 100, options: 100 },
  { textChars: 1000, tableRows: 50, options: 50 },
  { textChars: 500, tableRows: 20, options: 30 },
  { textChars: 200, tableRows: 10, options: 20 },
  { textChars: 100, tableRows: 5, options: 10 },
];

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** Render, shortening step by step until it fits; as a last resort drop trailing non-form blocks. */
export function renderCard(card: Card): Json {
  let rendered: Json = {};
  for (const limits of LIMIT_STEPS) {
    rendered = renderWith(card, limits);
    if (cardBytes(rendered) <= MAX_CARD_BYTES) return rendered;
  }
  const last = LIMIT_STEPS[LIMIT_STEPS.length - 1];
  const blocks = [...card.blocks];
  while (blocks.length > 0) {
    const idx = findLastIndex(blocks, (b) => b.type !== 'form' && b.type !== 'buttons');
    if (idx < 0) break;
    blocks.splice(idx, 1);
    rendered = renderWith({ ...card, blocks: [...blocks, { type: 'text', text: TRUNCATED_NOTE }] }, last);
    if (cardBytes(rendered) <= MAX_CARD_BYTES) return rendered;
  }
  // Still too big (an enormous form): say so instead of sending something Lark refuses.
  return renderWith({ title: card.title, tone: 'orange', blocks: [{ type: 'text', text: `卡片内容过多，无法显示。${TRUNCATED_NOTE}` }] }, last);
}

function findLastIndex<T>(xs: T[], pred: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (pred(xs[i])) return i;
  return -1;
}

function renderWith(card: Card, limits: Limits): Json {
  const elements: Json[] = [];
  let charts = 0; // past Lark's five, further charts are left out
  card.blocks.forEach((block, i) => {
    if (block.type === 'chart' && ++charts > MAX_CHARTS_PER_CARD) return;
    elements.push(...renderBlock(block, i, limits));
  });
  return {
    schema: '2.0',
    // update_multi: an updated card shows the same for everyone in the chat.
    config: { update_multi: true, width_mode: 'fill' },
    header: { title: { tag: 'plain_text', content: plain(card.title) }, template: card.tone ?? 'blue' },
    body: { elements },
  };
}

function renderBlock(block: CardBlock, index: number, limits: Limits): Json[] {
  switch (block.type) {
    case 'text':
      return [markdown(cut(block.text, limits.textChars))];
    case 'fields':
      return block.fields.length === 0
        ? []
        : [markdown(block.fields.map((f) => `**${escapeMd(f.label)}**：${escapeMd(cut(f.value, limits.textChars)) || '—'}`).join('\n'))];
    case 'table':
      return renderTable(block.columns, block.rows, index, limits);
    case 'form':
      return [renderForm(block, index, limits)];
    case 'buttons':
      return block.buttons.map((b, j) => button(b.label, b.action, `btn_${index}_${j}`, b.style));
    case 'chart':
      return [chartElement(block.chart, index)];
    case 'divider':
      return [{ tag: 'hr' }];
  }
}

function markdown(content: string): Json {
  return { tag: 'markdown', content };
}

/** Cut to `max` characters (not UTF-16 units, so no half emoji), marking the cut. */
function cut(text: string, max: number): string {
  if (!Number.isFinite(max)) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('') + TRUNCATED_NOTE;
}

function renderTable(columns: string[], rows: string[][], index: number, limits: Limits): Json[] {
  const shown = Number.isFinite(limits.tableRows) ? rows.slice(0, limits.tableRows) : rows;
  const out: Json[] = [
    {
      tag: 'table',
      element_id: `table_${index}`,
      page_size: Math.min(10, Math.max(1, shown.length)),
      row_height: 'low',
      header_style: { bold: true, background_style: 'grey' },
      columns: columns.map((c, j) => ({ name: `c${j}`, display_name: c, data_type: 'text', width: 'auto' })),
      rows: shown.map((r) => Object.fromEntries(columns.map((_, j) => [`c${j}`, cut(r[j] ?? '', limits.textChars)]))),
    },
  ];
  if (shown.length < rows.length) out.push(markdown(`共 ${rows.length} 行，仅显示前 ${shown.length} 行。${TRUNCATED_NOTE}`));
  return out;
}

function button(label: string, action: ButtonValue, name: string, style?: 'primary' | 'default' | 'danger'): Json {
  return {
    tag: 'button',
    name,
    text: { tag: 'plain_text', content: plain(label) },
    type: style ?? 'default',
    behaviors: [{ type: 'callback', value: action }],
  };
}

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const SUBMIT_NAME = 'form_submit';

/**
 * A form container at the root. Component names must be unique inside the form and
 * we are not sure Lark accepts every character, so a name that is not a plain
 * identifier (or repeats) is replaced by `f_N`, and the submit value carries the
 * map back (see cardActionToInput).
 */
function renderForm(block: Extract<CardBlock, { type: 'form' }>, index: number, limits: Limits): Json {
  const used = new Set<string>([SUBMIT_NAME]);
  const fieldNames: Record<string, string> = {};
  const elements: Json[] = [];
  block.fields.forEach((field, i) => {
    // the name says which question it is, so a submission is understood without the button's value
    let name = encodeFieldName(field.name) ?? `f_${i}`;
    if (used.has(name)) name = `f_${i}`;
    while (used.has(name)) name += '_';
    if (name !== field.name) fieldNames[name] = field.name;
    used.add(name);
    elements.push(...renderField(field, name, limits));
  });
  const value: ButtonValue = Object.keys(fieldNames).length ? { ...block.submit.action, fieldNames } : block.submit.action;
  const action = block.submit.action;
  const submitName = (action.kind === 'submit' && encodeSubmitName(action)) || SUBMIT_NAME;
  elements.push({
    tag: 'button',
    name: submitName,
    text: { tag: 'plain_text', content: plain(block.submit.label) },
    type: 'primary',
    form_action_type: 'submit',
    behaviors: [{ type: 'callback', value }],
  });
  const formName = SAFE_NAME.test(block.name) ? block.name : `form_${index}`;
  return { tag: 'form', name: formName, elements };
}

function renderField(field: FormField, name: string, limits: Limits): Json[] {
  const label = `**${escapeMd(field.label)}**${field.required ? " <font color='red'>*</font>" : ''}${field.saved ? ' ✅ 已保存' : ''}`;
  const out: Json[] = [markdown(label)];
  const placeholder = (text: string) => ({ tag: 'plain_text', content: plain(field.placeholder || text) });
  const value = field.value !== undefined ? cut(field.value, Math.max(limits.textChars, 200)) : undefined;
  switch (field.kind) {
    case 'input':
    case 'textarea':
      out.push({
        tag: 'input',
        name,
        required: field.required,
        width: 'fill',
        placeholder: placeholder('请输入'),
        ...(field.kind === 'textarea' ? { input_type: 'multiline_text', rows: 3, auto_resize: true, max_rows: 10 } : {}),
        ...(value ? { default_value: value } : {}),
      });
      break;
    case 'select': {
      const all = field.options ?? [];
      const options = Number.isFinite(limits.options) ? all.slice(0, limits.options) : all;
      if (value && all.includes(value) && !options.includes(value)) options.push(value);
      out.push({
        tag: 'select_static',
        name,
        required: field.required,
        width: 'fill',
        placeholder: placeholder('请选择'),
        options: options.map((o) => ({ text: { tag: 'plain_text', content: plain(o) }, value: o })),
        ...(value && options.includes(value) ? { initial_option: value } : {}),
      });
      if (options.length < all.length) out.push(markdown(`选项过多，仅显示前 ${options.length} 项。${TRUNCATED_NOTE}`));
      break;
    }
    case 'date':
      out.push({
        tag: 'date_picker',
        name,
        required: field.required,
        width: 'fill',
        placeholder: placeholder('请选择日期'),
        ...(value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? { initial_date: value } : {}),
      });
      break;
  }
  if (field.error) out.push(markdown(`<font color='red'>⚠️ ${escapeMd(field.error)}</font>`));
  return out;
}

/** For tests and logs: the CardActions a rendered card would send back. */
export function actionsOf(rendered: unknown): CardAction[] {
  const found: CardAction[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Json;
      if (Array.isArray(o.behaviors)) for (const b of o.behaviors as Json[]) if (b.type === 'callback') found.push(b.value as CardAction);
      Object.values(o).forEach((v) => v !== o.behaviors && walk(v));
    }
  };
  walk(rendered);
  return found;
}
