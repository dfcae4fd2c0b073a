// The .xlsx built from slices compressed separately: the joined deflate stream and the
// combined CRC are what a zip reader checks; and a spreadsheet rewritten with one row
// changed among 600, reusing the other slices, reads back exactly as one written from
// scratch.
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildSummary, type EvaluationFacts } from '../../src/domain/summary';
import { newSummaryXlsxCache, summaryXlsx } from '../../src/summary/xlsx';
import { concat, crc32, crc32Combine, deflateSegment, segmentDeflater } from '../../src/summary/zip';

const text = (n: number, seed: number) => new TextEncoder().encode(Array.from({ length: n }, (_, i) => `<row r="${i + seed}">五华区第${(i * seed) % 40}街道</row>`).join(''));

describe('segments', () => {
  it('the CRC of joined parts is combined from the parts’ CRCs and lengths', () => {
    const parts = [text(10, 1), new Uint8Array(0), text(3000, 7), text(1, 3)];
    let crc = 0;
    for (const p of parts) crc = crc32Combine(crc, crc32(p), p.length);
    expect(crc).toBe(crc32(concat(parts)));
  });

  it('segments deflated on their own, joined and ended with a final block, inflate to the whole', async () => {
    {
      const deflate = await segmentDeflater();
      const parts = [text(500, 1), text(2, 9), new Uint8Array(0), text(4000, 5)];
      const joined = concat([...parts.map((p) => deflateSegment(deflate, p).data), new Uint8Array([0x03, 0x00])]);
      expect(Buffer.from(inflateRawSync(joined)).equals(Buffer.from(concat(parts)))).toBe(true);
    }
  });
});

const facts = (n: number, unitOf: (i: number) => string): EvaluationFacts[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    projectName: `项目${i + 1}`,
    year: 2024,
    templateId: 'wuhua-2024',
    chatId: `oc_${i}`,
    status: i % 3 ? 'filling' : 'generated',
    deadline: i % 5 ? '2025-05-31' : '2025-05-20',
    assignments: [],
    unit: unitOf(i),
    total: { budget: BigInt(100_000 + i), arrived: 90_000n, spent: BigInt(60_000 + i * 10) },
    executionRate: 6667 + i,
    score: 9000 + i,
    grade: '优',
    sectionsDone: 5,
    sectionsTotal: 21,
    gaps: i % 3 ? [{ sectionId: 's', title: 't', missing: ['m'] }] : [],
    answeredBy: [],
  }));

async function cells(bytes: Uint8Array): Promise<unknown[][][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as never);
  return wb.worksheets.map((s) => Array.from(s.getSheetValues().slice(1), (r) => (Array.isArray(r) ? r.slice(1) : [])));
}

describe('a spreadsheet rewritten with one row changed', () => {
  it('reuses the other slices and reads back as one written from scratch', async () => {
    const today = '2025-06-05';
    const s1 = buildSummary(facts(600, (i) => `单位${i % 7}`), {}, today);
    const cache = newSummaryXlsxCache();
    const first = await summaryXlsx(s1, cache);
    const slices = () => cache.sheets.get('汇总')!.slices.map((x) => x.deflated);
    const firstSlices = slices();
    // the same row objects where nothing changed (as ../../src/summary/kept hands them over), one new one
    const s2 = { ...s1, rows: s1.rows.map((r, i) => (i === 300 ? { ...r, unit: '改过的单位 & <新>' } : r)) };
    const changed = await summaryXlsx(s2, cache);
    // rows 251–500 are the second slice of 250: only it was written again, and the last one, which holds the totals row
    expect(slices().map((d, i) => d === firstSlices[i])).toEqual([true, false, false]);
    const scratch = await cells(await summaryXlsx(s2));
    expect(await cells(changed)).toEqual(scratch);
    expect(scratch[0][301][2]).toBe('改过的单位 & <新>');
    expect(scratch[0].length).toBe(602);
    expect(await cells(first)).toEqual(await cells(await summaryXlsx(s1)));
  });
});
