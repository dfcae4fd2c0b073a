// Receipts: the webhook's message events, kept durably before Lark gets its 200 and until
// the bot has them in its own inbox. A small SQLite file of its own, written only by the
// receiver thread (./receiverThread.ts): its commits never wait behind the bot's database,
// whose commits, checkpoints and collections would otherwise hold every acknowledgement.
// Dedupe and exactly-once stay where they were: the bot's inbox (store/inbox.ts) takes a
// receipt at most once however often it is handed over.
import Database from 'better-sqlite3';
import { createGroupCommit } from '../../store/groupCommit';
import { preparedStatements, SqlStatement } from '../../store/sql';

export type Receipt = { id: number; envelope: string };

/** WAL pages between checkpoints (SQLite's default is 1,000). */
const RECEIPTS_CHECKPOINT_PAGES = 4000;

/** Where the receipts of a bot database live: beside it. An in-memory database gets in-memory receipts. */
export function receiptsPathFor(dbPath: string): string {
  if (dbPath === ':memory:') return ':memory:';
  const file = dbPath.startsWith('file:') ? dbPath.slice('file:'.length).split('?')[0] : dbPath;
  return `${file}.receipts`;
}

export function openReceipts(path: string) {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // A checkpoint (two fsyncs) holds the thread for 3-7 ms on this kind of machine; at the default
  // 1,000 pages it came twice a second at 1,000 events/s. The file holds almost nothing, so a longer
  // WAL (16 MB at most) costs disk, not time.
  sqlite.pragma(`wal_autocheckpoint = ${RECEIPTS_CHECKPOINT_PAGES}`);
  sqlite.exec('create table if not exists receipt (id integer primary key, envelope text not null, received_at integer not null)');
  const { prepared, rowsOf } = preparedStatements(sqlite);
  // the receipts that arrive together share one commit, as the bot's writes do
  const groupCommit = createGroupCommit(sqlite, rowsOf);

  return {
    /** Keeps an event; resolves with its id once committed. */
    async keep(envelope: string, now: number): Promise<number> {
      const [rows] = await groupCommit([new SqlStatement('insert into receipt (envelope, received_at) values (?, ?) returning id', [envelope, now])]);
      return (rows[0] as { id: number }).id;
    },
    /** Forgets receipts the bot has in its inbox. */
    async forget(ids: readonly number[]): Promise<void> {
      if (ids.length) await groupCommit(ids.map((id) => new SqlStatement('delete from receipt where id = ?', [id])));
    },
    /** What was received and not yet taken, oldest first (at start, before the receiver runs). */
    all(): Receipt[] {
      return prepared('select id, envelope from receipt order by id').all() as Receipt[];
    },
    close(): void {
      sqlite.close();
    },
  };
}

export type Receipts = ReturnType<typeof openReceipts>;
