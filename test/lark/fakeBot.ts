// A tiny stand-in for the real bot, so channel tests do not depend on the dialog engine.
import type { Bot, Card, Input, Output } from '../../src/conversation/types';

export function formCard(errors: Record<string, string> = {}, saved: string[] = [], values: Record<string, string> = {}): Card {
  return {
    title: '项目基本信息',
    tone: 'blue',
    blocks: [
      { type: 'text', text: '请填写以下信息，带 * 的为必填。' },
      {
        type: 'form',
        name: 'basic',
        fields: [
          { name: 'projectName', label: '项目名称', kind: 'input', required: true, value: values.projectName, error: errors.projectName, saved: saved.includes('projectName') },
          { name: 'type', label: '项目类型', kind: 'select', required: true, options: ['经常性项目', '一次性项目'], value: values.type, saved: saved.includes('type') },
          { name: 'selfEvalDate', label: '自评日期', kind: 'date', required: false, value: values.selfEvalDate, error: errors.selfEvalDate },
          { name: 'summary', label: '绩效目标完成情况', kind: 'textarea', required: false, value: values.summary },
        ],
        submit: { label: '保存', action: { kind: 'submit', sectionId: 'basic', values: {} } },
      },
    ],
  };
}

export class FakeBot implements Bot {
  inputs: Input[] = [];
  delayMs = 0;

  async handle(input: Input): Promise<Output> {
    this.inputs.push(input);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const m = input.message;
    if (m.type === 'action') {
      if (m.action.kind === 'command') return { messages: [{ type: 'text', text: `执行：${m.action.command}` }] };
      const values = m.action.values;
      if (!values.projectName) {
        return { messages: [], toast: { kind: 'error', text: '有 1 项需要修改' }, updatedCard: formCard({ projectName: '项目名称不能为空' }, [], values) };
      }
      return {
        messages: [{ type: 'text', text: `@${input.actor.name} 已保存 ${Object.keys(values).length} 项`, mentions: [input.actor] }],
        toast: { kind: 'success', text: '已保存' },
        updatedCard: formCard({}, Object.keys(values), values),
      };
    }
    if (m.type === 'file') return { messages: [{ type: 'text', text: `收到文件：${m.fileName}，${m.bytes?.length ?? 0} 字节` }] };
    const text = m.text;
    if (text === '出错') throw new Error('boom');
    if (text === '填写') return { messages: [{ type: 'card', card: formCard() }] };
    if (text === '生成报告') {
      const bytes = new Uint8Array(Buffer.from('PK\u0003\u0004 fake docx bytes 绩效评价报告'));
      return { messages: [{ type: 'text', text: '报告已生成：' }, { type: 'file', fileName: '绩效评价报告.docx', bytes }] };
    }
    if (text === '') return { messages: [{ type: 'text', text: '目前只能看懂文字消息。' }] };
    return { messages: [{ type: 'text', text: `收到：${text}`, ...(m.mentions?.length ? { mentions: m.mentions } : {}) }] };
  }
}
