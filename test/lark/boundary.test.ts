// The input boundary: what a request may cost before it is trusted, what a message
// may carry into the bot, and what user text may turn into when it goes back out
// (issue 9, defects 5–7; rich text and form submits as Lark really sends them).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBot } from '../../src/bot';
import { MAX_BODY_BYTES } from '../../src/channels/lark/webhook';
import { renderCard } from '../../src/channels/lark/cards';
import { cardActionToInput, messageToInput, NameCache } from '../../src/channels/lark/events';
import { textContent } from '../../src/channels/lark/outgoing';
import { escapeCardMarkdown, escapePlainText, escapeTextMessage } from '../../src/conversation/escape';
import { summaryCard } from '../../src/summary/card';
import type { Summary, SummaryRow } from '../../src/domain/summary';
import { BOT_OPEN_ID, startHarness, tableCounts, type Harness } from './harness';

const chat = 'oc_boundary';
const zhang = 'ou_zhang';
let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const HOSTILE = ['<at user_id="all">所有人</at>', '<at id=all></at>', '[点此](https://evil.example/phish)', "<font color='red'>警告</font>", '**粗**_斜_~~删~~`代码`'];

describe('request size and trust', () => {
  it('a body over the limit is refused with 413 while it streams in, without reading it all', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    const before = tableCounts(h.opened.db);
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 50 * 1024 * 1024) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await h.app.request('/lark/events', { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * chunk.length); // stopped at the limit, not at 50 MB
    // a declared length over the limit is refused before reading anything
    const declared = await h.app.request('/lark/events', { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1), headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) } });
    expect(declared.status).toBe(413);
    expect(tableCounts(h.opened.db)).toEqual(before);
  });

  it('an unsigned body is neither parsed nor decrypted when an Encrypt Key is set (only the tiny challenge is)', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    const big = JSON.stringify({ encrypt: 'A'.repeat(200_000) });
    const parse = vi.spyOn(JSON, 'parse');
    const res = await h.side.postRaw(big, { sign: false });
    expect(res.status).toBe(401);
    expect(parse.mock.calls.some(([text]) => typeof text === 'string' && text.length >= big.length)).toBe(false);
    parse.mockRestore();
    const challenge = await h.side.post(h.side.challenge('c-1'), { sign: false });
    expect(await challenge.json()).toEqual({ challenge: 'c-1' });
  });
});

describe('invisible characters are dropped at the boundary', () => {
  const names = new NameCache();
  const convert = (text: string) =>
    messageToInput({ sender: { sender_id: { open_id: zhang } }, message: { message_id: 'om_1', chat_id: chat, message_type: 'text', content: JSON.stringify({ text }) } }, {}, BOT_OPEN_ID, names, 0)!.input.message;

  it('zero-width, bidi and control characters go; line breaks and tabs stay', () => {
    expect(convert('进度\u200b')).toMatchObject({ text: '进度' });
    expect(convert('\u202e进度\u200f')).toMatchObject({ text: '进度' });
    expect(convert('A\u0000B\u0007C\u001bD\ufeff')).toMatchObject({ text: 'ABCD' });
    expect(convert('第一行\n第二行\t末')).toMatchObject({ text: '第一行\n第二行\t末' });
  });

  it('a command with a zero-width space is a command, and NUL/BEL/ESC are never stored', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    const say = (text: string) => h!.side.post(h!.side.messageEvent({ chatId: chat, senderId: zhang, text, mentionBot: { openId: BOT_OPEN_ID } }));
    await say('新建评价 测试项目 2024');
    await say('昆明市\u0000五华区\u0007人民\u001b政府');
    await say('进度\u200b');
    await h.app.idle();
    const ev = await h.opened.store.findEvaluationByChat(chat);
    const stored = await h.opened.store.getAnswers(ev!.id);
    expect(stored['project.department']).toBe('昆明市五华区人民政府');
    expect(stored['project.unit']).toBeUndefined(); // 进度 was a command, not the next answer
  });
});

