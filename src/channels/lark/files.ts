// Files people send to the chat: fetched with the SDK's message-resource call
// (GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file, scope
// im:message), read up to the import limit and no further.
import type { Input } from '../../conversation/types';
import { MAX_IMPORT_BYTES } from '../../import';

/** The bytes, or how many bytes there were at least when the file is over the limit. */
export type Downloaded = { bytes: Uint8Array } | { size: number };
export type DownloadFile = (messageId: string, fileKey: string) => Promise<Downloaded>;

/** The part of a client used (`lark.Client` and the fetch client fit). */
export interface ResourceApi {
  im: { messageResource: { get(payload: any): Promise<{ headers?: any; getReadableStream(): NodeJS.ReadableStream & { destroy(): void } }> } };
}

export function messageFileDownloader(client: ResourceApi, maxBytes = MAX_IMPORT_BYTES): DownloadFile {
  return async (messageId, fileKey) => {
    const res = await client.im.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type: 'file' } });
    const declared = Number(res.headers?.['content-length']);
    const stream = res.getReadableStream();
    if (declared > maxBytes) {
      stream.destroy();
      return { size: declared };
    }
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const chunk of stream) {
      n += (chunk as Buffer).length;
      if (n > maxBytes) {
        stream.destroy();
        return { size: n };
      }
      chunks.push(chunk as Buffer);
    }
    return { bytes: new Uint8Array(Buffer.concat(chunks)) };
  };
}

/** The input with the file's bytes (or its size when too large); unchanged when there is nothing to fetch or fetching failed. */
export async function withFile(input: Input, download: DownloadFile | undefined, log: { warn(...a: unknown[]): void }): Promise<Input> {
  const m = input.message;
  if (m.type !== 'file' || m.bytes || !m.fileKey || !m.messageId || !download) return input;
  try {
    const got = await download(m.messageId, m.fileKey);
    return { ...input, message: { ...m, ...got } };
  } catch (error) {
    log.warn('[lark] file download failed', error);
    return input;
  }
}
