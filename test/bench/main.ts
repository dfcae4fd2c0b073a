// `npm run bench`: speed and memory figures, printed, not asserted. Targets:
// the three documents under 100 ms warm; a summary of 10,000 evaluations under 200 ms.
import { benchDocuments } from './documents';
import { benchLark } from './lark';
import { benchSummary } from './summary';
import { benchConversation } from './conversation';

const sections: [string, () => Promise<string[]>][] = [
  ['文档生成（附件1–3）', benchDocuments],
  ['飞书事件处理（webhook 全路径）', benchLark],
  ['领导汇总（10,000 个评价）', benchSummary],
  ['对话消息数（填完种子案例）', benchConversation],
];

for (const [title, run] of sections) {
  process.stdout.write(`\n== ${title} ==\n`);
  for (const line of await run()) process.stdout.write(`${line}\n`);
}
const mem = process.memoryUsage();
process.stdout.write(`\n内存：rss ${(mem.rss / 2 ** 20).toFixed(1)} MB，heapUsed ${(mem.heapUsed / 2 ** 20).toFixed(1)} MB\n`);
