// How long a piece of work holds the event loop: a 1 ms interval runs beside it and
// records the longest gap between two of its ticks, in wall time and in this process's
// CPU time. On a machine shared with other jobs the wall gap also counts the time the
// OS gave the CPU to someone else; the CPU gap is what the work itself held the loop
// for, and what the wall gap would be on a machine of our own.
export interface Held<T> {
  value: T;
  /** longest gap between two ticks, wall clock (ms) */
  maxWallMs: number;
  /** CPU this process spent in the longest-CPU gap (ms) */
  maxCpuMs: number;
  wallMs: number;
  cpuMs: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const tick = () => new Promise<void>((r) => setTimeout(r, 2));

export async function held<T>(work: () => Promise<T>): Promise<Held<T>> {
  let lastWall = performance.now();
  let lastCpu = cpuNow();
  let maxWallMs = 0;
  let maxCpuMs = 0;
  const timer = setInterval(() => {
    const wall = performance.now();
    const cpu = cpuNow();
    maxWallMs = Math.max(maxWallMs, wall - lastWall);
    maxCpuMs = Math.max(maxCpuMs, cpu - lastCpu);
    lastWall = wall;
    lastCpu = cpu;
  }, 1);
  await tick(); // the probe is ticking before the work starts
  lastWall = performance.now();
  lastCpu = cpuNow();
  maxWallMs = maxCpuMs = 0;
  const wall0 = performance.now();
  const cpu0 = cpuNow();
  try {
    const value = await work();
    const wallMs = performance.now() - wall0;
    const cpuMs = cpuNow() - cpu0;
    await tick(); // a block at the very end shows at the next tick
    return { value, maxWallMs, maxCpuMs, wallMs, cpuMs };
  } finally {
    clearInterval(timer);
  }
}
