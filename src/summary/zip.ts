// A .zip of deflated files (an .xlsx is one). The deflating is the platform's own
// CompressionStream('deflate-raw') — native zlib on Node (on its thread pool, off the
// event loop) and in workerd — so 5 MB of sheet XML costs the event loop only the CRC,
// computed here a part at a time. Where CompressionStream is missing, fflate deflates.
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
