// P4: client activation time (client/out/extension.js with a stand-in vscode module, median of fresh processes),
// VSIX size (packaged to a temporary file from the current build), and the bundled server's resident memory with
// 200 corpus documents open (150 Dockerfiles, 40 compose files, 10 .dockerignore; started with the extension's V8
// flags and environment, server/src/protocol/serverFlags.ts), next to rcjsuen's dockerfile-language-server-nodejs (what Container
// Tools runs) given the same documents' Dockerfiles (the only ones its extension sends it), in the same run.
// Run: npm run build && npx tsx test/bench/footprint.bench.ts [--json] [--no-package] [--no-activation] [--no-peer]
// HULLCHECK_BENCH_DOCS sets the number of documents; HULLCHECK_SERVER_EXEC_ARGV / HULLCHECK_SERVER_ENV /
// HULLCHECK_SERVER_BUNDLE compare other flags, environments or builds (see lspProcess.ts).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { CORPUS, corpusDockerfiles, walk } from './corpus';
import { PeerProcess, peerVersion, quantile, ServerProcess, type LspProcess } from './lspProcess';
import { measureActivation, type ActivationFigures } from './activation';

const ROOT = path.join(__dirname, '..', '..');

async function activation(runs: number): Promise<{ requireMs: number; activateMs: number; serverReadyMs: number; runs: number }> {
  const req: number[] = [], act: number[] = [], ready: number[] = [];
  for (let i = 0; i < runs; i++) {
    // a fresh process each time: a second require would hit the module cache
    const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--activation-only'], { cwd: ROOT, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as ActivationFigures;
    if (!r.activated) throw new Error(`activate() did not resolve: ${r.error ?? 'timeout'}`);
    if (!r.serverRunning) throw new Error('the language server did not start');
    req.push(r.requireMs); act.push(r.activateMs); ready.push(r.serverReadyMs);
  }
  return { requireMs: quantile(req, 0.5), activateMs: quantile(act, 0.5), serverReadyMs: quantile(ready, 0.5), runs };
}

function vsixSize(): { bytes: number; mb: number; files?: number } {
  const out = path.join(os.tmpdir(), `hullcheck-bench-${process.pid}.vsix`);
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out], { cwd: ROOT, stdio: 'pipe' });
    const bytes = fs.statSync(out).size;
    return { bytes, mb: +(bytes / 1024 / 1024).toFixed(3) };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

type Doc = { uri: string; text: string; languageId: string };
type RssFigures = { documents: number; idleMb: number; openedMb: number; rssMb: number; peakMb: number; load: number };

function benchDocuments(count: number): Doc[] {
  const docs: Doc[] = [];
  const composes = walk(path.join(CORPUS, 'compose'), (n) => /\.ya?ml$/.test(n)).slice(0, 40);
  const ignores = walk(path.join(CORPUS, 'dockerignore'), () => true).slice(0, 10);
  composes.forEach((f, i) => docs.push({ uri: `file:///nonexistent-hullcheck-bench/c${i}/compose.yaml`, text: fs.readFileSync(f, 'utf8'), languageId: 'dockercompose' }));
  ignores.forEach((f, i) => docs.push({ uri: `file:///nonexistent-hullcheck-bench/i${i}/.dockerignore`, text: fs.readFileSync(f, 'utf8'), languageId: 'dockerignore' }));
  for (const [i, d] of corpusDockerfiles().entries()) {
    if (docs.length >= count) break;
    docs.push({ uri: `file:///nonexistent-hullcheck-bench/d${i}/Dockerfile`, text: d.text, languageId: 'dockerfile' });
  }
  return docs;
}

/** RSS of a started server: idle, right after opening `docs` one after another (as an editor session does), 3 s later. */
async function serverRss(server: LspProcess, docs: Doc[]): Promise<RssFigures> {
  try {
    await new Promise((r) => setTimeout(r, 500));
    const idleMb = server.rssMb();
    for (const d of docs) await server.open(d.uri, d.text, d.languageId);
    const openedMb = server.rssMb();
    await new Promise((r) => setTimeout(r, 3000));
    const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const peakMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
    return { documents: docs.length, idleMb: +idleMb.toFixed(1), openedMb: +openedMb.toFixed(1), rssMb: +server.rssMb().toFixed(1), peakMb: +peakMb.toFixed(1), load: +os.loadavg()[0].toFixed(2) };
  } finally {
    await server.stop();
  }
}

async function hullcheckRss(docs: Doc[]): Promise<RssFigures> {
  const server = new ServerProcess();
  await server.initialize();
  return serverRss(server, docs);
}

async function peerRss(docs: Doc[]): Promise<RssFigures> {
  const server = new PeerProcess('dockerfile');
  await server.start({});
  return serverRss(server, docs.filter((d) => d.languageId === 'dockerfile'));
}

async function main(): Promise<void> {
  if (process.argv.includes('--activation-only')) {
    console.log(JSON.stringify(await measureActivation()));
    process.exit(0);
  }
  const docs = benchDocuments(Number(process.env.HULLCHECK_BENCH_DOCS) || 200);
  const result = {
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length, load: os.loadavg().map((x) => +x.toFixed(2)),
    activation: process.argv.includes('--no-activation') ? undefined : await activation(5),
    vsix: process.argv.includes('--no-package') ? undefined : vsixSize(),
    server: await hullcheckRss(docs),
    peer: process.argv.includes('--no-peer') ? undefined : { name: `dockerfile-language-server-nodejs ${peerVersion('dockerfile')}`, ...await peerRss(docs) },
  };
  if (process.argv.includes('--json')) { console.log(JSON.stringify(result, null, 2)); return; }
  if (result.activation) console.log(`activation (median of ${result.activation.runs} fresh processes): require ${result.activation.requireMs} ms, activate() ${result.activation.activateMs} ms (target < 50 ms), server running ${result.activation.serverReadyMs} ms after activate() was called`);
  if (result.vsix) console.log(`VSIX: ${result.vsix.bytes} bytes (${result.vsix.mb} MB; target < 1.5 MB)`);
  console.log(`hullcheck server RSS: ${result.server.idleMb} MB idle, ${result.server.openedMb} MB right after opening ${result.server.documents} documents, ${result.server.rssMb} MB 3 s later (peak ${result.server.peakMb} MB; target < 80 MB)`);
  if (result.peer) {
    const p = result.peer;
    console.log(`${p.name} RSS: ${p.idleMb} MB idle, ${p.openedMb} MB right after opening its ${p.documents} Dockerfiles, ${p.rssMb} MB 3 s later (peak ${p.peakMb} MB)`);
    console.log(`ratio hullcheck / ${p.name.split(' ')[0]} 3 s after opening: ${(result.server.rssMb / p.rssMb).toFixed(2)} x (load ${result.server.load} and ${p.load} after each)`);
  }
  console.log(`node ${result.node}, ${result.cores} cores, load ${result.load.join(' ')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
