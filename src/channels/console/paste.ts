// A pasted block is one message. The terminal is asked for bracketed paste
// (ESC[?2004h): it wraps a paste in ESC[200~ … ESC[201~. Line breaks inside become
// PASTED_BREAK, so readline sees one line, and the session turns them back into
// line breaks. Without the markers (a pipe, an old terminal) every line is a message.
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

export const PASTED_BREAK = '\u2028';
const START = '\x1b[200~';
const END = '\x1b[201~';

export class PasteJoiner extends Transform {
  private inPaste = false;
  private held = '';
  // a character split between two chunks is decoded whole, never as two broken halves
  private readonly decoder = new StringDecoder('utf8');

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let s = this.held + this.decoder.write(chunk);
    this.held = '';
    // a marker split across two chunks waits for the rest
    const tail = s.lastIndexOf('\x1b');
    if (tail >= 0 && tail > s.length - START.length && (START.startsWith(s.slice(tail)) || END.startsWith(s.slice(tail)))) {
      this.held = s.slice(tail);
      s = s.slice(0, tail);
    }
    let out = '';
    while (s) {
      const marker = this.inPaste ? END : START;
      const at = s.indexOf(marker);
      const part = at < 0 ? s : s.slice(0, at);
      out += this.inPaste ? part.replace(/\r\n|\r|\n/g, PASTED_BREAK) : part;
      if (at < 0) break;
      this.inPaste = !this.inPaste;
      s = s.slice(at + marker.length);
    }
    done(null, out);
  }
}
