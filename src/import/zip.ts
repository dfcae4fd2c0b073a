// Reading entries out of a .docx/.xlsx zip without trusting its headers: the sizes a
// zip declares can lie, so inflated bytes are counted as they come and reading stops
// at the limit (a "zip bomb" is refused rather than filling memory).
import { Unzip, UnzipInflate } from 'fflate';

export interface ZipLimits {
  /** most bytes all wanted entries may inflate to, together */
  maxInflated: number;
  /** most inflated bytes per compressed byte, over the wanted entries */
  maxRatio: number;
}

export const defaultZipLimits: ZipLimits = { maxInflated: 64 * 1024 * 1024, maxRatio: 200 };

export type ZipRead =
  | { ok: true; names: string[]; files: Map<string, Uint8Array> }
  | { ok: false; reason: 'notZip' | 'encrypted' | 'bomb' | 'corrupt' };

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Bit 0 of a local header's flags: the entry is encrypted (a password-protected zip). */
function anyEncrypted(bytes: Uint8Array): boolean {
  for (let i = 0; i + 8 < bytes.length; i++)
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x03 && bytes[i + 3] === 0x04) {
      if (bytes[i + 6] & 1) return true;
      i += 29;
    }
  return false;
}

/** The names in the zip, and the bytes of those `want` accepts. */
export function readZip(bytes: Uint8Array, want: (name: string) => boolean, limits: ZipLimits = defaultZipLimits): ZipRead {
  if (!isZip(bytes)) return { ok: false, reason: 'notZip' };
  if (anyEncrypted(bytes)) return { ok: false, reason: 'encrypted' };
  const names: string[] = [];
  const chunks = new Map<string, Uint8Array[]>();
  let inflated = 0;
  let compressed = 0;
  let failure: 'bomb' | 'corrupt' | undefined;
  const unzip = new Unzip((file) => {
    names.push(file.name);
    if (failure || !want(file.name)) return;
    compressed += file.size ?? 0;
    const parts: Uint8Array[] = [];
    chunks.set(file.name, parts);
    file.ondata = (err, data) => {
      if (failure) return;
      if (err) {
        failure = 'corrupt';
        return;
      }
      inflated += data.length;
      if (inflated > limits.maxInflated || inflated > Math.max(1, compressed) * limits.maxRatio + 1024 * 1024) {
        failure = 'bomb';
        file.terminate();
        return;
      }
      parts.push(data);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    unzip.push(bytes, true);
  } catch {
    return { ok: false, reason: failure ?? 'corrupt' };
  }
  if (failure) return { ok: false, reason: failure };
  const files = new Map<string, Uint8Array>();
  for (const [name, parts] of chunks) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    files.set(name, out);
  }
  return { ok: true, names, files };
}
