import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { replayScript } from './test/conversation/replay';
const dir = mkdtempSync(join(tmpdir(), 'x-'));
const script = readFileSync('test/fixtures/seed-fast.txt','utf8');
const r = await replayScript(script, join(dir,'db.sqlite'), join(dir,'out'));
console.log(r.printed.split('\n').map(l=>l.slice(0,110)).join('\n'));
