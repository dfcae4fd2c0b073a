// Cards drawn as terminal text: numbered fields and numbered buttons, so a person
// at a terminal can read a card and press a button with ":按 2".
import type { Card, CardAction } from '../../conversation/types';
import { chartText } from './chartText';

export interface DrawnCard {
  text: string;
  buttons: CardAction[]; // index 0 is button 1
  form?: { fields: string[]; submit: CardAction }; // field names, numbered from 1
}

export function drawCard(card: Card): DrawnCard {
  const lines: string[] = [`┌─ ${card.title}`];
  const buttons: CardAction[] = [];
  let form: DrawnCard['form'];
  for (const b of card.blocks) {
    switch (b.type) {
      case 'text':
        for (const l of b.text.replace(/\*\*/g, '').split('\n')) lines.push(`│ ${l}`);
        break;
      case 'fields':
        for (const f of b.fields) lines.push(`│ ${f.label}：${f.value}`);
        break;
      case 'table':
        lines.push(`│ ${b.columns.join(' ｜ ')}`);
        for (const r of b.rows) lines.push(`│ ${r.filter(Boolean).join(' ｜ ')}`);
        break;
      case 'form':
        form = { fields: b.fields.map((f) => f.name), submit: b.submit.action };
        b.fields.forEach((f, i) => {
          const v = f.value === undefined ? '' : ` = ${f.value.length > 40 ? `${f.value.slice(0, 40)}……` : f.value}`;
          lines.push(`│ [${i + 1}] ${f.label}${f.options ? `（${f.options.join('/')}）` : ''}${v}${f.saved ? ' ✅' : ''}`);
          if (f.error) lines.push(`│     ❌ ${f.error}`);
        });
        lines.push(`│ 〔${b.submit.label}〕 用 “:填 1=… 2=…” 填写并保存卡片`);
        break;
      case 'buttons':
        for (const btn of b.buttons) {
          buttons.push(btn.action);
          lines.push(`│ 〔${buttons.length}. ${btn.label}〕`);
        }
        break;
      case 'chart':
        for (const l of chartText(b.chart)) lines.push(`│ ${l}`);
        break;
      case 'divider':
        lines.push('│ ────────');
        break;
    }
  }
  lines.push('└─ （“:按 <编号>” 按卡片上的按钮）');
  return { text: lines.join('\n'), buttons, form };
}
