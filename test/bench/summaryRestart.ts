// A restarted bot's first 汇总: a new process opens the bench's SQLite file (whose
// figures an earlier process derived and stored) and answers one 汇总. Prints JSON.
import { createBot } from '../../src/bot';
import { openSqlite } from '../../src/store/sqlite';
import { held } from './loopProbe';
import { summaryOnce } from './summary';

const [file, now] = process.argv.slice(2);
const opened = openSqlite(file);
const bot = createBot({ store: opened.store, admins: [] });
const h = await held(() => summaryOnce(bot, Number(now)));
opened.close();
const cpu = process.cpuUsage();
const { value: _bytes, ...figures } = h;
process.stdout.write(JSON.stringify({ ...figures, processCpuMs: (cpu.user + cpu.system) / 1000 }));
