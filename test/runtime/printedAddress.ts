// A server started as a child process says where it listens on stdout: wait for that,
// keeping everything it printed for the failure message.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export function printedAddress(child: ChildProcessWithoutNullStreams, timeoutMs: number): { url: Promise<string>; output: () => string } {
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${out}`)), timeoutMs);
    child.stdout.on('data', () => {
      const m = /http:\/\/localhost:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  return { url, output: () => out };
}
