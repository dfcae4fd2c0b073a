// A Word file sent to the chat, through the bot over real SQLite: the bot says what it
// found, applies nothing until 确认, keeps answers already given unless 覆盖, and the
// history names the file and who sent it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot';
import type { Actor, Output } from '../../src/conversation/types';
import { examples } from '../../src/domain/registry';
import type { Store } from '../../src/store';
import { openSqlite } from '../../src/store/sqlite';
import { buildSeed } from '../documents/helpers';

const zhang: Actor = { userId: 'ou_zhang', name: '张三' };
const li: Actor = { userId: 'ou_li', name: '李四' };
let store: Store;
let close: () => void;
let bot: ReturnType<typeof createBot>;
let t = Date.UTC(2025, 4, 1);
const seed = examples['wuhua-2024'].answers;

beforeEach(() => {
  ({ store, close } = openSqlite(':memory:'));
  bot = createBot({ store });
});
afterEach(() => close());

const place = { chatId: 'oc_1', chatType: 'group' as const };
const say = (actor: Actor, text: string) => bot.handle({ actor, place, message: { type: 'text', text }, now: (t += 1000) });
const send = (actor: Actor, fileName: string, bytes: Uint8Array) =>
  bot.handle({ actor, place, message: { type: 'file', fileName, bytes, messageId: `om_${t}` }, now: (t += 1000) });
const text = (o: Output) => o.messages.map((m) => (m.type === 'text' ? m.text : '')).join('\n');
const answers = async () => store.getAnswers((await store.findEvaluationByChat('oc_1'))!.id);

describe('importing a file in the chat', () => {
  it('shows what it found section by section, saves nothing until 确认, keeps given answers, records file and sender', async () => {
    const [form, report] = await buildSeed();
    await say(zhang, '新建评价 行政综合性经费 2024');
    await say(zhang, '修改 主管部门');
    await say(zhang, '五华区人民政府'); // differs from the file's 昆明市五华区人民政府
    const before = await answers();

    const reply = text(await send(li, form.fileName, form.bytes));
    expect(reply).toContain(`已读取“${form.fileName}”（Word）`);
    expect(reply).toMatch(/· 项目基本信息：4项（新填2项，与已填相同1项，会替换已填的1项）/);
    expect(reply).toMatch(/· 项目支出明细：4项/);
    expect(reply).toContain('导入后仍空着的必填项');
    expect(reply).toContain('项目基本信息·主管部门：现在“五华区人民政府”，文件里“昆明市五华区人民政府”');
    expect(reply).toContain('发送“确认”导入新填的');
    expect(await answers()).toEqual(before); // nothing applied yet

    expect(text(await say(li, '确认'))).toMatch(/已从“.*附件1-评价表\.docx”导入\d+项答案/);
    const after = await answers();
    expect(after['project.department']).toBe('五华区人民政府'); // kept
    expect(after['lineItems[0].spent']).toBe(129.94);
    expect(after['ind.executionRate.score']).toBe(1);
    const ev = (await store.findEvaluationByChat('oc_1'))!;
    const h = await store.getHistory(ev.id, 'lineItems[0].spent');
    expect(h.map((x) => [x.byName, x.via])).toEqual([['李四', `导入 ${form.fileName}（李四发送）`]]);

    // the report: 覆盖 replaces what differs too
    expect(text(await send(zhang, report.fileName, report.bytes))).toContain('发送“覆盖”');
    expect(text(await say(zhang, '覆盖'))).toContain('已从');
    const all = await answers();
    expect(all['project.department']).toBe('昆明市五华区人民政府');
    expect(all['implementation.completion']).toBe(seed['implementation.completion']);
    // 确认 with nothing pending is not a command of ours any more
    expect(text(await say(zhang, '确认'))).not.toContain('导入');
  });

  it('放弃导入 changes nothing; a bad file changes nothing and says why', async () => {
    const [form] = await buildSeed();
    await say(zhang, '新建评价 行政综合性经费 2024');
    await say(zhang, '取消'); // not answering a question: a stray 确认 below is not an answer either
    const before = await answers();
    await send(zhang, form.fileName, form.bytes);
    expect(text(await say(zhang, '放弃导入'))).toContain('没有导入');
    expect(text(await say(zhang, '确认'))).not.toContain('已从');
    expect(text(await send(zhang, '自评.doc', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new TextEncoder().encode('W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0')])))).toContain('另存为');
    expect(await answers()).toEqual(before);
  });

  it('a file before any evaluation asks to start one', async () => {
    const [form] = await buildSeed();
    expect(text(await send(zhang, form.fileName, form.bytes))).toContain('先发送“新建评价');
  });
});