describe('user text is escaped for where it goes', () => {
  it('text messages: tags and links typed by a person stay text; the bot\'s own mentions still work', () => {
    for (const s of HOSTILE) {
      const sent = JSON.parse(textContent({ text: `已记录：${s}` })).text as string;
      expect(sent).not.toMatch(/<at|<font|\]\(/);
    }
    const withMention = JSON.parse(textContent({ text: '@张三 请填写', mentions: [{ userId: 'ou_zhang', name: '张三' }] })).text;
    expect(withMention).toBe('<at user_id="ou_zhang">张三</at> 请填写');
    expect(escapeTextMessage('<at user_id="all">')).toBe('＜at user_id="all"＞');
  });

  it('card markdown: the 汇总 card shows hostile project names and units as typed, opening nothing', () => {
    const row = (projectName: string, unit: string, id: number): SummaryRow => ({
      id, projectName, unit, year: 2024, amounts: { budget: 100n, arrived: 100n, spent: 50n }, executionRate: 5000, scored: false, sectionsDone: 1, sectionsTotal: 9, overdue: false,
    });
    const rows = HOSTILE.map((s, i) => row(s, s, i));
    const summary = { year: 2024, today: '2025-06-01', rows, byGrade: [], filling: rows.length, overdue: [], totals: { budget: 0n, arrived: 0n, spent: 0n }, executionRate: 5000, underNinety: rows } as unknown as Summary;
    const card = summaryCard(summary);
    const markdown = JSON.stringify(renderCard({ ...card, blocks: card.blocks.filter((b) => b.type === 'text') }));
    expect(markdown).toContain('警告');
    expect(markdown).not.toMatch(/<at|<font|\[点此\]\(/);
    expect(escapeCardMarkdown('[点此](https://x)')).toBe('\\[点此\\](https://x)');
    expect(escapeCardMarkdown('<at id=all></at>')).toBe('&lt;at id=all&gt;&lt;/at&gt;');
  });

  it('plain_text keeps the text as typed, minus what cannot be shown', () => {
    expect(escapePlainText('<at id=all>\u0007')).toBe('<at id=all>');
  });

  it('an answer echoed back by the real bot pings nobody', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    const say = (text: string) => h!.side.post(h!.side.messageEvent({ chatId: chat, senderId: zhang, text, mentionBot: { openId: BOT_OPEN_ID } }));
    await say('新建评价 测试项目 2024');
    await say('<at user_id="all">所有人</at>');
    await h.app.idle();
    await h.sender.drain();
    const sent = h.fake.messages.map((m) => m.content).join('\n');
    expect(sent).toContain('所有人');
    expect(sent).not.toContain('<at user_id=\\"all\\"');
  });
});

describe('rich text (post) messages', () => {
  const names = new NameCache();
  it('become text: paragraphs to lines, mentions to names, other elements named', () => {
    const content = JSON.stringify({
      title: '',
      content: [
        [{ tag: 'at', user_id: '@_user_1', user_name: '绩效自评助手' }, { tag: 'text', text: ' 273.45' }],
        [{ tag: 'text', text: '第二段' }, { tag: 'a', text: '链接', href: 'https://x' }, { tag: 'at', user_id: '@_user_2', user_name: '李四' }],
        [{ tag: 'img', image_key: 'img_1' }],
      ],
    });
    const r = messageToInput(
      {
        sender: { sender_id: { open_id: zhang } },
        message: { message_id: 'om_p', chat_id: chat, message_type: 'post', content, mentions: [{ key: '@_user_1', id: { open_id: BOT_OPEN_ID }, name: '绩效自评助手' }, { key: '@_user_2', id: { open_id: 'ou_li' }, name: '李四' }] },
      },
      {},
      BOT_OPEN_ID,
      names,
      0,
    )!;
    expect(r.input.message).toMatchObject({ type: 'text', text: '273.45\n第二段链接@李四', mentions: [{ userId: 'ou_li', name: '李四' }] });
    expect(r.dropped).toEqual(['图片']);
  });

  it('is answered like text by the real bot, and the picture is mentioned', async () => {
    h = await startHarness((s) => createBot({ store: s }));
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: zhang, text: '新建评价 测试项目 2024', mentionBot: { openId: BOT_OPEN_ID } }));
    const content = JSON.stringify({ title: '', content: [[{ tag: 'text', text: '昆明市五华区人民政府' }], [{ tag: 'img', image_key: 'img_1' }]] });
    await h.side.post(h.side.messageEvent({ chatId: chat, senderId: zhang, messageType: 'post', content }));
    await h.app.idle();
    const ev = await h.opened.store.findEvaluationByChat(chat);
    expect((await h.opened.store.getAnswers(ev!.id))['project.department']).toBe('昆明市五华区人民政府');
    await h.sender.drain();
    const sent = h.fake.messages.map((m) => m.content).join('\n');
    expect(sent).toContain('图片没有读取');
    expect(sent).not.toContain('没有收到内容');
  });
});

