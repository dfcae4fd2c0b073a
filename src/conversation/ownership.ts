// Whose part is whose, said before the first answer, and what someone can pick up
// when their own parts are done or they have none.
import { type FormContext, sectionState } from '../domain/progress';
import type { FormSection } from '../domain/questions';
import type { Snapshot } from './state';
import type { Actor } from './types';

export function ownerOf(snap: Snapshot, sectionId: string) {
  return snap.assignments.find((a) => a.sectionId === sectionId);
}

/** One line saying whose part this is, for the first question of a section. */
export function ownerNote(snap: Snapshot, actor: Actor, section: FormSection): string {
  const owner = ownerOf(snap, section.id);
  if (!owner) return `「${section.title}」还没有分配负责人，你填的答案会记在你名下。`;
  if (owner.userId === actor.userId) return `「${section.title}」是你负责的部分。`;
  return `「${section.title}」由 ${owner.name} 负责；你也可以填，改动会告诉大家原来是谁填的。`;
}

const stateWord = { partial: '填写中', empty: '未开始', done: '已完成' } as const;

/** What to say when there is nothing left for this person: offer unassigned parts and those behind. */
export function nothingLeftText(ctx: FormContext, snap: Snapshot, actor: Actor): string {
  const mine = snap.assignments.some((a) => a.userId === actor.userId);
  const open = ctx.sections
    .map((s, i) => ({ s, i, st: sectionState(ctx, s) }))
    .filter((x) => x.st !== 'done')
    .map((x) => `${x.i + 1}. ${x.s.title}（${ownerOf(snap, x.s.id)?.name ?? '未分配'}，${stateWord[x.st]}）`);
  const head = mine ? '你负责的部分都填完了 🎉' : '你还没有分配到要填的部分。';
  if (!open.length) return `${head}全部内容都已填完，可以发送“生成报告”。`;
  return `${head}还没填完的部分：\n${open.slice(0, 12).join('\n')}${open.length > 12 ? '\n……' : ''}\n想帮忙可以发送“填写 <编号>”，或请负责人“分配”给你。`;
}
