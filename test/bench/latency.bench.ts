// Edit -> publishDiagnostics latency through real LSP connections, Hullcheck's bundled server side by side with the
// peer an editor would otherwise run: on the 20 KB corpus Dockerfile against rcjsuen's dockerfile-language-server-nodejs
// (what Container Tools bundles), and on a generated 2,000-line compose file against yaml-language-server with the
// compose schema. Then, for Hullcheck alone, a burst of 100 edits in one second, counting the full analyses it ran.
// Run: npm run build && npx tsx test/bench/latency.bench.ts [--edits N] [--rounds N] [--only dockerfile|compose] [--json]
//
// Each round starts a fresh process of each server (alternating which goes first) and sends N single-character edits,
// each after a pause (the common case while editing: type, stop), timing the edit to the publish that answers it.
// Figures: p50 / p95 / max per round and over all rounds, Hullcheck's own analysis time (HULLCHECK_TRACE_ANALYSIS
// log line), the ratios Hullcheck / peer of the pooled p50 and p95, and the load average around every round.

import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bigCompose, CORPUS, corpusDockerfiles } from './corpus';
import { PeerProcess, peerVersion, quantile, ServerProcess, type LspProcess } from './lspProcess';

const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const EDITS = Number(arg('--edits')) || 100;
const ROUNDS = Number(arg('--rounds')) || 3;
const ONLY = arg('--only');
const PAUSE_MS = 250;
const COMPOSE_SCHEMA = path.join(__dirname, '..', '..', 'server', 'src', 'model', 'compose-spec.json');

type Stats = { p50: number; p95: number; max: number };
const stats = (xs: number[]): Stats => ({ p50: +quantile(xs, 0.5).toFixed(2), p95: +quantile(xs, 0.95).toFixed(2), max: +Math.max(...xs).toFixed(2) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => +os.loadavg()[0].toFixed(2);

interface Contender {
  name: string;
  start(): Promise<LspProcess>;
  languageId: string;
  /** Findings published for the unedited text (a check that the server really analyses the file). */
  findings?: number;
}
interface Round { latency: Stats; analysis?: Stats; loadBefore: number; loadAfter: number }
interface Series { server: string; rounds: Round[]; all: Stats; analysis?: Stats; findings: number }

/** Opens the file, then `EDITS` single-character edits at line ends spread over it (each undone by the next). */
async function idleEdits(server: LspProcess, uri: string, text: string, languageId: string): Promise<{ latency: number[]; analysis: number[]; findings: number }> {
  const opened = await server.open(uri, text, languageId);
  const lines = text.split('\n');
  const targets = Array.from({ length: EDITS }, (_, i) => Math.floor((i * 7919) % Math.max(1, lines.length - 1)));
  const latency: number[] = [];
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
    latency.push(performance.now() - since);
    const a = server instanceof ServerProcess ? server.analyses(uri, since).find((x) => x.version === version) : undefined;
    if (a) analysis.push(a.ms);
  }
  return { latency, analysis, findings: opened.diagnostics.length };
}

async function series(contenders: Contender[], uri: string, text: string): Promise<Series[]> {
  const out = new Map<string, { rounds: Round[]; latency: number[]; analysis: number[]; findings: number }>();
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) {
      const loadBefore = load();
      const server = await c.start();
      try {
        const m = await idleEdits(server, uri, text, c.languageId);
        const s = out.get(c.name) ?? { rounds: [], latency: [], analysis: [], findings: m.findings };
        s.rounds.push({ latency: stats(m.latency), analysis: m.analysis.length ? stats(m.analysis) : undefined, loadBefore, loadAfter: load() });
        s.latency.push(...m.latency);
        s.analysis.push(...m.analysis);
        out.set(c.name, s);
      } finally {
        await server.stop();
      }
    }
  }
  return contenders.map((c) => {
    const s = out.get(c.name)!;
    return { server: c.name, rounds: s.rounds, all: stats(s.latency), analysis: s.analysis.length ? stats(s.analysis) : undefined, findings: s.findings };
  });
}

/** Hullcheck alone: 100 edits 10 ms apart, then the last version's publish; counts the analyses the server ran. */
async function burst(uri: string, text: string, languageId: string): Promise<{ analyses: number; lastEditToPublishMs: number }> {
  const server = new ServerProcess({ HULLCHECK_TRACE_ANALYSIS: '1' });
  try {
    await server.initialize();
    await server.open(uri, text, languageId);
    const lines = text.split('\n');
    const ch = lines[0].replace(/\r$/, '').length;
    await sleep(PAUSE_MS);
    const start = performance.now();
    let last: Promise<unknown> = Promise.resolve();
    let lastSent = 0;
    for (let i = 0; i < 100; i++) {
      last = (i % 2 === 0
        ? await server.edit(uri, { start: { line: 0, character: ch }, end: { line: 0, character: ch } }, ' ')
        : await server.edit(uri, { start: { line: 0, character: ch }, end: { line: 0, character: ch + 1 } }, '')).published;
      lastSent = performance.now();
      if (i < 99) await sleep(10);
    }
    await last;
    const lastEditToPublishMs = +(performance.now() - lastSent).toFixed(1);
    await sleep(400); // let any straggling analysis finish and log
    return { analyses: server.analyses(uri, start).length, lastEditToPublishMs };
  } finally {
    await server.stop();
  }
}

