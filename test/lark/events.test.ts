import { describe, expect, it } from 'vitest';
import { cardActionToInput, messageToInput, NameCache } from '../../src/channels/lark/events';
import { envelopeFromFlat } from '../../src/channels/lark/ws';

const header = { event_id: 'ev1', event_type: 'im.message.receive_v1', tenant_key: 'tk' };

function msg(content: string, mentions: unknown[] = [], extra: Record<string, unknown> = {}) {
  return {
    sender: { sender_id: { open_id: 'ou_alice' }, sender_type: 'user' },
    message: { message_id: 'om_1', chat_id: 'oc_1', chat_type: 'group', message_type: 'text', content, mentions, ...extra },
  } as never;
}

describe('messageToInput', () => {
  it('drops the bot mention, names the others, and learns their names', () => {
    const names = new NameCache();
    const event = msg(JSON.stringify({ text: '@_user_1 分配 项目基本信息 给 @_user_2 和 @_user_3' }), [
      { key: '@_user_1', id: { open_id: 'ou_bot' }, name: '绩效自评助手' },
      { key: '@_user_2', id: { open_id: 'ou_bob' }, name: '李四' },
      { key: '@_user_3', id: { open_id: 'ou_carol' }, name: '王五' },
    ]);
    const r = messageToInput(event, header, 'ou_bot', names, 1000)!;
    expect(r.input).toEqual({
      actor: { userId: 'ou_alice', name: 'ou_alice' },
      place: { chatId: 'oc_1', chatType: 'group', tenantKey: 'tk' },
      message: {
        type: 'text',
        text: '分配 项目基本信息 给 @李四 和 @王五',
        messageId: 'om_1',
        mentions: [
          { userId: 'ou_bob', name: '李四' },
          { userId: 'ou_carol', name: '王五' },
        ],
      },
      now: 1000,
    });
    expect(names.nameOf('ou_bob')).toBe('李四');
    expect(r.named.map((a) => a.userId)).toEqual(['ou_bob', 'ou_carol']);
  });

  it('uses a name learnt earlier for the sender', () => {
    const names = new NameCache();
    names.set('ou_alice', '张三');
    const r = messageToInput(msg(JSON.stringify({ text: '进度' }), [], { chat_type: 'p2p' }), header, 'ou_bot', names, 1)!;
    expect(r.input.actor).toEqual({ userId: 'ou_alice', name: '张三' });
    expect(r.input.place.chatType).toBe('p2p');
    expect(r.input.message).toEqual({ type: 'text', text: '进度', messageId: 'om_1' });
  });

  it('turns non-text messages into empty text', () => {
    const r = messageToInput(msg(JSON.stringify({ file_key: 'sticker' }), [], { message_type: 'sticker' }), header, 'ou_bot', new NameCache(), 1)!;
    expect(r.input.message).toEqual({ type: 'text', text: '', messageId: 'om_1' });
  });

  it('turns an image into a file input fetched with its image_key (a 整改 item\'s evidence may be a photo)', () => {
    const r = messageToInput(msg(JSON.stringify({ image_key: 'img_v3_1' }), [], { message_type: 'image' }), header, 'ou_bot', new NameCache(), 1)!;
    expect(r.input.message).toEqual({ type: 'file', fileKey: 'img_v3_1', fileName: '图片', image: true, messageId: 'om_1' });
  });

  it('copes with broken content and missing fields', () => {
    expect(messageToInput(msg('not json'), header, 'ou_bot', new NameCache(), 1)!.input.message).toMatchObject({ text: '' });
    expect(messageToInput({} as never, header, 'ou_bot', new NameCache(), 1)).toBeUndefined();
  });
});

describe('cardActionToInput', () => {
  const h = { event_id: 'ev2', event_type: 'card.action.trigger' };
  it('merges form values into a submit action', () => {
    const names = new NameCache();
    names.set('ou_bob', '李四');
    const input = cardActionToInput(
      {
        operator: { open_id: 'ou_bob' },
        action: {
          value: { kind: 'submit', sectionId: 'basic', index: 2, values: { fixed: '1' } },
          form_value: { projectName: '老旧小区改造', date: '2024-03-05 +0800', tags: ['a', 'b'], ok: true },
        },
        context: { open_message_id: 'om_card', open_chat_id: 'oc_1' },
      },
      h,
      names,
      5,
    )!;
    expect(input.actor).toEqual({ userId: 'ou_bob', name: '李四' });
    expect(input.message).toEqual({
      type: 'action',
      messageId: 'card:ev2', // the callback's own event id: every press is a new input
      action: { kind: 'submit', sectionId: 'basic', index: 2, values: { fixed: '1', projectName: '老旧小区改造', date: '2024-03-05', tags: 'a、b', ok: '是' } },
    });
  });

  it('reads a command button, value as object or JSON string, and maps renamed fields back', () => {
    const base = { operator: { open_id: 'ou_x' }, context: { open_chat_id: 'oc_1' } };
    const a = cardActionToInput({ ...base, action: { value: { kind: 'command', command: '进度' } } }, h, new NameCache(), 1)!;
    expect(a.message).toMatchObject({ action: { kind: 'command', command: '进度' } });
    const b = cardActionToInput({ ...base, action: { value: JSON.stringify({ kind: 'command', command: '帮助' }) } }, h, new NameCache(), 1)!;
    expect(b.message).toMatchObject({ action: { kind: 'command', command: '帮助' } });
    const c = cardActionToInput(
      { ...base, action: { value: { kind: 'submit', sectionId: 's', values: {}, fieldNames: { f_0: '项目.名称' } }, form_value: { f_0: 'x' } } },
      h,
      new NameCache(),
      1,
    )!;
    expect(c.message).toMatchObject({ action: { kind: 'submit', sectionId: 's', values: { '项目.名称': 'x' } } });
    expect(cardActionToInput({ ...base, action: { value: { foo: 1 } } }, h, new NameCache(), 1)).toBeUndefined();
  });
});

describe('envelopeFromFlat', () => {
  it('rebuilds header and event from the SDK flat shape', () => {
    const flat = { schema: '2.0', event_id: 'e', event_type: 'im.message.receive_v1', token: 't', tenant_key: 'tk', app_id: 'cli', create_time: '1', sender: { a: 1 }, message: { b: 2 } };
    expect(envelopeFromFlat(flat, 'im.message.receive_v1')).toEqual({
      schema: '2.0',
      header: { event_id: 'e', event_type: 'im.message.receive_v1', token: 't', tenant_key: 'tk', app_id: 'cli', create_time: '1' },
      event: { sender: { a: 1 }, message: { b: 2 } },
    });
  });
});
