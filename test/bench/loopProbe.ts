// How long a piece of work holds the event loop: a 1 ms interval runs beside it and
// records the longest gap between two of its ticks, in wall time and in this process's
// CPU time. On a machine shared with other jobs the wall gap also counts the time the
// OS gave the CPU to someone else; the CPU gap is what the work itself held the loop
// for, and what the wall gap would be on a machine of our own. The process's CPU also
// counts its other threads (V8's parallel GC helpers, zlib's thread pool), which run
// beside the event loop without blocking it; on Linux the probe also reads the event
// loop thread's own CPU time (/proc/thread-self/schedstat, nanoseconds), the closest
// measure of how long the loop itself was held.
import { readFileSync } from 'node:fs';

export interface Held<T> {
  value: T;
  /** longest gap between two ticks, wall clock (ms) */
  maxWallMs: number;
  /** CPU this process spent in the longest-CPU gap (ms) */
  maxCpuMs: number;
  /** CPU the event loop's own thread spent in its longest gap (ms); maxCpuMs where the OS does not say */
  maxMainMs: number;
  wallMs: number;
  cpuMs: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** This thread's CPU time (ms), where Linux tells it; the probe's timer runs on the event loop's thread. */
const threadNow: (() => number) | undefined = (() => {
  const read = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  try {
    return Number.isFinite(read()) ? read : undefined;
  } catch {
    return undefined;
  }
})();

/** CPU time of the calling thread (ms): the event loop's, where it is called from the loop. The process's CPU where Linux does not say. */
export const threadCpuMs = (): number => (threadNow ?? cpuNow)();

const tick = () => new Promise<void>((r) => setTimeout(r, 2));

export async function held<T>(work: () => Promise<T>): Promise<Held<T>> {
  const mainNow = threadNow ?? cpuNow;
  let lastWall = performance.now();
  let lastCpu = cpuNow();
  let lastMain = mainNow();
  let maxWallMs = 0;
  let maxCpuMs = 0;
  let maxMainMs = 0;
  const timer = setInterval(() => {
    const wall = performance.now();
    const cpu = cpuNow();
    const main = mainNow();
    maxWallMs = Math.max(maxWallMs, wall - lastWall);
    maxCpuMs = Math.max(maxCpuMs, cpu - lastCpu);
    maxMainMs = Math.max(maxMainMs, main - lastMain);
    lastWall = wall;
    lastCpu = cpu;
    lastMain = main;
  }, 1);
  await tick(); // the probe is ticking before the work starts
  lastWall = performance.now();
  lastCpu = cpuNow();
  lastMain = mainNow();
  maxWallMs = maxCpuMs = maxMainMs = 0;
  const wall0 = performance.now();
  const cpu0 = cpuNow();
  try {
    const value = await work();
    const wallMs = performance.now() - wall0;
    const cpuMs = cpuNow() - cpu0;
    await tick(); // a block at the very end shows at the next tick
    return { value, maxWallMs, maxCpuMs, maxMainMs, wallMs, cpuMs };
  } finally {
    clearInterval(timer);
  }
}
