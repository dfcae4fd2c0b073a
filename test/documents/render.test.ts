// `cli render` writes the three files and prints their paths; the module itself
// must not lean on Node (it runs in a Cloudflare Worker too).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/io';
import { renderCommand } from '../../src/cli/render';
import { buildSeed } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'jixiao-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = new URL('../../templates/wuhua-2024/example.json', import.meta.url).pathname;

describe('cli render', () => {
  it('writes the three documents into a new directory and prints their paths', async () => {
    const out = join(dir, 'a', 'b');
    const printed = (await renderCommand([example, '--out', out])).split('\n');
    expect(printed).toEqual([
      join(out, '2024年度行政综合性经费-附件1-评价表.docx'),
      join(out, '2024年度行政综合性经费-附件2-绩效评价报告.docx'),
      join(out, '2024年度行政综合性经费-附件3-问题清单.docx'),
    ]);
    expect(readdirSync(out)).toHaveLength(3);
    for (const p of printed) expect(readFileSync(p).subarray(0, 2).toString()).toBe('PK');
    // --out may come first
    expect((await renderCommand(['--out', join(dir, 'c'), example])).split('\n')).toHaveLength(3);
  });

  it('is a usage error without --out or without a file', async () => {
    await expect(renderCommand([example])).rejects.toThrow(UsageError);
    await expect(renderCommand([example, '--out'])).rejects.toThrow(/输出目录/);
    await expect(renderCommand(['--out', dir])).rejects.toThrow(/答案文件/);
    await expect(renderCommand([join(dir, 'missing.json'), '--out', dir])).rejects.toThrow(UsageError);
  });
});

describe('the documents module', () => {
  it('builds without Node globals such as Buffer and setImmediate', async () => {
    const g = globalThis as Record<string, unknown>;
    const saved = { Buffer: g.Buffer, setImmediate: g.setImmediate };
    let docs: Awaited<ReturnType<typeof buildSeed>> | undefined;
    try {
      delete g.Buffer;
      delete g.setImmediate;
      docs = await buildSeed();
    } finally {
      Object.assign(g, saved);
    }
    expect(docs?.map((d) => d.bytes.constructor.name)).toEqual(['Uint8Array', 'Uint8Array', 'Uint8Array']);
  });

  it('imports nothing from node: and touches no file system', () => {
    const src = new URL('../../src/documents/', import.meta.url).pathname;
    for (const f of readdirSync(src)) {
      const text = readFileSync(join(src, f), 'utf8');
      expect(text, f).not.toMatch(/from ['"](node:|fs|path|os|child_process)/);
      expect(text, f).not.toMatch(/\b(Buffer|process)\./);
    }
  });
});
