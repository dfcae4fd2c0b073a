// The playground's stand-in for Lark's Open Platform on the sending side: the real
// sender (channels/lark/sender.ts) drains the real outbox into this object exactly
// as it would into the Lark SDK client, and the messages land in the chat log.
// Like Lark, a message repeated with the same uuid is kept once.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LarkApi } from '../lark/sender';
import type { Directory } from './directory';
import type { MessageLog } from './log';

export interface StoredFile {
  name: string;
  bytes: Uint8Array;
}

/** Uploaded files by file_key: kept in memory, and on disk when the playground has a data folder. */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  constructor(private readonly dir?: string) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  put(name: string, bytes: Uint8Array): string {
    const key = `file_pg_${randomUUID().replace(/-/g, '')}`;
    this.files.set(key, { name, bytes });
    if (this.dir) {
      writeFileSync(join(this.dir, key), bytes);
      writeFileSync(join(this.dir, `${key}.name`), name);
    }
    return key;
  }

  get(key: string): StoredFile | undefined {
    if (!/^file_pg_[0-9a-f]{32}$/.test(key)) return undefined;
    const hit = this.files.get(key);
    if (hit || !this.dir || !existsSync(join(this.dir, key))) return hit;
    return { name: readFileSync(join(this.dir, `${key}.name`), 'utf8'), bytes: readFileSync(join(this.dir, key)) };
  }
}

interface CreateRequest {
  params?: { receive_id_type?: string };
  path?: { message_id?: string };
  data: { receive_id?: string; msg_type: string; content: string; uuid?: string };
}

export function playgroundClient(deps: { log: MessageLog; files: FileStore; directory: Directory; now: () => number }): LarkApi {
  const byUuid = new Map<string, string>();

  function post(chatId: string, req: CreateRequest, replyTo?: string) {
    const { msg_type: type, content, uuid } = req.data;
    const seen = uuid ? byUuid.get(uuid) : undefined;
    if (seen) return { code: 0, msg: 'success', data: { message_id: seen } };
    const messageId = `om_pg_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const base = { messageId, chatId, at: deps.now(), from: { kind: 'bot' as const }, ...(replyTo ? { replyTo } : {}) };
    if (type === 'text') deps.log.add({ ...base, kind: 'text', content });
    else if (type === 'interactive') deps.log.add({ ...base, kind: 'card', content });
    else if (type === 'file') {
      const key = (JSON.parse(content) as { file_key?: string }).file_key ?? '';
      const file = deps.files.get(key);
      if (!file) return { code: 234003, msg: 'file not found' };
      deps.log.add({ ...base, kind: 'file', content: '', file: { key, name: file.name, size: file.bytes.length } });
    } else return { code: 230001, msg: `unsupported msg_type ${type}` };
    if (uuid) byUuid.set(uuid, messageId);
    return { code: 0, msg: 'success', data: { message_id: messageId } };
  }

  return {
    im: {
      v1: {
        message: {
          async create(req: CreateRequest) {
            const to = req.data.receive_id ?? '';
            // receive_id_type=open_id is a private message: it goes to that person's chat with the bot
            const chatId = req.params?.receive_id_type === 'open_id' ? deps.directory.privateChat(to).chatId : to;
            if (!deps.directory.chat(chatId)) return { code: 230002, msg: 'chat not found' };
            return post(chatId, req);
          },
          async reply(req: CreateRequest) {
            const original = deps.log.get(req.path?.message_id ?? '');
            if (!original) return { code: 230011, msg: 'message to reply to not found' };
            return post(original.chatId, req, original.messageId);
          },
        },
        file: {
          // The SDK returns the data object itself for uploads ({ file_key }).
          async create(req: { data: { file_name: string; file: Uint8Array } }) {
            return { file_key: deps.files.put(req.data.file_name, new Uint8Array(req.data.file)) };
          },
        },
      },
    },
  };
}
