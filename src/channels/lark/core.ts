// The transport-independent heart of the Lark channel: a verified, decrypted
// event envelope in, the HTTP/WS answer out. The webhook (app.ts) and the long
// connection (ws.ts) both feed it, so both dedupe, record and reply the same way.
import type { Bot, InboundCommit, Input, Output } from '../../conversation/types';
import { renderCard } from './cards';
import { cardActionToInput, messageToInput, NameCache, type CardActionEvent, type Envelope, type MessageEvent } from './events';
import { createChatQueues } from './chatQueue';
import { NameResolver, type NameLookup } from './names';
import { outboxItems, type OutboxItem } from './outgoing';
import { type DownloadFile, withFile } from './files';
import { timeOrderedUuid } from './uuid';

/** The part of the store the inbound side uses (the real Store fits it). */
export interface InboundStore {
  markHandled(key: string, now: number): Promise<boolean>;
  enqueueOutgoing(items: OutboxItem[], now: number): Promise<number[]>;
  /** One write: the message's dedupe key and what it carries. False when the key was already received. */
  receiveInbound(key: string, payload: unknown, now: number): Promise<boolean>;
  /** A received message by key, and whether its work was recorded (done). */
  getInbound(key: string): Promise<{ key: string; payload: unknown; receivedAt: number; done: boolean } | undefined>;
  pendingInbound(limit?: number): Promise<{ key: string; payload: unknown; receivedAt: number }[]>;
  completeInbound(key: string, items: OutboxItem[], now: number): Promise<void>;
  seeMember(chatId: string, userId: string, userName: string, now: number): Promise<void>;
  listMembers?(chatId: string): Promise<{ userId: string; userName: string }[]>;
}

export interface Logger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface CoreDeps {
  /**
   * A redelivered message whose work is unfinished is run again only if it arrived at least this
   * long ago. Default 0; on Workers another isolate may still be running it, which `inFlight` cannot see.
   */
  rerunUnfinishedAfterMs?: number;
  store: InboundStore;
  bot: Bot;
  /** The bot's own open_id, to drop its @-mention; may be learnt after start-up. */
  botOpenId?: () => string | undefined;
  now?: () => number;
  newUuid?: () => string;
  names?: NameCache;
  logger?: Logger;
  /** Card callbacks must be answered within 3 s; past this we answer and finish in the background. */
  cardTimeoutMs?: number;
  /** Called after messages were queued, e.g. to wake the sender. */
  onEnqueued?: () => void;
  /**
   * Finds the name of a sender nobody has @-mentioned yet, e.g. `contactNameLookup(client)`
   * (needs the scope contact:user.base:readonly). Without it such senders are shown by open_id.
   */
  lookupName?: NameLookup;
  /** How long a message waits for a name lookup; it runs after Lark was answered. Default 800 ms. */
  nameTimeoutMs?: number;
  /** How long a card callback waits for a name lookup, out of its 3 seconds. Default 500 ms. */
  cardNameTimeoutMs?: number;
  /** After a failed lookup, that person is shown by open_id without asking again for this long. Default 10 minutes. */
  nameRetryAfterMs?: number;
  /** Fetches a file sent to the chat (`messageFileDownloader(client)`); without it files reach the bot without bytes. */
  downloadFile?: DownloadFile;
  /** How long a chat's queue waits for deliveries arriving together before picking the first. Default 20 ms. */
  orderSettleMs?: number;
}

/** The JSON to answer a callback with: `{}` or a toast and/or a replacement card. */
export type CallbackAnswer = Record<string, unknown>;

export const BOT_ERROR_TEXT = '抱歉，处理这条消息时出了问题，请稍后再试。如果一直这样，请联系管理员。';

export interface LarkCore {
  handleEvent(envelope: Envelope): Promise<CallbackAnswer>;
  /** Resolves when all background work started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Handle the messages accepted before a crash or restart but never finished. Returns how many.
   * `receivedBefore`: only those received earlier (on Workers, newer ones may still be in another isolate's hands).
   * `maxAttempts`: a message whose handling was started this often and never finished (on Workers: cut off at
   * the CPU limit each time) is answered with an apology and closed, so it cannot block later runs forever.
   */
  recover(options?: { receivedBefore?: number; maxAttempts?: number }): Promise<number>;
  names: NameCache;
}

