// The seed case as a person who knows the answers types it: whole rows on one line,
// an indicator per line, labelled blocks for the narrative, several sections per
// 分配. Generated from the example's answers; committed as test/fixtures/seed-fast.txt
// and replayed by fast.test.ts (which counts the messages) and by `npm run bench`.
import { examples, defaultTemplate } from '../../src/domain/registry';
import { formatAnswer } from '../../src/domain/parse';
import { type FormSection, formSections } from '../../src/domain/questions';

const plain = (s: string) => s.replace(/（[^）]*）/g, '');

export function fastScript(): string {
  const answers = examples['wuhua-2024'].answers;
  const sections = formSections(defaultTemplate());
  const byId = (id: string) => sections.find((s) => s.id === id)!;
  const num = (id: string) => sections.indexOf(byId(id)) + 1;
  const fmt = (s: FormSection, field: string, v: unknown) => formatAnswer(s.questions.find((q) => q.field === field)!.kind, v as string | number);
  const esc = (s: string) => s.replace(/\r?\n/g, '\\n');
  const out: string[] = ['# 红云街道 行政综合性经费 2024：知道答案的人用最少的消息填完（由 test/conversation/fast.test.ts 生成，UPDATE_FIXTURES=1 重新生成）'];

  const labelled = (s: FormSection) =>
    s.questions
      .filter((q) => answers[`${s.group}.${q.field}`] !== undefined && !(s.id === 'project' && q.field === 'name'))
      .map((q) => `${plain(q.label)}：${fmt(s, q.field, answers[`${s.group}.${q.field}`])}`)
      .join('\n');
  const rows = (s: FormSection) => {
    const lines: string[] = [];
    for (let i = 0; answers[`${s.group}[${i}].${s.questions[0].field}`] !== undefined; i++)
      lines.push(
        s.questions
          .filter((q) => answers[`${s.group}[${i}].${q.field}`] !== undefined)
          .map((q) => fmt(s, q.field, answers[`${s.group}[${i}].${q.field}`]))
          .join(' '),
      );
    return lines.join('\n');
  };
  /** "立项依据充分性 达成 5" for each indicator of a fixed indicator section */
  const indicators = (s: FormSection) => {
    const keys = [...new Set(s.questions.map((q) => q.field.split('.')[0]))];
    return keys
      .map((k) => {
        const qs = s.questions.filter((q) => q.field.startsWith(`${k}.`) && answers[`ind.${q.field}`] !== undefined);
        const name = s.questions.find((q) => q.field.startsWith(`${k}.`))!.label.replace(/^[^·]*·/, '').replace(/（.*$/, '');
        return [name, ...qs.map((q) => fmt(s, q.field, answers[`ind.${q.field}`]))].join(' ');
      })
      .join('\n');
  };

  const zhang = ['项目基本信息', 'lineItems', 'sources', 'breakdown', 'funds'];
  void zhang;
  out.push(':as 张三', '新建评价 行政综合性经费 2024');
  const indStart = sections.findIndex((s) => s.level1) + 1;
  out.push(`分配 1-${num('funds')} @张三 ${indStart}-${sections.length} @李四 ${num('goals')}-${num('evaluators')} @王五`);
  out.push(esc(labelled(byId('project'))));
  out.push(rows(byId('lineItems')), '否');
  out.push(rows(byId('sources')), '没有了');
  out.push(esc(rows(byId('breakdown'))), '不用了');
  out.push(esc(String(answers['funds.executionNote'])));

  out.push(':as 李四', '填写');
  for (const s of sections.filter((x) => x.level1)) {
    if (s.repeat) out.push(esc(rows(s)), '否');
    else out.push(esc(indicators(s)));
  }

  out.push(':as 王五', '填写');
  out.push(esc(labelled(byId('goals'))), esc(labelled(byId('background'))));
  // the longest answer in two messages: the first ends with （未完）
  const completion = String(answers['implementation.completion']);
  const cut = completion.indexOf('\n', Math.floor(completion.length / 2));
  out.push(`${esc(completion.slice(0, cut))}（未完）`, esc(completion.slice(cut + 1)));
  const impl = byId('implementation');
  out.push(esc(impl.questions.filter((q) => q.field !== 'completion').map((q) => `${plain(q.label)}：${answers[`implementation.${q.field}`]}`).join('\n')));
  out.push(esc(labelled(byId('conclusion'))), '没有');

  out.push(':as 张三', '进度', '生成报告', '确认');
  return `${out.join('\n')}\n`;
}

/** The messages of a script: every line but comments and the terminal's own ":as" lines. */
export const messagesOf = (script: string) => script.split('\n').filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith(':'));