const hullcheck = (languageId: string): Contender => ({
  name: 'hullcheck', languageId,
  start: async () => { const s = new ServerProcess({ HULLCHECK_TRACE_ANALYSIS: '1' }); await s.initialize(); return s; },
});

async function startYaml(): Promise<LspProcess> {
  const s = new PeerProcess('yaml');
  await s.start({
    yaml: {
      validate: true, hover: false, completion: false, format: { enable: false }, schemaStore: { enable: false },
      schemas: { [pathToFileURL(COMPOSE_SCHEMA).toString()]: ['**/compose.yaml'] },
    },
  }, true);
  return s;
}

/** yaml-language-server really validates against the compose schema: an unknown service key is reported. */
async function checkYamlSchema(): Promise<void> {
  const s = await startYaml();
  try {
    await sleep(300);
    const p = await s.open('file:///nonexistent-hullcheck-bench/check/compose.yaml', 'services:\n  web:\n    imagee: nginx\n', 'yaml');
    const d = p.diagnostics.length ? p : await s.published('file:///nonexistent-hullcheck-bench/check/compose.yaml');
    if (!d.diagnostics.some((x) => /imagee/.test(String(x.message)))) throw new Error(`yaml-language-server did not apply the compose schema: ${JSON.stringify(d.diagnostics)}`);
  } finally {
    await s.stop();
  }
}

interface FileResult { file: string; lines: number; chars: number; series: Series[]; ratio: { p50: number; p95: number }; burst: { analyses: number; lastEditToPublishMs: number } }

async function measureFile(uri: string, text: string, languageId: string, peer: Contender): Promise<FileResult> {
  const s = await series([hullcheck(languageId), peer], uri, text);
  const [h, p] = s;
  return {
    file: uri, lines: text.split('\n').length, chars: text.length, series: s,
    ratio: { p50: +(h.all.p50 / p.all.p50).toFixed(2), p95: +(h.all.p95 / p.all.p95).toFixed(2) },
    burst: await burst(uri, text, languageId),
  };
}

async function main(): Promise<void> {
  const results: FileResult[] = [];
  const loadStart = os.loadavg().map((x) => +x.toFixed(2));
  const largest = corpusDockerfiles().sort((a, b) => b.text.length - a.text.length)[0];
  if (ONLY !== 'compose') {
    const rcjsuen: Contender = { name: `dockerfile-language-server-nodejs ${peerVersion('dockerfile')}`, languageId: 'dockerfile',
      start: async () => { const s = new PeerProcess('dockerfile'); await s.start({}); return s; } };
    results.push(await measureFile('file:///nonexistent-hullcheck-bench/df/Dockerfile', largest.text, 'dockerfile', rcjsuen));
  }
  if (ONLY !== 'dockerfile') {
    await checkYamlSchema();
    const yamlLs: Contender = { name: `yaml-language-server ${peerVersion('yaml')} + compose schema`, languageId: 'yaml', start: startYaml };
    results.push(await measureFile('file:///nonexistent-hullcheck-bench/compose/compose.yaml', bigCompose(2000), 'dockercompose', yamlLs));
  }
  const out = {
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length,
    loadStart, loadEnd: os.loadavg().map((x) => +x.toFixed(2)),
    edits: EDITS, rounds: ROUNDS, pauseMs: PAUSE_MS, dockerfile: path.relative(CORPUS, largest.file), results,
  };
  if (process.argv.includes('--json')) { console.log(JSON.stringify(out, null, 2)); return; }
  const fmt = (s: Stats) => `p50 ${s.p50} / p95 ${s.p95} / max ${s.max} ms`;
  for (const r of results) {
    console.log(`${r.file} (${r.lines} lines, ${r.chars} chars): ${ROUNDS} rounds of ${EDITS} single-character edits, ${PAUSE_MS} ms apart`);
    for (const s of r.series) {
      console.log(`  ${s.server} (${s.findings} findings on open)`);
      s.rounds.forEach((x, i) => console.log(`    round ${i + 1}: edit -> publish ${fmt(x.latency)}${x.analysis ? `; analysis ${fmt(x.analysis)}` : ''} (load ${x.loadBefore} -> ${x.loadAfter})`));
      console.log(`    all rounds: edit -> publish ${fmt(s.all)}${s.analysis ? `; analysis ${fmt(s.analysis)}` : ''}`);
    }
    console.log(`  ratio hullcheck / ${r.series[1].server.split(' ')[0]}: p50 ${r.ratio.p50} x, p95 ${r.ratio.p95} x`);
    console.log(`  hullcheck, burst of 100 edits in 1 s: ${r.burst.analyses} full analyses (target <= 2), last edit -> publish ${r.burst.lastEditToPublishMs} ms`);
  }
  console.log(`node ${out.node}, ${out.cores} cores, load ${out.loadStart.join(' ')} at the start, ${out.loadEnd.join(' ')} at the end`);
}

main().catch((e) => { console.error(e); process.exit(1); });
