// Who is in the playground and which chats exist: a few named people (staff, an
// administrator, a future leader), group chats (one evaluation each) and every
// person's private chat with the bot. Persisted as one small JSON file beside
// the database, with the playground clock's offset.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface Person {
  userId: string; // plays the Lark open_id
  name: string;
  note?: string; // shown in the who-you-are switch
}

export interface Chat {
  chatId: string; // plays the Lark chat_id
  name: string;
  type: 'group' | 'p2p';
  owner?: string; // p2p: the person talking to the bot
}

export interface DirectoryData {
  people: Person[];
  chats: Chat[];
  /** Playground time minus real time, ms; only ever grows. */
  clockOffsetMs: number;
  nextId: number;
}

export const ADMIN_ID = 'ou_pg_admin';

export function initialDirectory(): DirectoryData {
  return {
    people: [
      { userId: 'ou_pg_zhang', name: '张三', note: '财务科' },
      { userId: 'ou_pg_li', name: '李四', note: '业务科' },
      { userId: 'ou_pg_wang', name: '王五', note: '办公室' },
      { userId: ADMIN_ID, name: '赵管理员', note: '管理员' },
      { userId: 'ou_pg_liu', name: '刘局长', note: '领导（由管理员设置）' },
    ],
    chats: [
      { chatId: 'oc_pg_1', name: '红云街道 行政综合性经费', type: 'group' },
      { chatId: 'oc_pg_2', name: '城管科 环卫专项', type: 'group' },
    ],
    clockOffsetMs: 0,
    nextId: 3,
  };
}

export type DirectoryResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A name typed by a user: trimmed, no control characters, short. */
function cleanName(raw: unknown, what: string, max: number): DirectoryResult<string> {
  const name = typeof raw === 'string' ? raw.replace(/[\u0000-\u001f\u007f]/g, '').trim() : '';
  if (!name) return { ok: false, error: `请填写${what}。` };
  if (Array.from(name).length > max) return { ok: false, error: `${what}最多 ${max} 个字。` };
  return { ok: true, value: name };
}

export class Directory {
  private data: DirectoryData;

  constructor(private readonly file?: string) {
    this.data = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DirectoryData) : initialDirectory();
    this.save();
  }

  private save(): void {
    if (this.file) writeFileSync(this.file, JSON.stringify(this.data, null, 2));
  }

  get people(): readonly Person[] {
    return this.data.people;
  }

  person(userId: string): Person | undefined {
    return this.data.people.find((p) => p.userId === userId);
  }

  addPerson(rawName: unknown): DirectoryResult<Person> {
    const name = cleanName(rawName, '姓名', 20);
    if (!name.ok) return name;
    if (/[@\s]/.test(name.value)) return { ok: false, error: '姓名里不能有空格或 @。' };
    if (this.data.people.some((p) => p.name === name.value)) return { ok: false, error: `已经有一位“${name.value}”了，换个名字吧。` };
    const person: Person = { userId: `ou_pg_${this.data.nextId++}`, name: name.value };
    this.data.people.push(person);
    this.save();
    return { ok: true, value: person };
  }

  /** Group chats for everyone, and this person's private chat with the bot. */
  chatsFor(userId: string | undefined): Chat[] {
    const groups = this.data.chats.filter((c) => c.type === 'group');
    return userId && this.person(userId) ? [...groups, this.privateChat(userId)] : groups;
  }

  chat(chatId: string): Chat | undefined {
    return this.data.chats.find((c) => c.chatId === chatId);
  }

  addGroup(rawName: unknown): DirectoryResult<Chat> {
    const name = cleanName(rawName, '群名称', 30);
    if (!name.ok) return name;
    const chat: Chat = { chatId: `oc_pg_${this.data.nextId++}`, name: name.value, type: 'group' };
    this.data.chats.push(chat);
    this.save();
    return { ok: true, value: chat };
  }

  /** The private chat between a person and the bot, made on first use (as Lark does). */
  privateChat(userId: string): Chat {
    let chat = this.data.chats.find((c) => c.type === 'p2p' && c.owner === userId);
    if (!chat) {
      chat = { chatId: `oc_pg_p2p_${userId}`, name: '与机器人单聊', type: 'p2p', owner: userId };
      this.data.chats.push(chat);
      this.save();
    }
    return chat;
  }

  get clockOffsetMs(): number {
    return this.data.clockOffsetMs;
  }

  set clockOffsetMs(ms: number) {
    this.data.clockOffsetMs = ms;
    this.save();
  }
}
