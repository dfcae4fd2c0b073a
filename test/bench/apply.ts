// Answers applied: the seed conversation replayed in many chats at once through the
// Lark core and the real bot on a real SQLite file (no HTTP: the ack path is measured
// in ./http.ts). The answers figure is the answering part of the script (after 填写, before
// 进度 and 生成报告: documents have their own figures), per CPU-second; the SQL counts and
// the flatness check cover it too, as evaluations fill.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../../src/bot';
import { gateBot } from '../../src/bot/gate';
import { createLarkCore } from '../../src/channels/lark/core';
import type { Envelope } from '../../src/channels/lark/events';
import { openSqlite } from '../../src/store/sqlite';
import { createLarkSide } from '../lark/larkSide';
import { threadCpuMs } from './loopProbe';
import { answeringLines, lineEvent, seedScript } from './seedScript';
import { countSql, type RecordedStatement, type SqlCounts } from './sqlCount';
import { replayCpuMs } from './sqlFloor';

const quiet = { info() {}, warn() {}, error() {} };

export interface ApplyFigures {
  messages: number;
  answers: number;
  /** per CPU-second of this process (the figure for one core) */
  perSecond: number;
  /** CPU µs per message on the event loop's thread, and on V8's other threads (GC, compiler) */
  loopUsPerMessage: number;
  otherThreadsUsPerMessage: number;
  answersPerSecond: number;
  wallPerSecond: number;
  /** CPU µs per message in each quarter of the answering part: flat means the cost does not grow as evaluations fill. */
  quarterUs: number[];
  /** the whole script (new evaluation, assignments, answers, 生成报告), messages per CPU-second */
  wholeScriptPerSecond: number;
  /** the answering part's SQL alone (./sqlFloor.ts), messages per CPU-second */
  sqlFloorPerSecond: number;
  sql: SqlCounts;
  perMessage: { statements: number; prepares: number; commits: number; rowsRead: number };
}

export async function measureApply(chats = 100): Promise<ApplyFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-apply-'));
  const counter = countSql();
  const opened = openSqlite(join(dir, 'bench.sqlite'));
  try {
    const bot = gateBot(createBot({ store: opened.store })); // as the Node runtime runs it
    const core = createLarkCore({ store: opened.store, bot, botOpenId: () => 'ou_bot', logger: quiet });
    const side = createLarkSide({ encryptKey: 'k', verificationToken: 't', send: () => new Response() });
    const script = seedScript();
    const { from, to } = answeringLines(script);
    const chatIds = Array.from({ length: chats }, (_, i) => `oc_bench_${i}`);
    const rounds = script.map((line, seq) => chatIds.map((chat) => lineEvent(side, line, chat, 'ou_bot', seq) as Envelope));
    const answered = () => (opened.db.$client.prepare('select count(*) as n from answer_history').get() as { n: number }).n;
    const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
    const quarter = Math.ceil((to - from) / 4);
    const quarterMs = [0, 0, 0, 0];
    let answeringMs = 0;
    let loopMs = 0; // of that, on the event loop's thread
    let answers = 0;
    let sql: SqlCounts = counter.reset();
    let recorded: RecordedStatement[] = [];
    const file = join(dir, 'bench.sqlite');
    const floorFile = join(dir, 'floor.sqlite');
    // BENCH_PROFILE=file.cpuprofile: a CPU profile of the answering part alone
    const profile = process.env.BENCH_PROFILE ? answeringProfile(process.env.BENCH_PROFILE) : undefined;
    const whole0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < rounds.length; r++) {
      const counted = r >= from && r < to;
      if (r === from) {
        answers = -answered(); // read outside the counted window: the probe is not the bot's SQL
        opened.db.$client.pragma('wal_checkpoint(TRUNCATE)');
        copyFileSync(file, floorFile); // the database as the answering part finds it, for the SQL floor
        counter.reset();
        counter.record();
        await profile?.start();
      }
      const c = process.cpuUsage();
      const t = threadCpuMs();
      // delivered at once, as Lark delivers events of many chats: the runtime commits them together
      await Promise.all(rounds[r].map((envelope) => core.handleEvent(envelope)));
      await core.idle();
      const ms = cpuMs(process.cpuUsage(c));
      if (!counted) continue;
      answeringMs += ms;
      loopMs += threadCpuMs() - t;
      quarterMs[Math.floor((r - from) / quarter)] += ms;
      if (r === to - 1) {
        sql = counter.reset();
        recorded = counter.recorded();
        answers += answered();
        await profile?.stop();
      }
    }
    const wallMs = performance.now() - t0;
    const wholeMs = cpuMs(process.cpuUsage(whole0));
    const messages = (to - from) * chats;
    const floorMs = replayCpuMs(floorFile, recorded);
    const per = (x: number) => Math.round((x / messages) * 10) / 10;
    return {
      messages,
      answers,
      // CPU time, not wall time: on a machine shared with other work the wall clock measures the neighbours
      perSecond: (messages / answeringMs) * 1000,
      loopUsPerMessage: (loopMs * 1000) / messages,
      otherThreadsUsPerMessage: ((answeringMs - loopMs) * 1000) / messages,
      answersPerSecond: (answers / answeringMs) * 1000,
      wallPerSecond: ((rounds.length * chats) / wallMs) * 1000,
      wholeScriptPerSecond: ((rounds.length * chats) / wholeMs) * 1000,
      sqlFloorPerSecond: (messages / floorMs) * 1000,
      quarterUs: quarterMs.map((ms, i) => (ms * 1000) / (Math.min(quarter, to - from - i * quarter) * chats)),
      sql,
      perMessage: { statements: per(sql.statements), prepares: per(sql.prepares), commits: per(sql.commits), rowsRead: per(sql.rowsRead) },
    };
  } finally {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function answeringProfile(file: string) {
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<any>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  return {
    async start() {
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    async stop() {
      writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile));
      session.disconnect();
    },
  };
}

// Run directly: npx tsx test/bench/apply.ts [chats]
if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await measureApply(Number(process.argv[2] ?? 100));
  console.log(JSON.stringify(f, null, 1));
}
