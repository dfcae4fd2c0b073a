import WebSocket from 'ws';
import { writeFileSync } from 'node:fs';
import { playSeed } from '../conversation/seedPlayer';
import { startWorkerHarness, throughWorker } from '../worker/workerd';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
const h = await startWorkerHarness({ build: { dir: process.env.BUILD ?? '/tmp/w14build' }, sendRate: { perChat: 10_000, perApp: 10_000 }, inspectorPort: 0 });
for (const p of ['ou_zhang', 'ou_li', 'ou_wang']) h.fake.contacts.set(p, p);
const base = await h.mf.getInspectorURL();
const ws = new WebSocket(`ws://${base.host}/core:user:`);
await new Promise((r, j) => { ws.on('open', r); ws.on('error', j); });
let id = 0;
const pending = new Map<number, (v: any) => void>();
ws.on('message', (d) => { const m = JSON.parse(String(d)); if (m.id && pending.has(m.id)) { pending.get(m.id)!(m); pending.delete(m.id); } });
const call = (method: string, params: any = {}) => new Promise<any>((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
await call('Profiler.enable');
await call('Profiler.setSamplingInterval', { interval: Number(process.env.IV ?? 100) });
const profiles: any[] = [];
const bot = throughWorker(h, () => {}, 5);
const wrapped = { async handle(input: any) {
  await call('Profiler.start');
  const out = await bot.handle(input);
  profiles.push((await call('Profiler.stop')).result.profile);
  return out;
} };
await playSeed(wrapped as any, h.store, () => Date.now());
ws.close();
await h.close();
const self = new Map<string, number>(); const incl = new Map<string, number>();
const perLine: number[] = [];
function walk(p: any, which: Map<string, number>[], from: number) {
  const nodes = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let busy = 0;
  for (const s of p.samples) {
    const n = nodes.get(s);
    const key = (x: any) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}:${x.callFrame.lineNumber + 1}`;
    if (n.callFrame.functionName === '(idle)') continue;
    busy++;
    self.set(key(n), (self.get(key(n)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let c: number | undefined = s; c !== undefined; c = parent.get(c)) { const k = key(nodes.get(c)); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + 1); } }
  }
  return busy;
}
const from = Number(process.env.FROM ?? 3);
profiles.slice(from).forEach((p) => perLine.push(walk(p, [], 0)));
const total = perLine.reduce((a, b) => a + b, 0);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('lines', perLine.length, 'median busy samples', med(perLine), 'total', total);
console.log('first lines busy samples', profiles.slice(0, 3).map((p) => p.samples.filter((s: number) => p.nodes.find((n: any) => n.id === s).callFrame.functionName !== '(idle)').length));
const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(100 * v / total).toFixed(1)}%  ${k}`).join('\n');
console.log('SELF\n' + top(self, 40));
console.log('INCL\n' + top(incl, 70));
writeFileSync('/tmp/w14/profile-first.cpuprofile', JSON.stringify(profiles[0]));
writeFileSync('/tmp/w14/profile-warm.cpuprofile', JSON.stringify(profiles[50]));