export function createLarkCore(deps: CoreDeps): LarkCore {
  const now = deps.now ?? Date.now;
  const newUuid = deps.newUuid ?? (() => timeOrderedUuid());
  const names = deps.names ?? new NameCache();
  const log = deps.logger ?? console;
  const cardTimeoutMs = deps.cardTimeoutMs ?? 2500;
  const nameTimeoutMs = deps.nameTimeoutMs ?? 800;
  const cardNameTimeoutMs = deps.cardNameTimeoutMs ?? 500;
  const resolver = new NameResolver({ names, lookup: deps.lookupName, now, logger: log, retryAfterMs: deps.nameRetryAfterMs });
  const pending = new Set<Promise<void>>();
  const loadedChats = new Set<string>();
  const chats = createChatQueues({ settleMs: deps.orderSettleMs ?? 20 });
  /** Inbox keys queued or running in this process: a redelivery of one of them is a duplicate. */
  const inFlight = new Set<string>();

  function track(work: Promise<void>): void {
    const p = work.catch((e) => log.error('[lark] background work failed', e)).finally(() => pending.delete(p));
    pending.add(p);
  }

  /** Fill the name cache from the chat's recorded members once per chat, so names survive a restart. */
  async function warmNames(chatId: string): Promise<void> {
    if (loadedChats.has(chatId) || !deps.store.listMembers) return;
    loadedChats.add(chatId);
    for (const m of await deps.store.listMembers(chatId)) if (!names.get(m.userId) && m.userName !== m.userId) names.set(m.userId, m.userName);
  }

  async function enqueue(output: Output, chatId: string, replyTo: string | undefined): Promise<void> {
    const items = outboxItems(output, chatId, replyTo, newUuid);
    if (items.length === 0) return;
    await deps.store.enqueueOutgoing(items, now());
    deps.onEnqueued?.();
  }

  /** What the inbox keeps for a message until its replies are queued. `order`: Lark's create_time (ms). */
  type Inbound = { input: Input; named: { userId: string; name: string }[]; order?: number; dropped?: string[] };

  /**
   * The input with the actor's name filled in when only the open_id was known. Never throws.
   * `late` is a lookup that outlasted the wait: its name lands in the cache by itself.
   */
  async function withActorName(input: Input, timeoutMs: number): Promise<{ input: Input; late?: Promise<unknown> }> {
    const actor = input.actor;
    if (actor.name && actor.name !== actor.userId) return { input };
    const name = await resolver.resolve(actor.userId, timeoutMs).catch(() => actor.userId);
    const late = name === actor.userId ? resolver.running(actor.userId) : undefined;
    return { input: name === actor.name ? input : { ...input, actor: { ...actor, name } }, late };
  }

  /** Record a name that came too late for the message, once `after` (the bot's own recording under the open_id) is done. */
  function recordLateName(chatId: string, userId: string, late: Promise<unknown> | undefined, after: Promise<unknown>): void {
    if (!late) return;
    track(
      Promise.all([late, after.catch(() => undefined)]).then(async () => {
        const name = names.get(userId);
        if (name) await deps.store.seeMember(chatId, userId, name, now());
      }),
    );
  }

  async function runMessage(key: string, received: Input, named: { userId: string; name: string }[], dropped?: string[]): Promise<void> {
    // Lark has been answered already: a lookup here does not count against its 3 seconds.
    const named0 = await withActorName(received, nameTimeoutMs);
    const late = named0.late;
    const input = await withFile(named0.input, deps.downloadFile, log);
    const chatId = input.place.chatId;
    const replyTo = input.message.messageId;
    // The bot may write the replies and the end of the inbox entry in its own transaction
    // (then `done`); otherwise they are one write here: either both or neither.
    // a rich-text message's pictures, files… were not read: the replies say so rather than pass over them
    const note = dropped?.length ? `（消息里的${dropped.join('、')}没有读取，只看了文字。）` : undefined;
    const withNote = (out: Output): Output => (note ? { ...out, messages: [...out.messages, { type: 'text', text: note }] } : out);
    const inbound: InboundCommit = { key, members: named, replies: (out) => outboxItems(withNote(out), chatId, replyTo, newUuid, input.actor.userId) };
    let output: Output;
    try {
      output = await deps.bot.handle(input, inbound);
    } catch (error) {
      log.error('[lark] bot.handle failed', error);
      output = { messages: [{ type: 'text', text: BOT_ERROR_TEXT }] };
    }
    if (!inbound.done) {
      for (const a of named) await deps.store.seeMember(chatId, a.userId, a.name, input.now);
      await deps.store.seeMember(chatId, input.actor.userId, input.actor.name, input.now);
      await deps.store.completeInbound(key, inbound.replies(output), now());
    }
    deps.onEnqueued?.();
    recordLateName(chatId, input.actor.userId, late, Promise.resolve());
  }

  /** Queue a received message in its chat; resolves when it has been handled (or failed, logged). */
  function schedule(key: string, inbound: Inbound, order: number): Promise<void> {
    if (inFlight.has(key)) return Promise.resolve();
    inFlight.add(key);
    const done = chats
      .run(inbound.input.place.chatId, order, () => runMessage(key, inbound.input, inbound.named, inbound.dropped))
      .catch((e) => log.error('[lark] message handling failed; it stays in the inbox for the next delivery or restart', key, e))
      .finally(() => inFlight.delete(key));
    track(done);
    return done;
  }

  async function onMessage(envelope: Envelope): Promise<CallbackAnswer> {
    const event = (envelope.event ?? {}) as MessageEvent;
    const header = envelope.header ?? {};
    const at = now();
    const botId = deps.botOpenId?.();
    // Lark does not echo the bot's own messages, but be safe against loops.
    if (botId && event.sender?.sender_id?.open_id === botId) return {};
    if (event.sender?.sender_type === 'app') return {};
    const chatId = event.message?.chat_id;
    if (chatId) await warmNames(chatId);
    const converted = messageToInput(event, header, botId, names, at);
    if (!converted) {
      log.warn('[lark] message event without chat or sender', header.event_id);
      return {};
    }
    // The inbox row is the dedupe key: one write, so a crash or a failed write can never
    // leave a key without the message behind it (Lark's redelivery would then be dropped).
    // A new event id for the same message lands on the same key.
    const key = `message:${event.message?.message_id ?? header.event_id}`;
    const order = createTimeOf(event.message?.create_time, header.create_time, at);
    const inbound: Inbound = { input: converted.input, named: converted.named, order, ...(converted.dropped ? { dropped: converted.dropped } : {}) };
    if (!(await deps.store.receiveInbound(key, inbound, at))) {
      // Seen before. If its work was never recorded and nobody here is doing it (a failed
      // write, a crash), this delivery is the chance to finish it.
      const row = inFlight.has(key) ? undefined : await deps.store.getInbound(key);
      if (row && !row.done && at - row.receivedAt >= (deps.rerunUnfinishedAfterMs ?? 0)) schedule(key, row.payload as Inbound, (row.payload as Inbound).order ?? row.receivedAt);
      return {};
    }
    // Answer Lark now; the engine and the outbox run after the response (3-second rule).
    schedule(key, inbound, order);
    return {};
  }

  async function onCardAction(envelope: Envelope): Promise<CallbackAnswer> {
    const event = (envelope.event ?? {}) as CardActionEvent;
    const header = envelope.header ?? {};
    const at = now();
    const started = Date.now(); // real time: the 3 seconds are real whatever clock `now` is
    if (!(await firstTime(header.event_id, at))) return {};
    const chatId = event.context?.open_chat_id;
    if (chatId) await warmNames(chatId);
    const converted = cardActionToInput(event, header, names, at);
    if (!converted) {
      log.warn('[lark] card action without operator, chat or a value of ours', header.event_id);
      return { toast: { type: 'warning', content: '无法识别这个操作，请重新发送指令。' } };
    }
    const { input, late } = await withActorName(converted, cardNameTimeoutMs);
    await deps.store.seeMember(input.place.chatId, input.actor.userId, input.actor.name, at);

    // in the chat's queue, so a save never overtakes the answers typed before it
    const order = createTimeOf(undefined, header.create_time, at);
    const work = chats.run(input.place.chatId, order, () => deps.bot.handle(input)).then(
      (output) => ({ output }),
      (error: unknown) => ({ error }),
    );
    recordLateName(input.place.chatId, input.actor.userId, late, work);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      // whatever the name lookup took comes out of the bot's time
      timer = setTimeout(() => resolve('timeout'), Math.max(0, cardTimeoutMs - (Date.now() - started)));
    });
    const first = await Promise.race([work, timeout]);
    clearTimeout(timer);
    if (first === 'timeout') {
      // Too slow for an inline answer: say so, and post the result as new messages when it comes.
      track(
        work.then(async (r) => {
          const output: Output = 'output' in r ? r.output : { messages: [{ type: 'text', text: BOT_ERROR_TEXT }] };
          const messages = output.updatedCard ? [{ type: 'card' as const, card: output.updatedCard }, ...output.messages] : output.messages;
          await enqueue({ messages }, input.place.chatId, undefined);
        }),
      );
      return { toast: { type: 'info', content: '正在处理，结果稍后发到群里。' } };
    }
    if ('error' in first) {
      log.error('[lark] bot.handle failed on a card action', first.error);
      return { toast: { type: 'error', content: '处理失败，请稍后再试。' } };
    }
    const output = first.output;
    await enqueue(output, input.place.chatId, undefined);
    const answer: CallbackAnswer = {};
    if (output.toast) answer.toast = { type: output.toast.kind, content: output.toast.text };
    if (output.updatedCard) answer.card = { type: 'raw', data: renderCard(output.updatedCard) };
    return answer;
  }

  /** Counts a recovery attempt in the dedupe table (no schema of its own); false when all were used. */
  async function startAttempt(key: string, maxAttempts: number): Promise<boolean> {
    for (let n = 1; n <= maxAttempts; n++) if (await deps.store.markHandled(`recover:${n}:${key}`, now())) return true;
    return false;
  }

  /** A card callback is new when its own event id is: every press of a button is its own event. */
  async function firstTime(eventId: string | undefined, at: number): Promise<boolean> {
    return !eventId || (await deps.store.markHandled(`event:${eventId}`, at));
  }

  return {
    names,
    async handleEvent(envelope) {
      const type = envelope.header?.event_type;
      if (type === 'im.message.receive_v1') return onMessage(envelope);
      if (type === 'card.action.trigger') return onCardAction(envelope);
      // Other subscribed events (bot added to a chat, …) are acknowledged and ignored.
      return {};
    },
    async recover(options = {}) {
      // Oldest first by Lark's create_time; each chat's queue keeps that order, chats run side by side.
      const before = options.receivedBefore ?? Infinity;
      let handled = 0;
      const tried = new Set<string>();
      for (;;) {
        const rows = (await deps.store.pendingInbound(1000)).filter((r) => !tried.has(r.key) && r.receivedAt < before);
        if (rows.length === 0) break;
        const runs = rows.map(async (row) => {
          tried.add(row.key);
          const inbound = row.payload as Inbound;
          if (options.maxAttempts !== undefined && !(await startAttempt(row.key, options.maxAttempts))) {
            log.error(`[lark] giving up on ${row.key}: its handling never finished in ${options.maxAttempts} attempts`);
            const { chatId } = inbound.input.place;
            await deps.store.completeInbound(row.key, outboxItems({ messages: [{ type: 'text', text: BOT_ERROR_TEXT }] }, chatId, inbound.input.message.messageId, newUuid), now());
            return;
          }
          return schedule(row.key, inbound, inbound.order ?? row.receivedAt);
        });
        await Promise.all(runs);
        handled += rows.length;
      }
      return handled;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
      await chats.idle();
      await resolver.idle();
    },
  };
}

/** Lark's create_time (ms, as a string) of the message, else of the event, else arrival. */
function createTimeOf(messageTime: string | undefined, headerTime: string | undefined, at: number): number {
  for (const t of [messageTime, headerTime]) {
    const n = Number(t);
    if (t && Number.isFinite(n) && n > 0) return n;
  }
  return at;
}
