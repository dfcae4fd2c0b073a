// An .xlsx as tables: each sheet one table of cell text (a merged range's text in its
// first cell only, as Word prints it), plus each row holding a single text as a
// paragraph, so that headings and "标签：内容" lines read as in a Word file.
import type { Block } from './blocks';

export async function xlsxBlocks(bytes: Uint8Array): Promise<Block[]> {
  // loaded when first needed: exceljs is ~10 MB of memory the answering path never uses
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const out: Block[] = [];
  wb.eachSheet((sheet) => {
    const rows: string[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) {
        const cell = row.getCell(c);
        cells.push(cell.isMerged && cell.master.address !== cell.address ? '' : (cell.text ?? '').trim());
      }
      rows.push(cells);
    }
    out.push({ type: 'table', rows });
    for (const cells of rows) {
      const filled = cells.filter((c) => c);
      if (filled.length === 1) out.push({ type: 'paragraph', text: filled[0] });
    }
  });
  return out;
}
