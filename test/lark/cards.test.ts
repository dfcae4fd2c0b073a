import { describe, expect, it } from 'vitest';
import { actionsOf, cardBytes, MAX_CARD_BYTES, renderCard, TRUNCATED_NOTE } from '../../src/channels/lark/cards';
import type { Card } from '../../src/conversation/types';
import { formCard } from './fakeBot';

type J = Record<string, any>;
const elements = (c: J): J[] => c.body.elements;

describe('renderCard', () => {
  it('draws the JSON 2.0 frame', () => {
    const c = renderCard({ title: '进度', tone: 'green', blocks: [{ type: 'divider' }] });
    expect(c).toMatchObject({ schema: '2.0', config: { update_multi: true }, header: { title: { tag: 'plain_text', content: '进度' }, template: 'green' } });
    expect(elements(c)).toEqual([{ tag: 'hr' }]);
  });

  it('draws text, fields, table and buttons', () => {
    const card: Card = {
      title: 't',
      blocks: [
        { type: 'text', text: '**资金**情况' },
        { type: 'fields', fields: [{ label: '年初预算数', value: '100.00 万元' }, { label: '备注<at>', value: '<font>' }] },
        { type: 'table', columns: ['指标', '得分'], rows: [['资金到位率', '5'], ['预算执行率']] },
        { type: 'buttons', buttons: [{ label: '填写', action: { kind: 'command', command: '填写 项目基本信息' }, style: 'primary' }] },
      ],
    };
    const els = elements(renderCard(card));
    expect(els[0]).toEqual({ tag: 'markdown', content: '**资金**情况' });
    expect(els[1].content).toBe('**年初预算数**：100.00 万元\n**备注&lt;at&gt;**：&lt;font&gt;');
    expect(els[2]).toMatchObject({ tag: 'table', columns: [{ name: 'c0', display_name: '指标' }, { name: 'c1', display_name: '得分' }], rows: [{ c0: '资金到位率', c1: '5' }, { c0: '预算执行率', c1: '' }] });
    expect(els[3]).toMatchObject({ tag: 'button', type: 'primary', text: { content: '填写' }, behaviors: [{ type: 'callback', value: { kind: 'command', command: '填写 项目基本信息' } }] });
  });

  it('draws a form: one component per field, unique names, defaults, errors, saved marks, submit', () => {
    const card = formCard({ projectName: '项目名称不能为空' }, ['type'], { type: '一次性项目', selfEvalDate: '2025-03-01', summary: '好' });
    const els = elements(renderCard(card));
    const form = els.find((e) => e.tag === 'form')!;
    expect(els.indexOf(form)).toBeGreaterThanOrEqual(0); // at the root
    expect(form.name).toBe('basic');
    const inner: J[] = form.elements;
    const named = inner.filter((e) => e.name);
    expect(named.map((e) => e.name)).toEqual(['projectName', 'type', 'selfEvalDate', 'summary', 'submit__rbasic__n__n']);
    expect(new Set(named.map((e) => e.name)).size).toBe(named.length);
    expect(named[0]).toMatchObject({ tag: 'input', required: true });
    expect(named[1]).toMatchObject({ tag: 'select_static', required: true, initial_option: '一次性项目' });
    expect(named[1].options).toEqual([
      { text: { tag: 'plain_text', content: '经常性项目' }, value: '经常性项目' },
      { text: { tag: 'plain_text', content: '一次性项目' }, value: '一次性项目' },
    ]);
    expect(named[2]).toMatchObject({ tag: 'date_picker', required: false, initial_date: '2025-03-01' });
    expect(named[3]).toMatchObject({ tag: 'input', input_type: 'multiline_text', default_value: '好' });
    expect(named[4]).toMatchObject({ tag: 'button', form_action_type: 'submit', behaviors: [{ type: 'callback', value: { kind: 'submit', sectionId: 'basic', values: {} } }] });
    // the error sits right under its field, in red; the saved field is marked
    const i = inner.indexOf(named[0]);
    expect(inner[i + 1]).toEqual({ tag: 'markdown', content: "<font color='red'>⚠️ 项目名称不能为空</font>" });
    expect(inner[i - 1].content).toContain('**项目名称**');
    expect(inner[i - 1].content).toContain('*');
    const typeLabel = inner[inner.indexOf(named[1]) - 1];
    expect(typeLabel.content).toContain('✅ 已保存');
  });

  it('renames unsafe or repeated field names and carries the map back', () => {
    const card: Card = {
      title: 'x',
      blocks: [
        {
          type: 'form',
          name: '表单',
          fields: [
            { name: '项目.名称', label: 'a', kind: 'input', required: false },
            { name: 'ok', label: 'b', kind: 'input', required: false },
            { name: 'ok', label: 'c', kind: 'input', required: false },
          ],
          submit: { label: '保存', action: { kind: 'submit', sectionId: 's', values: {} } },
        },
      ],
    };
    const form = elements(renderCard(card))[0];
    expect(form.name).toBe('form_0');
    // a name that is not a plain identifier is hex-encoded (readable back without the button's value); a repeat gets f_N
    const hex = `x_${Buffer.from('项目.名称').toString('hex')}`;
    expect(form.elements.filter((e: J) => e.tag === 'input').map((e: J) => e.name)).toEqual([hex, 'ok', 'f_2']);
    expect(actionsOf(form)[0]).toEqual({ kind: 'submit', sectionId: 's', values: {}, fieldNames: { [hex]: '项目.名称', f_2: 'ok' } });
  });

  it('keeps every card under 30 KB, saying what was cut', () => {
    const long = '绩效目标完成情况说明。'.repeat(3000); // ~90 KB of UTF-8
    const rows = Array.from({ length: 500 }, (_, i) => [`第 ${i + 1} 项指标`, '已完成'.repeat(10), String(i)]);
    const card: Card = {
      title: '很长的卡片',
      blocks: [
        { type: 'text', text: long },
        { type: 'table', columns: ['指标', '完成情况', '得分'], rows },
        { type: 'buttons', buttons: [{ label: '下一步', action: { kind: 'command', command: '下一步' } }] },
      ],
    };
    const rendered = renderCard(card);
    expect(cardBytes(rendered)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const json = JSON.stringify(rendered);
    expect(json).toContain(TRUNCATED_NOTE);
    expect(json).toContain('共 500 行');
    expect(actionsOf(rendered)).toEqual([{ kind: 'command', command: '下一步' }]); // buttons survive
  });

  it('leaves ordinary cards alone', () => {
    const rendered = renderCard(formCard());
    expect(JSON.stringify(rendered)).not.toContain(TRUNCATED_NOTE);
  });

  it('shortens a form with huge option lists rather than sending something Lark refuses', () => {
    const options = Array.from({ length: 2000 }, (_, i) => `单位名称很长很长很长的第 ${i} 个选项`);
    const card: Card = {
      title: 'x',
      blocks: [{ type: 'form', name: 'f', fields: [{ name: 'unit', label: '单位', kind: 'select', required: true, options }], submit: { label: '保存', action: { kind: 'submit', sectionId: 's', values: {} } } }],
    };
    const rendered = renderCard(card);
    expect(cardBytes(rendered)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(JSON.stringify(rendered)).toContain('选项过多');
  });
});
