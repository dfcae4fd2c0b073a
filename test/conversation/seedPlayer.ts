// Plays the seed case (templates/wuhua-2024/example.json) through the bot as three
// people, answering whatever the bot asks from the example's answers. It drives the
// same Bot the channels use, and records every line typed so the session can be
// replayed through `npm run chat`.
import { examples } from '../../src/domain/registry';
import { filledDefault } from '../../src/domain/defaults';
import { formatAnswer } from '../../src/domain/parse';
import { formSections, questionAt } from '../../src/domain/questions';
import { MORE } from '../../src/conversation/flow';
import type { DialogState } from '../../src/conversation/state';
import type { Actor, Bot, Output } from '../../src/conversation/types';
import type { Store } from '../../src/store';
import { defaultTemplate } from '../../src/domain/registry';

export const people = {
  funds: { userId: 'ou_zhang', name: '张三' }, // project facts and funds
  indicators: { userId: 'ou_li', name: '李四' }, // the indicator scores
  narrative: { userId: 'ou_wang', name: '王五' }, // the report's narrative
} satisfies Record<string, Actor>;

export const chatId = 'oc_seed';

export interface Line {
  actor: Actor;
  text: string;
}

/** Deliberately wrong answers, given once before the right one, keyed by path. */
export const wrongFirst: Record<string, string> = {
  'lineItems[0].budget': '二百七十多万',
  'lineItems[0].arrived': '-172.91',
  'sources[0].spent': '129.94.1',
  'project.selfEvalDate': '2025年13月',
  'ind.executionRate.score': '5分',
  'ind.outputCost[0].actual': '很高',
};

/** Answers given in full-width digits, to show they are read the same. */
export const fullWidth = new Set(['lineItems[0].spent', 'sources[0].budget']);

const toFull = (s: string) => s.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

export async function playSeed(bot: Bot, store: Store, now: () => number, onLine?: (l: Line, out: Output) => void) {
  const example = examples['wuhua-2024'];
  const sections = formSections(defaultTemplate());
  const lines: Line[] = [];
  const outputs: Output[] = [];
  const say = async (actor: Actor, text: string, mentions: Actor[] = []) => {
    const out = await bot.handle({ actor, place: { chatId, chatType: 'group' }, message: { type: 'text', text, mentions }, now: now() });
    lines.push({ actor, text });
    outputs.push(out);
    onLine?.({ actor, text }, out);
    return out;
  };

  await say(people.funds, '新建评价 行政综合性经费 2024');
  await say(people.funds, '取消');
  const assign: [string, Actor][] = [
    ['项目基本信息', people.funds],
    ['项目支出明细', people.funds],
    ['资金来源', people.funds],
    ['预算构成', people.funds],
    ['资金使用说明', people.funds],
    ['决策', people.indicators],
    ['过程', people.indicators],
    ['产出', people.indicators],
    ['效益', people.indicators],
    ['年度总体目标', people.narrative],
    ['项目基本情况', people.narrative],
    ['项目完成与管理', people.narrative],
    ['经验、问题与建议', people.narrative],
    ['评价人员', people.narrative],
  ];
  for (const [section, who] of assign) await say(people.funds, `分配 ${section} @${who.name}`, [who]);

  const wrongDone = new Set<string>();
  for (const who of [people.funds, people.indicators, people.narrative]) {
    await say(who, '填写');
    for (let guard = 0; guard < 400; guard++) {
      const saved = await store.getDialogState(chatId, who.userId);
      const pos = (saved?.state as DialogState | undefined)?.position;
      if (!pos) break;
      const section = sections.find((s) => s.id === pos.sectionId)!;
      if (pos.field === MORE) {
        const nextIndex = (pos.index ?? -1) + 1;
        const has = Object.keys(example.answers).some((k) => k.startsWith(`${section.group}[${nextIndex}].`));
        await say(who, has ? '是' : '否');
        continue;
      }
      const path = section.repeat ? `${section.group}[${pos.index ?? 0}].${pos.field}` : `${section.group}.${pos.field}`;
      const value = example.answers[path];
      if (value === undefined) {
        await say(who, '跳过');
        continue;
      }
      // the seed keeps the template's own text for 二（四）1–3: 默认 takes it
      if (value === filledDefault(questionAt(sections, path)!.question, example.answers)) {
        await say(who, '默认');
        continue;
      }
      if (wrongFirst[path] && !wrongDone.has(path)) {
        wrongDone.add(path);
        await say(who, wrongFirst[path]);
        continue;
      }
      const q = questionAt(sections, path)!.question;
      let text = formatAnswer(q.kind, value);
      if (fullWidth.has(path)) text = toFull(text);
      await say(who, text);
    }
  }
  return { lines, outputs };
}
