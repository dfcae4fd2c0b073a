// CPU time of the Worker's own isolate in workerd, from V8's sampling profiler over
// workerd's inspector (the DevTools protocol, as `wrangler dev` exposes it).
// Why not the process's CPU: local D1 is a Durable Object with SQLite in the same
// workerd process and on the same thread, and on Cloudflare that work runs in D1,
// not in the Worker's CPU budget. V8 only takes a sample while our isolate is entered
// (running JS or a native call made from it); while workerd runs D1's isolate or waits
// on I/O no sample is taken. So CPU ≈ samples that are not "(idle)" × the sampling period.
// The profiler's own work (a signal and a stack walk per sample) is in it: figures lean high.
import WebSocket from 'ws';
import type { Miniflare } from 'miniflare';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Profiler {
  start(): Promise<void>;
  stop(): Promise<CpuProfile>;
  close(): void;
}

/** Attaches to the (only) user Worker of `mf`, which must have been started with `inspectorPort`. */
export async function attachProfiler(mf: Miniflare, intervalUs = 100): Promise<Profiler> {
  const base = await mf.getInspectorURL();
  // the Worker has no name in the harness: workerd calls it core:user:
  const ws = new WebSocket(`ws://${base.host}/core:user:`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let lastId = 0;
  const waiting = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id !== undefined) waiting.get(m.id)?.(m);
    if (m.id !== undefined) waiting.delete(m.id);
  });
  const call = <R>(method: string, params: object = {}) =>
    new Promise<R>((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result as R)));
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: intervalUs });
  return {
    start: () => call('Profiler.start'),
    stop: async () => (await call<{ profile: CpuProfile }>('Profiler.stop')).profile,
    close: () => ws.close(),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Milliseconds the isolate was busy: samples other than "(idle)" times the sampling period. */
export function busyMs(profile: CpuProfile, periodUs = samplingPeriodUs([profile])): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  return (profile.samples.filter((s) => !idle.has(s)).length * periodUs) / 1000;
}

/**
 * The sampler's period: the gap between two samples taken one tick apart. Gaps spanning
 * ticks at which the isolate was not entered (no sample) are whole multiples of it, so
 * the period is the typical gap among the shortest ones: the median of the gaps below
 * 1.5 × the lowest decile. Over many profiles, so one short profile does not set its own.
 */
export function samplingPeriodUs(profiles: CpuProfile[]): number {
  const gaps = profiles.flatMap((p) => p.timeDeltas).filter((d) => d > 0).sort((a, b) => a - b);
  const p10 = gaps[Math.floor(gaps.length / 10)] ?? 0;
  return median(gaps.filter((d) => d <= 1.5 * p10));
}

/** The functions the isolate spent most time in, including what they called: share of busy samples. */
export function hottest(profiles: CpuProfile[], top = 15): { name: string; share: number }[] {
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (const s of p.samples) {
      if (byId.get(s)?.callFrame.functionName === '(idle)') continue;
      busy++;
      const seen = new Set<string>();
      for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id)!.callFrame;
        const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
        if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
        seen.add(name);
      }
    }
  }
  return [...inclusive]
    .filter(([name]) => !name.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, n]) => ({ name, share: n / Math.max(1, busy) }));
}
