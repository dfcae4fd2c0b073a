// Replies to one chat that piled up (Lark allows 5 messages a second into a chat and
// about 17 a second for the whole app, sustained) go out as one message: every
// confirmation in order, then the questions still open — a person's earlier question
// is dropped once a later reply asks them the next one. Pure.
import type { TextPayload } from './outgoing';

/** Lark's text message limit is 150 KB; stay well below it and keep one message readable. */
export const MERGE_MAX_CHARS = 6000;
export const MERGE_MAX_ROWS = 30;

export interface MergeRow {
  kind: string;
  payload: unknown;
}

/** A reply that may be merged: a text ending in the question it asks its sender. */
export function mergeable(row: MergeRow): boolean {
  const p = row.payload as TextPayload | null;
  return row.kind === 'text' && !!p && typeof p.prompt === 'string' && typeof p.asker === 'string' && p.text.endsWith(p.prompt);
}

/**
 * How many of `rows` (a chat's pending rows in order, the first to be sent now) go into
 * one message: the first, and the mergeable ones right after it, within the limits.
 */
export function mergeCount(rows: MergeRow[]): number {
  if (!rows.length || !mergeable(rows[0])) return Math.min(1, rows.length);
  let n = 1;
  let chars = (rows[0].payload as TextPayload).text.length;
  while (n < rows.length && n < MERGE_MAX_ROWS && mergeable(rows[n])) {
    chars += (rows[n].payload as TextPayload).text.length;
    if (chars > MERGE_MAX_CHARS) break;
    n++;
  }
  return n;
}

/** One text out of several mergeable replies: the confirmations in order, then the open questions. Not mergeable again. */
export function mergeTexts(payloads: TextPayload[]): TextPayload {
  if (payloads.length === 1) return payloads[0];
  const leads: string[] = [];
  const prompts: string[] = [];
  payloads.forEach((p, i) => {
    const lead = p.text.slice(0, p.text.length - p.prompt!.length).trim();
    if (lead) leads.push(lead);
    // a later reply to the same person asks their next question: this one is answered
    if (!payloads.slice(i + 1).some((q) => q.asker === p.asker)) prompts.push(p.prompt!);
  });
  const mentions = new Map<string, NonNullable<TextPayload['mentions']>[number]>();
  for (const p of payloads) for (const m of p.mentions ?? []) mentions.set(m.userId, m);
  const text = [leads.join('\n'), ...prompts].filter(Boolean).join('\n\n');
  return { text, ...(mentions.size ? { mentions: [...mentions.values()] } : {}) };
}
