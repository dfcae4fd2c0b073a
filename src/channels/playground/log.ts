// What the playground's chats show: every message in order, as Lark would keep it.
// The bot's messages arrive here through the outbox and the sender (see client.ts),
// people's messages when they send them. Appended to a JSON-lines file (a changed
// card is written again; the last line of an id wins) so a restart keeps history.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export type Sender = { kind: 'user'; userId: string; name: string } | { kind: 'bot' };

export interface Entry {
  messageId: string;
  chatId: string;
  seq: number;
  at: number; // playground time
  from: Sender;
  kind: 'text' | 'card' | 'file';
  /** user text: what was typed; bot text: Lark's text content JSON; card: Lark card JSON. */
  content: string;
  mentions?: { userId: string; name: string }[];
  replyTo?: string;
  file?: { key: string; name: string; size: number };
  updated?: number; // times the card was replaced (update_multi)
}

export type LogEvent = { type: 'message' | 'update'; entry: Entry };

export class MessageLog {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(e: LogEvent) => void>();
  private seq = 0;

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line) as Entry;
          this.entries.set(e.messageId, e);
          this.seq = Math.max(this.seq, e.seq);
        } catch {
          // a line cut short by a crash: the rest of the history is still good
        }
      }
    }
  }

  private persist(e: Entry): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(e)}\n`);
  }

  private emit(event: LogEvent): void {
    for (const l of this.listeners) l(event);
  }

  add(entry: Omit<Entry, 'seq'>): Entry {
    const e: Entry = { ...entry, seq: ++this.seq };
    this.entries.set(e.messageId, e);
    this.persist(e);
    this.emit({ type: 'message', entry: e });
    return e;
  }

  /** A card replaced in place (the callback answered with a new card). */
  replaceCard(messageId: string, content: string): Entry | undefined {
    const old = this.entries.get(messageId);
    if (!old || old.kind !== 'card') return undefined;
    const e: Entry = { ...old, content, updated: (old.updated ?? 0) + 1 };
    this.entries.set(messageId, e);
    this.persist(e);
    this.emit({ type: 'update', entry: e });
    return e;
  }

  get(messageId: string): Entry | undefined {
    return this.entries.get(messageId);
  }

  inChat(chatId: string): Entry[] {
    return [...this.entries.values()].filter((e) => e.chatId === chatId).sort((a, b) => a.seq - b.seq);
  }

  subscribe(listener: (e: LogEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
