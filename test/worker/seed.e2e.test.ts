// The seed case a second time, now against the Worker in workerd with a local D1:
// every line an encrypted, signed webhook event; 生成报告 pressed as a card button
// (a card callback); every reply sent by the Worker through the fake platform.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '../../src/domain/registry';
import { chatId, people, playSeed } from '../conversation/seedPlayer';
import { buildWorker, startWorkerHarness, throughWorker, type WorkerHarness } from './workerd';

let h: WorkerHarness;
let build: Awaited<ReturnType<typeof buildWorker>>;
let typed = 0;
let buttonAnswer: { toast?: { type: string; content: string } } = {};

beforeAll(async () => {
  build = await buildWorker();
  // no pacing in this test: ~400 replies to one chat at 5 per second would take 80 s
  h = await startWorkerHarness({ build, sendRate: { perChat: 10_000, perApp: 10_000 } });
  typed = (await playSeed(throughWorker(h), h.store, () => Date.now())).lines.length;
  const res = await h.side.post(h.side.cardAction({ chatId, operatorId: people.funds.userId, value: { kind: 'command', command: '生成报告 确认' } }));
  expect(res.status).toBe(200);
  buttonAnswer = (await res.json()) as typeof buttonAnswer;
  await h.settled(60_000);
}, 240_000);
afterAll(async () => {
  await h?.close();
  build?.cleanup();
});

describe('the seed case on Workers (workerd, D1)', () => {
  it('stores every answer of the example in D1, each once', async () => {
    const ev = await h.store.findEvaluationByChat(chatId);
    const answers = await h.store.getAnswers(ev!.id);
    const expected = Object.fromEntries(Object.entries(examples['wuhua-2024'].answers).filter(([k]) => !k.startsWith('weights.')));
    expect(answers).toEqual(expected);
    expect((await h.store.getHistory(ev!.id)).length).toBe(Object.keys(expected).length);
    expect(typed).toBeGreaterThan(100);
  });

  it('finished every message it accepted and sent each reply once', async () => {
    const counts = h.fake.countByUuid();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const inbound = await h.d1.prepare('SELECT count(*) AS n, sum(done_at IS NULL) AS open FROM inbox').first<{ n: number; open: number }>();
    expect(inbound).toEqual({ n: typed, open: 0 });
    const sent = await h.d1.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'sent'").first<{ n: number }>();
    expect(counts.size).toBe(sent!.n);
    expect(await h.store.pendingCount()).toBe(0);
  });

  it('posted the three documents, generated inside workerd, as .docx files', async () => {
    expect(buttonAnswer.toast?.type).not.toBe('error');
    const files = [...h.fake.files.values()].filter((f) => h.fake.messages.some((m) => m.msgType === 'file' && JSON.parse(m.content).file_key === f.fileKey));
    expect(files.map((f) => f.fileName).sort()).toEqual([expect.stringContaining('附件1-评价表.docx'), expect.stringContaining('附件2-绩效评价报告.docx'), expect.stringContaining('附件3-问题清单.docx')]);
    for (const f of files) {
      const zip = await JSZip.loadAsync(f.bytes);
      const xml = await zip.file('word/document.xml')!.async('string');
      expect(xml, f.fileName).toContain('行政综合性经费');
    }
    const report = files.find((f) => f.fileName.includes('报告'))!;
    const xml = await (await JSZip.loadAsync(report.bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('97'); // the seed's total score
  });
});

describe('汇总 on Workers', () => {
  it('a leader gets the summary card and its .xlsx, written and deflated inside workerd, twice the same', async () => {
    const boss = { userId: 'ou_worker_leader', name: '赵局长' };
    await h.store.setRole(boss.userId, 'leader', boss.name, 'ou_admin', Date.now());
    const ask = () => throughWorker(h).handle({ actor: boss, place: { chatId, chatType: 'group' }, message: { type: 'text', text: '汇总' }, now: Date.now() });
    const xlsxOf = () => [...h.fake.files.values()].filter((f) => f.fileName.startsWith('绩效自评汇总_'));
    await ask();
    await ask(); // the isolate's kept answer: the same bytes
    const files = xlsxOf();
    expect(files).toHaveLength(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(files[1].bytes) as never);
    const row = (wb.getWorksheet('汇总')!.getRow(2).values as unknown[]).slice(1);
    expect(row.slice(0, 8)).toEqual([1, '行政综合性经费', '五华区红云街道办事处', 2024, 273.45, 172.91, 129.94, 0.7515]);
    expect(Buffer.from(files[0].bytes).equals(Buffer.from(files[1].bytes))).toBe(true);
  });
});
