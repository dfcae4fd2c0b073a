// The seam between the dialog engine and every channel (Lark, terminal, tests).
// The engine speaks only these types: who said what where, and what to say back.
// A channel turns a Card into Lark JSON, terminal text or HTML.

export interface Actor {
  userId: string; // Lark open_id, or a name in the terminal
  name: string;
}

export interface Place {
  chatId: string;
  chatType: 'group' | 'p2p';
  tenantKey?: string;
}

/** What a button or a submitted form sends back to the engine. */
export type CardAction =
  | { kind: 'command'; command: string } // a button that runs a command, e.g. "填写 项目基本信息"
  | {
      kind: 'submit';
      evaluationId?: number; // the evaluation the card was made for: a forwarded or stale card is refused
      sectionId: string;
      index?: number; // item of a repeated section
      values: Record<string, string>; // field name → what was typed or chosen
    };

export type Incoming =
  | { type: 'text'; text: string; mentions?: Actor[]; messageId?: string }
  | { type: 'action'; action: CardAction; messageId?: string }
  /** A Word or Excel file sent to the chat; the channel fetches the bytes before the bot sees it. */
  | { type: 'file'; fileName: string; fileKey?: string; bytes?: Uint8Array; size?: number; messageId?: string };

export interface Input {
  actor: Actor;
  place: Place;
  message: Incoming;
  now: number; // epoch ms; time is passed in so tests and reminders run on a fake clock
}

export interface FormField {
  name: string;
  label: string;
  kind: 'input' | 'textarea' | 'select' | 'date';
  required: boolean;
  options?: string[];
  value?: string; // what is stored now
  placeholder?: string;
  error?: string; // the parser's message after a bad submission
  saved?: boolean; // shown as saved after a good submission
}

export type CardBlock =
  | { type: 'text'; text: string } // lark_md-safe plain text with **bold**
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'form'; name: string; fields: FormField[]; submit: { label: string; action: CardAction } }
  | { type: 'buttons'; buttons: { label: string; action: CardAction; style?: 'primary' | 'default' | 'danger' }[] }
  | { type: 'chart'; chart: Chart }
  | { type: 'divider' };

/**
 * A chart in the bot's own terms; each channel draws it (Lark: a VChart chart_spec;
 * terminal: text bars; playground: SVG). Numbers are plain (a rate of 75.15% is 75.15).
 */
export interface Chart {
  kind: 'bar' | 'pie' | 'line';
  title: string;
  categories: string[]; // the x axis (bar, line) or the slices (pie)
  series: { name: string; values: number[] }[]; // one value per category; a pie has one series
  unit?: string; // '%', '项'
  threshold?: { value: number; label: string }; // a reference line, e.g. the 90% execution rate
}

export interface Card {
  title: string;
  tone?: 'blue' | 'green' | 'orange' | 'red' | 'grey';
  blocks: CardBlock[];
}

export type Outgoing =
  /**
   * `prompt`: the end of `text` that asks the person their next question. When replies to one
   * chat pile up, the channel may send them as one message, keeping only the newest question.
   */
  | { type: 'text'; text: string; mentions?: Actor[]; prompt?: string }
  | { type: 'card'; card: Card }
  | { type: 'file'; fileName: string; bytes: Uint8Array };

export interface Toast {
  kind: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

/** What handling one input produced, after its writes were applied. */
export interface Output {
  messages: Outgoing[];
  /** for card callbacks: answered inline within Lark's 3 seconds */
  toast?: Toast;
  updatedCard?: Card;
}

/**
 * A message kept in a channel's inbox: the bot may queue the replies and close the
 * entry in the same transaction as its own writes, and then sets `done`.
 */
export interface InboundCommit {
  key: string;
  /** People named in the event besides the sender, to record as members. */
  members: Actor[];
  /** The outbox items for the replies (the channel decides where they go). */
  replies(output: Output): import('./outbox').OutboxItem[];
  done?: boolean;
}

/** The bot as channels see it: one input in, replies out. Writes are done before it returns. */
export interface Bot {
  handle(input: Input, inbound?: InboundCommit): Promise<Output>;
}
