// Names of form components that carry their own meaning. Lark may deliver a form
// submission without the submit button's `value` (its references say buttons in a
// form do not carry behaviors), so what is certain to arrive — the button's name and
// the inputs' names — must say which form it was and which question each input is.
// Names are limited to [A-Za-z0-9_] and 64 characters here (Lark's exact rule is not
// documented; this is what it certainly accepts).

const SAFE = /^[A-Za-z][A-Za-z0-9]{0,40}$/;
const MAX_NAME = 64;
const SUBMIT_PREFIX = 'submit__';

function hex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}
function unhex(s: string): string | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(s)) return undefined;
  return Buffer.from(s, 'hex').toString('utf8');
}

/** A field name as a component name: plain identifiers as they are, others hex-encoded; undefined if too long. */
export function encodeFieldName(name: string): string | undefined {
  const encoded = SAFE.test(name) ? name : `x_${hex(name)}`;
  return encoded.length <= MAX_NAME ? encoded : undefined;
}

export function decodeFieldName(name: string): string {
  return name.startsWith('x_') ? (unhex(name.slice(2)) ?? name) : name;
}

export interface SubmitTarget {
  sectionId: string;
  index?: number;
  evaluationId?: number;
}

/** The submit button's name: `submit__<section>__<index>__<evaluation>`; undefined if it would be too long. */
export function encodeSubmitName(t: SubmitTarget): string | undefined {
  const section = SAFE.test(t.sectionId) ? `r${t.sectionId}` : `h${hex(t.sectionId)}`;
  const name = `${SUBMIT_PREFIX}${section}__${t.index ?? 'n'}__${t.evaluationId ?? 'n'}`;
  return name.length <= MAX_NAME ? name : undefined;
}

export function decodeSubmitName(name: string): SubmitTarget | undefined {
  if (!name.startsWith(SUBMIT_PREFIX)) return undefined;
  const [section, index, evaluation, ...rest] = name.slice(SUBMIT_PREFIX.length).split('__');
  if (rest.length || !section || index === undefined || evaluation === undefined) return undefined;
  const sectionId = section.startsWith('r') ? section.slice(1) : section.startsWith('h') ? unhex(section.slice(1)) : undefined;
  if (!sectionId) return undefined;
  const num = (s: string) => (s === 'n' ? undefined : /^\d{1,15}$/.test(s) ? Number(s) : NaN);
  const i = num(index);
  const e = num(evaluation);
  if (Number.isNaN(i) || Number.isNaN(e)) return undefined;
  return { sectionId, ...(i !== undefined ? { index: i } : {}), ...(e !== undefined ? { evaluationId: e } : {}) };
}
