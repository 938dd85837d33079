// Whole-process wall time of `hullcheck lint` over the corpus Dockerfiles with ShellCheck: a cold results cache
// (a fresh ~/.cache), a warm one, and --no-shellcheck for reference; optionally against another build of the CLI
// (--baseline path/to/cli.js, e.g. an older bundle) in the same run. Runs alternate; medians are reported.
// Run: npm run build:server && npx tsx test/bench/cliShellcheck.bench.ts [--rounds N] [--baseline FILE] [--json]

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusDockerfiles } from './corpus';

const ROOT = path.resolve(__dirname, '..', '..');
const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };

interface Timed { ms: number; code: number | null; findings: number; sc: number }

function lint(cli: string, files: string[], cache: string, extra: string[] = []): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', '--fail-level', 'none', ...extra, ...files], {
    env: { ...process.env, XDG_CACHE_HOME: cache }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cli} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const findings = (JSON.parse(r.stdout).findings as { rule: string }[]);
  return { ms, code: r.status, findings: findings.length, sc: findings.filter((f) => /^SC\d+$/.test(f.rule)).length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const files = corpusDockerfiles().map((f) => f.file);
  if (files.length === 0) throw new Error('corpus not found next to the project (../shared/corpus)');
  const current = path.join(ROOT, 'server', 'out', 'cli.js');
  if (!fs.existsSync(current)) throw new Error('build the CLI first: npm run build:server');
  const builds: [string, string][] = [['current', current]];
  const baseline = arg('--baseline');
  if (baseline) builds.push(['baseline', path.resolve(baseline)]);
  const rounds = Number(arg('--rounds') ?? 3);
  const times: Record<string, number[]> = {};
  const counts: Record<string, { findings: number; sc: number }> = {};
  const add = (key: string, t: Timed) => { (times[key] ??= []).push(t.ms); counts[key] = { findings: t.findings, sc: t.sc }; };
  for (let r = 0; r < rounds; r++) {
    for (const [name, cli] of r % 2 ? [...builds].reverse() : builds) {
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-bench-cache-'));
      add(`${name} cold`, lint(cli, files, cache));
      add(`${name} warm`, lint(cli, files, cache));
      add(`${name} --no-shellcheck`, lint(cli, files, cache, ['--no-shellcheck']));
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }
  const rows = Object.entries(times).map(([k, v]) => ({ run: k, medianMs: Math.round(median(v)), minMs: Math.round(Math.min(...v)), ...counts[k] }));
  const ratio = (a: string, b: string) => (times[a] && times[b] ? +(median(times[a]) / median(times[b])).toFixed(2) : undefined);
  const result = {
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length, load: os.loadavg().map((x) => +x.toFixed(2)),
    files: files.length, rounds, rows,
    ratios: {
      coldVsBaselineCold: ratio('current cold', 'baseline cold'),
      warmVsBaselineCold: ratio('current warm', 'baseline cold'),
      warmVsCold: ratio('current warm', 'current cold'),
      coldVsNoShellcheck: ratio('current cold', 'current --no-shellcheck'),
    },
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else { console.table(rows); console.log(result.ratios, 'load', result.load); }
}

main();
