// An example evaluation as a person who knows the answers types it: whole rows on one
// line, an indicator per line, labelled blocks, several sections per 分配. Generated
// from a template's example answers; committed as test/fixtures/<id>-fast.txt and
// replayed by fast.test.ts (which counts the messages) and by `npm run bench`.
import { defaultTemplateId, examples, templates } from '../../src/domain/registry';
import { formatAnswer } from '../../src/domain/parse';
import { formContext, askedQuestions } from '../../src/domain/progress';
import { type FormSection, formSections, pathOf } from '../../src/domain/questions';

const plain = (s: string) => s.replace(/（[^）]*）/g, '');
const esc = (s: string) => s.replace(/\r?\n/g, '\\n');

export function fastScript(templateId: string, projectName: string, year: number): string {
  const template = templates.find((t) => t.id === templateId)!;
  const answers = Object.fromEntries(Object.entries(examples[templateId].answers).filter(([k]) => !k.startsWith('weights.')));
  const sections = formSections(template);
  const ctx = formContext(template, sections, answers);
  const fmt = (s: FormSection, field: string, v: unknown) => formatAnswer(s.questions.find((q) => q.field === field)!.kind, v as string | number);
  const out: string[] = [`# ${year}年度${projectName}：知道答案的人用最少的消息填完（由 test/conversation/fast.test.ts 生成，UPDATE_FIXTURES=1 重新生成）`];

  // three people: the figures, the indicators, the narrative
  const narrative = (s: FormSection) => !s.level1 && s.questions.every((q) => q.kind === 'longText');
  const people: [string, FormSection[]][] = [
    ['张三', sections.filter((s) => !s.level1 && !narrative(s))],
    ['李四', sections.filter((s) => s.level1)],
    ['王五', sections.filter(narrative)],
  ];
  const numbers = (ss: FormSection[]) => ranges(ss.map((s) => sections.indexOf(s) + 1));
  out.push(':as 张三');
  if (templateId !== defaultTemplateId) out.push(`模板 ${templateId}`);
  out.push(`新建评价 ${projectName} ${year}`);
  out.push(`分配 ${people.filter(([, ss]) => ss.length).map(([who, ss]) => `${numbers(ss)} @${who}`).join(' ')}`);

  const longest = Object.entries(answers).reduce((a, b) => (String(b[1]).length > String(a[1]).length ? b : a));
  for (const [who, ss] of people) {
    if (who !== '张三') out.push(`:as ${who}`, '填写');
    for (const s of ss) out.push(...sectionMessages(s));
  }
  out.push(':as 张三', '进度', '生成报告', '确认');
  return `${out.join('\n')}\n`;

  function sectionMessages(s: FormSection): string[] {
    if (s.repeat) {
      const lines: string[] = [];
      for (let i = 0; answers[pathOf(s, s.questions[0], i)] !== undefined; i++)
        lines.push(askedQuestions(ctx, s, i).filter((q) => answers[pathOf(s, q, i)] !== undefined).map((q) => fmt(s, q.field, answers[pathOf(s, q, i)])).join(' '));
      return lines.length ? [esc(lines.join('\n')), '否'] : ['没有'];
    }
    const asked = askedQuestions(ctx, s).filter((q) => !(s.id === 'project' && q.field === 'name'));
    const given = asked.filter((q) => answers[pathOf(s, q)] !== undefined);
    if (s.level1) {
      // "立项依据充分性 达成 5": one line per indicator that has answers; 跳过 for a section left to the rules
      const keys = [...new Set(given.map((q) => q.field.split('.')[0]))];
      if (!keys.length) return asked.map(() => '跳过');
      return [
        esc(
          keys
            .map((k) => {
              const name = s.questions.find((q) => q.field.startsWith(`${k}.`))!.label.replace(/^[^·]*·/, '').replace(/（.*$/, '');
              return [name, ...given.filter((q) => q.field.startsWith(`${k}.`)).map((q) => fmt(s, q.field, answers[pathOf(s, q)]))].join(' ');
            })
            .join('\n'),
        ),
      ];
    }
    if (!given.length) return [];
    const value = (q: (typeof given)[number]) => fmt(s, q.field, answers[pathOf(s, q)]);
    if (given.length === 1) return [esc(value(given[0]))];
    const msgs: string[] = [];
    let rest = given;
    // the longest answer of the form comes in two messages, the first ending with （未完）
    if (pathOf(s, given[0]) === longest[0] && String(longest[1]).length > 1000) {
      const text = value(given[0]);
      const cut = text.indexOf('\n', Math.floor(text.length / 2));
      msgs.push(`${esc(text.slice(0, cut))}（未完）`, esc(text.slice(cut + 1)));
      rest = given.slice(1);
    }
    if (rest.length === 1) msgs.push(esc(value(rest[0])));
    else if (rest.length) msgs.push(esc(rest.map((q) => `${plain(q.label)}：${value(q)}`).join('\n')));
    return msgs;
  }
}

/** 1,2,3,5 → "1-3,5" */
function ranges(ns: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    out.push(j > i ? `${ns[i]}-${ns[j]}` : String(ns[i]));
    i = j + 1;
  }
  return out.join(',');
}

/** The messages of a script: every line but comments and the terminal's own ":as" lines. */
export const messagesOf = (script: string) => script.split('\n').filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith(':'));
