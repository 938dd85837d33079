// P2: keystroke -> publishDiagnostics latency through a real LSP connection to the bundled server (stdio), on the
// largest corpus Dockerfile and on a generated 2,000-line compose file; then a burst of 100 edits in one second,
// counting the full analyses the server ran. Run: npm run build && npx tsx test/bench/latency.bench.ts [--edits N] [--json]
//
// Figures per file:
// - idle edit -> publish: a single-character edit after a pause (the common case while editing), sent to published;
// - analysis: the server's own time for the lint of that version (HULLCHECK_TRACE_ANALYSIS log line);
// - burst end -> publish: the last edit of a quick burst to its publish (includes the debounce by design).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { CORPUS, corpusDockerfiles, walk } from './corpus';
import { quantile, ServerProcess } from './lspProcess';

const EDITS = Number(process.argv[process.argv.indexOf('--edits') + 1]) || 200;
const PAUSE_MS = 250;

/** A compose file of at least `lines` lines built from the corpus's real services, renamed to stay unique. */
export function bigCompose(lines: number): string {
  const services: Record<string, unknown> = {};
  let n = 0;
  const files = walk(path.join(CORPUS, 'compose'), (f) => /\.ya?ml$/.test(f));
  for (let round = 0; ; round++) {
    for (const f of files) {
      let js: unknown;
      try { js = parseAllDocuments(fs.readFileSync(f, 'utf8'))[0]?.toJS?.(); } catch { continue; }
      const svcs = (js as { services?: Record<string, unknown> } | undefined)?.services;
      if (!svcs || typeof svcs !== 'object') continue;
      for (const [name, svc] of Object.entries(svcs)) {
        if (!svc || typeof svc !== 'object') continue;
        const copy = { ...(svc as Record<string, unknown>) };
        delete copy.depends_on; delete copy.extends; delete copy.ports; // keep it a valid, conflict-free project
        services[`${name}-${++n}`] = copy;
      }
      const text = stringify({ services });
      if (text.split('\n').length >= lines) return text;
    }
    if (round > 20) throw new Error('not enough compose services in the corpus');
  }
}

interface FileFigures { file: string; chars: number; lines: number; idle: { p50: number; p95: number; max: number }; analysis: { p50: number; p95: number; max: number }; burst: { edits: number; analyses: number; lastEditToPublishMs: number } }

const stats = (xs: number[]) => ({ p50: +quantile(xs, 0.5).toFixed(2), p95: +quantile(xs, 0.95).toFixed(2), max: +Math.max(...xs).toFixed(2) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(server: ServerProcess, uri: string, text: string, languageId: string): Promise<FileFigures> {
  await server.open(uri, text, languageId);
  const lines = text.split('\n');
  // edits at ends of lines spread over the file; each insertion is undone by the next edit, so the text stays real
  const targets = Array.from({ length: EDITS }, (_, i) => Math.floor((i * 7919) % Math.max(1, lines.length - 1)));
  const idle: number[] = [];
  const analysis: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    await sleep(PAUSE_MS);
    const line = targets[i - (i % 2)];
    const ch = lines[line].replace(/\r$/, '').length;
    const since = performance.now();
    const { version, published } = i % 2 === 0
      ? await server.edit(uri, { start: { line, character: ch }, end: { line, character: ch } }, ' ')
      : await server.edit(uri, { start: { line, character: ch }, end: { line, character: ch + 1 } }, '');
    await published;
    idle.push(performance.now() - since);
    const a = server.analyses(uri, since).find((x) => x.version === version);
    if (a) analysis.push(a.ms);
  }
  // a burst: 100 edits, 10 ms apart, then wait for the last version's publish
  await sleep(PAUSE_MS);
  const burstStart = performance.now();
  let last: Promise<unknown> = Promise.resolve();
  let lastSent = 0;
  for (let i = 0; i < 100; i++) {
    const line = targets[0];
    const ch = lines[line].replace(/\r$/, '').length;
    last = (i % 2 === 0
      ? await server.edit(uri, { start: { line, character: ch }, end: { line, character: ch } }, ' ')
      : await server.edit(uri, { start: { line, character: ch }, end: { line, character: ch + 1 } }, '')).published;
    lastSent = performance.now();
    if (i < 99) await sleep(10);
  }
  await last;
  const lastEditToPublishMs = +(performance.now() - lastSent).toFixed(1);
  await sleep(400); // let any straggling analysis finish and log
  const analyses = server.analyses(uri, burstStart).length;
  return {
    file: uri, chars: text.length, lines: lines.length, idle: stats(idle), analysis: stats(analysis),
    burst: { edits: 100, analyses, lastEditToPublishMs },
  };
}

async function main(): Promise<void> {
  const largest = corpusDockerfiles().sort((a, b) => b.text.length - a.text.length)[0];
  const compose = bigCompose(2000);
  const server = new ServerProcess({ HULLCHECK_TRACE_ANALYSIS: '1' });
  const results: FileFigures[] = [];
  try {
    await server.initialize();
    results.push(await measure(server, `file:///nonexistent-hullcheck-bench/df/Dockerfile`, largest.text, 'dockerfile'));
    results.push(await measure(server, `file:///nonexistent-hullcheck-bench/compose/compose.yaml`, compose, 'dockercompose'));
  } finally {
    await server.stop();
  }
  const out = {
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length, load: os.loadavg().map((x) => +x.toFixed(2)),
    edits: EDITS, dockerfile: path.relative(CORPUS, largest.file), results,
  };
  if (process.argv.includes('--json')) { console.log(JSON.stringify(out, null, 2)); return; }
  for (const r of results) {
    console.log(`${r.file} (${r.lines} lines, ${r.chars} chars), ${EDITS} single-character edits after ${PAUSE_MS} ms pauses:`);
    console.log(`  idle edit -> publish: p50 ${r.idle.p50} ms, p95 ${r.idle.p95} ms, max ${r.idle.max} ms (target p95 < 16 ms)`);
    console.log(`  analysis:             p50 ${r.analysis.p50} ms, p95 ${r.analysis.p95} ms, max ${r.analysis.max} ms`);
    console.log(`  burst of 100 edits in 1 s: ${r.burst.analyses} full analyses (target <= 2), last edit -> publish ${r.burst.lastEditToPublishMs} ms`);
  }
  console.log(`node ${out.node}, ${out.cores} cores, load ${out.load.join(' ')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
