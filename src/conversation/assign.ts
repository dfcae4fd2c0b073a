// 分配: several sections, numbers and ranges, and several people in one command:
// `分配 1-5 @张三 决策 过程 @李四`, `分配 项目基本信息 项目支出明细 @张三`, `分配 1,2,4 @张三`.
import type { FormSection } from '../domain/questions';
import { matchSections } from './flow';
import type { Actor } from './types';

export interface Assignment {
  person: Actor;
  sections: FormSection[];
}

/** Each run of sections goes to the person mentioned right after it. Either all of it is understood, or a message says what was not. */
export function readAssignments(sections: FormSection[], args: string, mentions: Actor[] = []): { ok: true; plan: Assignment[] } | { ok: false; message: string } {
  const tags = mentions.map((m) => ({ m, tag: `@${m.name}` })).filter((x) => args.includes(x.tag));
  if (!tags.length) return { ok: false, message: '请 @ 要分配的人，例如：分配 资金来源 @张三，或 分配 1-5 @张三 决策 过程 @李四' };
  // split the text at each mention, in the order they appear
  const marks = tags.map((x) => ({ ...x, at: args.indexOf(x.tag) })).sort((a, b) => a.at - b.at);
  const plan: Assignment[] = [];
  const unknown: string[] = [];
  let from = 0;
  let pendingPeople: Actor[] = [];
  for (const mk of marks) {
    const segment = args.slice(from, mk.at).trim();
    from = mk.at + mk.tag.length;
    if (!segment) {
      // "分配 资金 @张三 @李四": a section has one person in charge
      pendingPeople.push(mk.m);
      continue;
    }
    const found = readSections(sections, segment, unknown);
    plan.push({ person: mk.m, sections: found });
    pendingPeople = [];
  }
  const tail = args.slice(from).trim();
  if (tail) unknown.push(...tail.split(/\s+/));
  if (pendingPeople.length) return { ok: false, message: `每一部分只能有一位负责人：${pendingPeople.map((p) => `@${p.name}`).join(' ')} 前面没有写要分配的部分。` };
  if (unknown.length) return { ok: false, message: `没有找到这些部分：${unknown.join('、')}。没有做任何分配。发送“进度”查看所有部分的名称和编号。` };
  return { ok: true, plan };
}

function readSections(sections: FormSection[], segment: string, unknown: string[]): FormSection[] {
  const whole = matchSections(sections, segment);
  if (whole.length && !/[\s,，;；]/.test(segment)) return whole;
  const out: FormSection[] = [];
  for (const token of segment.split(/[\s,，;；]+/).filter(Boolean)) {
    const range = token.match(/^(\d+)\s*[-~～至到—]\s*(\d+)$/);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a < 1 || b > sections.length || a > b) unknown.push(token);
      else out.push(...sections.slice(a - 1, b));
      continue;
    }
    let hits = matchSections(sections, token);
    // "经验、问题与建议" is one title; "项目基本信息、资金来源" is two
    if (!hits.length && token.includes('、')) hits = token.split('、').flatMap((p) => matchSections(sections, p));
    if (hits.length) out.push(...hits);
    else unknown.push(token);
  }
  return [...new Set(out)];
}
