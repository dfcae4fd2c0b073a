// Decryption of `{"encrypt": …}` bodies, sent when an Encrypt Key is set in the
// console: AES-256-CBC, key = SHA-256(encryptKey), IV = first 16 bytes, PKCS#7 padding.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

const keyCache = new Map<string, Buffer>();
function keyOf(encryptKey: string): Buffer {
  let key = keyCache.get(encryptKey);
  if (!key) {
    key = createHash('sha256').update(encryptKey).digest();
    keyCache.set(encryptKey, key);
  }
  return key;
}

export function decrypt(encrypted: string, encryptKey: string): string {
  const data = Buffer.from(encrypted, 'base64');
  // At least an IV and one block; CBC needs whole blocks.
  if (data.length < 32 || data.length % 16 !== 0) throw new DecryptError('encrypt 字段长度不对');
  try {
    const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), data.subarray(0, 16));
    return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptError('encrypt 字段无法解密');
  }
}

/** The inverse, as Lark does it. Used by tests and the bench to play Lark's side. */
export function encrypt(plain: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}
