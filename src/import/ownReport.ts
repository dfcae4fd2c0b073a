// Sentences the report prints from answers (src/documents/reportText.ts), read back:
// the budget breakdown in 资金投入和使用情况, and the indicator analysis, which says
// for each indicator whether it was achieved, its target and actual, and why points
// were lost. People's own reports often use the same sentence for the breakdown.
import type { Template } from '../domain/template';
import type { Block } from './blocks';
import type { Found } from './found';
import type { CustomNames } from './indicators';
import { norm } from './labels';

/** Whitespace out, width kept: values are taken from this, matched on its norm() (same length). */
const squeeze = (s: string) => s.replace(/[\s\u200b-\u200d\ufeff]+/gu, '');

const breakdownSentence = /项目预算总额为[\d.,]+万元[，,]其中[：:](.+?)。/u;

/** Computed sentences of the funds part: not the people's explanation of a low execution rate. */
export function isComputedFunds(p: string): boolean {
  const t = norm(p);
  return breakdownSentence.test(t) || /^按资金来源分/u.test(t) || /^截至年末[，,]项目实际支出/u.test(t);
}

export function readBreakdown(blocks: Block[], found: Found): void {
  for (const b of blocks) {
    if (b.type !== 'paragraph') continue;
    const m = breakdownSentence.exec(squeeze(b.text));
    if (!m) continue;
    m[1].split(/[；;]/u).forEach((part, i) => {
      const item = /^(.*?)([\d.,]+)万元?$/u.exec(part);
      if (!item) return;
      found.add(`breakdown[${i}].name`, item[1]);
      found.add(`breakdown[${i}].amount`, item[2]);
    });
    return;
  }
}

const achievementOf: Record<string, string> = { 达到要求: '达成', 部分达到要求: '部分达成', 未达到要求: '未达成' };

/** "1.项目立项：立项依据充分性达到要求，得5分（分值5分）；…" for every second-level indicator. */
export function readAnalysis(template: Template, blocks: Block[], custom: CustomNames, found: Found): void {
  for (const b of blocks) {
    if (b.type !== 'paragraph') continue;
    const m = /^\d+[.．]([^：:]+)[：:](.+?)[。.]?$/u.exec(squeeze(b.text));
    const level2s = m ? template.indicators.flatMap((l1) => l1.children).filter((l2) => norm(l2.name) === norm(m[1])) : [];
    if (!m || !level2s.length) continue;
    // indicator names → where they are answered (two second-level indicators may share a name)
    const names = new Map<string, { path: string; qualitative: boolean; own: boolean }>();
    for (const l2 of level2s) {
      for (const l3 of l2.children ?? []) names.set(norm(l3.name), { path: `ind.${l3.id}`, qualitative: l3.rule.kind === 'qualitative', own: false });
      const own = custom.get(l2.id);
      if (own?.size) for (const [name, path] of own) names.set(name, { path, qualitative: true, own: true });
      else if (l2.custom) readOwnIndicators(l2.id, l2.custom.max, m[2], names, found);
    }
    const sorted = [...names.keys()].sort((a, c) => c.length - a.length);
    for (const part of m[2].split(/[；;]/u)) {
      const name = sorted.find((n) => norm(part).startsWith(n));
      if (!name) continue;
      const { path, qualitative, own } = names.get(name)!;
      const rest = part.slice(name.length);
      const done = /^(部分达到要求|未达到要求|达到要求)[，,]/u.exec(rest);
      const measured = /^目标值([\d.．]+)([^，,]*)[，,]实际完成([\d.．]+)[^，,]*[，,]/u.exec(rest);
      const reason = /[(（]分值[\d.]+分[)）][，,](.+)$/u.exec(rest);
      if (done && qualitative) {
        found.add(`${path}.achievement`, achievementOf[done[1]]);
        if (own) found.add(`${path}.direction`, '定性');
      }
      if (measured && own) {
        found.add(`${path}.target`, measured[1]);
        found.add(`${path}.actual`, measured[3]);
        if (measured[2]) found.add(`${path}.unit`, measured[2]);
      }
      if (reason) found.add(`${path}.reason`, `${reason[1]}。`);
    }
  }
}

/** The department's own indicators when only the report is read: name, weight and score from each sentence. */
function readOwnIndicators(
  level2Id: string,
  max: number,
  body: string,
  names: Map<string, { path: string; qualitative: boolean; own: boolean }>,
  found: Found,
): void {
  let index = 0;
  for (const part of body.split(/[；;]/u)) {
    const m = /^(.+?)(?:部分达到要求|未达到要求|达到要求|目标值|[，,]得|[，,]尚未评分)/u.exec(part);
    if (!m || index >= max) continue;
    const path = `ind.${level2Id}[${index++}]`;
    names.set(norm(m[1]), { path, qualitative: true, own: true });
    found.add(`${path}.name`, m[1]);
    const points = /得([\d.]+)分[(（]分值([\d.]+)分[)）]/u.exec(part);
    if (points) found.add(`${path}.score`, points[1]);
    const weight = /分值([\d.]+)分/u.exec(part);
    if (weight) found.add(`${path}.weight`, weight[1]);
  }
}
