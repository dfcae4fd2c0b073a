// `npm run chaos [-- --kills 50 --chats 8 --lines 400 --seed 9]`: see run.ts. Exits 1 on any loss.
import { failed, runChaos } from './run';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const result = await runChaos({ chats: arg('chats', 8), kills: arg('kills', 50), lines: arg('lines', Infinity), seed: arg('seed', 9), log: (s) => console.log(`[chaos] ${s}`) });
console.log(`消息（已应答 / 共）        ${result.acknowledged} / ${result.messages}（投递 ${result.deliveries} 次）
答案存在正确的题目          ${result.storedRight}
丢失                        ${result.lost}
错位                        ${result.misplaced}
回复重复发送                ${result.repliesSentTwice}
回复缺失                    ${result.repliesMissing}（应发 ${result.repliesExpected}）
收件箱未处理                ${result.pendingInbox}
kill -9 次数                ${result.kills}
用时                        ${result.seconds} 秒`);
process.exit(failed(result) ? 1 : 0);
