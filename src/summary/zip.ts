// A .zip of deflated files (an .xlsx, a .docx). Two ways to deflate a file:
// - deflate(): the platform's own CompressionStream('deflate-raw') — native zlib on Node
//   (on its thread pool) and in workerd; where it is missing, fflate.
// - segments: each segment deflated on its own with native zlib and ended with a sync
//   flush (byte-aligned, not final), so segments join into one deflate stream and a
//   segment whose bytes did not change is reused as compressed last time (10,000 rows of
//   sheet XML are ~5 MB; a leader's next 汇总 usually changes a few rows). The file's CRC
//   is combined from its segments' CRCs. node:zlib is on Node and in workerd under
//   nodejs_compat (wrangler.toml); CompressionStream cannot end a segment without
//   finishing the stream, and fflate's sync flush wrote invalid streams for some inputs.
import * as zlib from 'node:zlib';
import { Deflate } from 'fflate';

export interface ZipFile {
  name: string;
  /** The file's bytes in parts; a part is handled between two yields. */
  parts: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** A file's deflated bytes, with what the zip's headers say of it. */
export interface Deflated {
  data: Uint8Array[];
  size: number;
  compressedSize: number;
  crc: number;
}

export async function deflate(parts: ZipFile['parts'], pause: () => Promise<void> = async () => {}): Promise<Deflated> {
  const out: Uint8Array[] = [];
  let crc = 0;
  let size = 0;
  if (typeof CompressionStream === 'function') {
    const stream = new CompressionStream('deflate-raw');
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    const reading = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
    })();
    for await (const part of parts) {
      crc = crc32(part, crc);
      size += part.length;
      await writer.write(part as Uint8Array<ArrayBuffer>);
      await pause();
    }
    await writer.close();
    await reading;
  } else {
    const d = new Deflate({ level: 1 }, (chunk) => void out.push(chunk));
    for await (const part of parts) {
      crc = crc32(part, crc);
      size += part.length;
      d.push(part);
      await pause();
    }
    d.push(new Uint8Array(0), true);
  }
  return { data: out, size, compressedSize: out.reduce((n, c) => n + c.length, 0), crc };
}

// crc32_combine as in zlib 1.2.12+: polynomial arithmetic modulo the CRC polynomial.
const POLY = 0xedb88320;
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m = m / 2;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}
const X2N = (() => {
  const t = new Uint32Array(32);
  let p = 1 << 30; // x^1
  t[0] = p;
  for (let n = 1; n < 32; n++) t[n] = p = multModP(p, p);
  return t;
})();
/** x^(n * 2^k) modulo the polynomial. */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000; // x^0
  for (; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multModP(X2N[k & 31], p);
  return p;
}
/** The CRC of a followed by b, from crc(a), crc(b) and b's length. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(x2nModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}

/** Raw deflate of one segment, ending with a sync flush: not a final block. */
export interface Segment {
  data: Uint8Array;
  /** uncompressed length */
  size: number;
  /** CRC-32 of the uncompressed bytes */
  crc: number;
}

/** A file given as segments (see the top). */
export interface SegmentedFile {
  name: string;
  segments: readonly Segment[];
}

/** Raw deflate ending with a sync flush (byte-aligned, not final), native: ≈ 1 ms per 100 KB of sheet XML. */
export type DeflateSync = (bytes: Uint8Array) => Uint8Array;
const nativeDeflate: DeflateSync = (bytes) => new Uint8Array(zlib.deflateRawSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH }));
/** The platform's CRC-32 where it has one (Node ≥ 20.15, workerd), else ours. */
const nativeCrc = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** The segment deflater (async so that a platform could load one lazily). */
export async function segmentDeflater(): Promise<DeflateSync> {
  return nativeDeflate;
}

/** One segment: deflated now, held for reuse by the caller. */
export function deflateSegment(deflate: DeflateSync, bytes: Uint8Array): Segment {
  return { data: deflate(bytes), size: bytes.length, crc: nativeCrc ? nativeCrc(bytes) >>> 0 : crc32(bytes) };
}

/** A final fixed-Huffman block holding only its end code: ends a stream of sync-flushed segments. */
const FINAL_BLOCK = new Uint8Array([0x03, 0x00]);

/** A file's segments as one deflated file. */
function joined(file: SegmentedFile): Deflated & { name: string } {
  let crc = 0;
  let size = 0;
  let compressedSize = FINAL_BLOCK.length;
  for (const s of file.segments) {
    crc = crc32Combine(crc, s.crc, s.size);
    size += s.size;
    compressedSize += s.data.length;
  }
  return { name: file.name, data: [...file.segments.map((s) => s.data), FINAL_BLOCK], size, compressedSize, crc };
}

/** The zip's bytes around files given as segments. */
export function zipSegments(files: readonly SegmentedFile[]): Uint8Array {
  return zipDeflated(files.map(joined));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The zip's bytes: every file deflated, in the order given. */
export async function zip(files: readonly ZipFile[], pause: () => Promise<void> = async () => {}): Promise<Uint8Array> {
  const deflated: (Deflated & { name: string })[] = [];
  for (const file of files) deflated.push({ name: file.name, ...(await deflate(file.parts, pause)) });
  return zipDeflated(deflated);
}

/** The zip's bytes around files already deflated (a file deflated once can go into many zips). */
export function zipDeflated(files: readonly (Deflated & { name: string })[]): Uint8Array {
  const enc = new TextEncoder();
  const pieces: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const d of files) {
    const name = enc.encode(d.name);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    l.setUint16(6, 0x0800, true); // names are UTF-8
    l.setUint16(8, 8, true); // deflate
    l.setUint16(10, 0, true); // 00:00
    l.setUint16(12, 0x21, true); // 1980-01-01
    l.setUint32(14, d.crc, true);
    l.setUint32(18, d.compressedSize, true);
    l.setUint32(22, d.size, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const entry = new Uint8Array(46 + name.length);
    const c = new DataView(entry.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(10, 8, true);
    c.setUint16(12, 0, true);
    c.setUint16(14, 0x21, true);
    c.setUint32(16, d.crc, true);
    c.setUint32(20, d.compressedSize, true);
    c.setUint32(24, d.size, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    entry.set(name, 46);
    central.push(entry);
    pieces.push(local, ...d.data);
    offset += local.length + d.compressedSize;
  }
  const centralSize = central.reduce((n, e) => n + e.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, files.length, true);
  e.setUint16(10, files.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  const all = [...pieces, ...central, end];
  const bytes = new Uint8Array(offset + centralSize + end.length);
  let at = 0;
  for (const p of all) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}
