// `npm run build` (and before `npm start`): the Node server as plain JavaScript in
// dist/node/, so the process runs it directly instead of transpiling TypeScript at
// start (tsx costs ~35 MB and start-up time). Dependencies stay in node_modules;
// documents and the .xlsx are separate chunks, loaded on first use. Plain .mjs so
// node runs it without tsx. dist/node/ is two levels deep like src/runtime/node/,
// so the paths the code resolves from its own file (db/migrations, templates/) hold.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

/**
 * Builds `entries` (name → source file under the repository) into `<dir>/<name>.mjs`;
 * `dir` must be two levels under the repository (the bench builds its server into .tmp/bench).
 */
export async function buildNode(entries = { main: 'src/runtime/node/main.ts' }, dir = 'dist/node') {
  const outdir = `${root}${dir}`;
  rmSync(outdir, { recursive: true, force: true });
  await build({
    // the webhook's thread is its own file, found beside the code that starts it (receiver.ts)
    entryPoints: Object.entries({ ...entries, receiverThread: 'src/runtime/node/receiverThread.ts' }).map(([out, src]) => ({ out, in: `${root}${src}` })),
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    // dependencies load from node_modules, except one whose JSON import node wants an attribute for
    external: Object.keys(pkg.dependencies).filter((d) => d !== 'chinese-days'),
    logLevel: 'error',
  });
  // the playground's page and script, read from next to its code
  cpSync(`${root}src/channels/playground/static`, `${outdir}/static`, { recursive: true });
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildNode();