describe('form submits without the button value', () => {
  it('are known by the submit button and input names', () => {
    const card = renderCard({
      title: 't',
      blocks: [{ type: 'form', name: 'f', fields: [{ name: 'department', label: '主管部门', kind: 'input', required: false }, { name: 'a.b', label: 'x', kind: 'input', required: false }], submit: { label: '保存', action: { kind: 'submit', sectionId: 'project', evaluationId: 7, index: 2, values: {} } } }],
    }) as { body: { elements: { elements: { tag: string; name: string }[] }[] } };
    const inner = card.body.elements[0].elements;
    const submit = inner.find((e) => e.tag === 'button')!;
    const inputs = inner.filter((e) => e.tag === 'input').map((e) => e.name);
    const input = cardActionToInput(
      { operator: { open_id: zhang }, context: { open_chat_id: chat, open_message_id: 'om_c' }, action: { tag: 'button', name: submit.name, form_value: { [inputs[0]]: '五华区', [inputs[1]]: 'y' } } },
      { event_id: 'ev_1' },
      new NameCache(),
      0,
    );
    expect(input?.message).toEqual({ type: 'action', messageId: 'card:ev_1', action: { kind: 'submit', sectionId: 'project', evaluationId: 7, index: 2, values: { department: '五华区', 'a.b': 'y' } } });
  });
});

describe('cards as Lark measures and holds them', () => {
  it('an answer over 1,000 characters is shown as text with an empty input to replace it, never prefilled', () => {
    const long = '项目完成情况说明，'.repeat(458); // 4,122 characters
    const rendered = renderCard({ title: 't', blocks: [{ type: 'form', name: 'f', fields: [{ name: 'completion', label: '项目完成情况', kind: 'textarea', required: false, value: long }, { name: 'short', label: '短', kind: 'input', required: false, value: '五华区' }], submit: { label: '保存', action: { kind: 'submit', sectionId: 's', values: {} } } }] });
    const inputs: { default_value?: string; max_length?: number; placeholder: { content: string } }[] = [];
    JSON.stringify(rendered, (k, v) => (v && v.tag === 'input' ? (inputs.push(v), v) : v));
    for (const i of inputs) {
      expect(i.max_length).toBeLessThanOrEqual(1000);
      expect(Array.from(i.default_value ?? '').length).toBeLessThanOrEqual(1000);
    }
    expect(inputs[0].default_value).toBeUndefined();
    expect(inputs[0].placeholder.content).toContain('替换');
    expect(JSON.stringify(rendered)).toContain('现在的答案（4122 字）');
    expect(inputs[1].default_value).toBe('五华区');
  });

  it('the 30 KB limit is measured on the escaped request, not the card object', () => {
    const quoted = '"'.repeat(12_000); // a 24 KB card object; escaped again inside `content`, a 48 KB request
    const rendered = renderCard({ title: 't', blocks: [{ type: 'text', text: quoted }] });
    const request = JSON.stringify({ receive_id: 'oc_0123456789abcdef0123456789abcdef', msg_type: 'interactive', content: JSON.stringify(rendered), uuid: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    expect(Buffer.byteLength(request)).toBeLessThanOrEqual(30 * 1024);
  });
});
