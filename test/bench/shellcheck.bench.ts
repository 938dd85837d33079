// ShellCheck overhead per Dockerfile, separate from the engine benchmark because it is an external process:
// the synchronous lint (parse + all rules) for reference, then ShellCheck with a cold cache (new runner) and warm.
// Run: npx tsx test/bench/shellcheck.bench.ts   (JSON with --json)

import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { lintParsed } from '../../server/src/engine/linter';
import { emptyConfig } from '../../server/src/config/hullcheckConfig';
import { ShellcheckRunner } from '../../server/src/shellcheck/shellcheck';
import { shellcheckFindings } from '../../server/src/shellcheck/shellcheckLint';
import { shellScripts } from '../../server/src/shellcheck/shellScripts';
import { corpusDockerfiles } from './corpus';

async function main(): Promise<void> {
  const files = corpusDockerfiles().map((f) => ({ ...f, parsed: parseDockerfile(f.text) }));
  if (files.length === 0) throw new Error('corpus not found next to the project (../shared/corpus)');
  const config = { ...emptyConfig(), enableAll: true };
  const runner = new ShellcheckRunner({ log: (m) => console.error(m) });
  if (!(await runner.binary())) { console.error('shellcheck is not on PATH; nothing to measure'); return; }

  // reference: the synchronous lint, averaged over a few rounds
  let t0 = performance.now();
  const rounds = 5;
  for (let r = 0; r < rounds; r++) for (const f of files) lintParsed('dockerfile', f.file, parseDockerfile(f.text), { config, facts: { dockerignore: null } });
  const syncMs = (performance.now() - t0) / rounds / files.length;

  const scripts = files.reduce((n, f) => n + shellScripts(f.parsed).length, 0);
  let findings = 0;
  t0 = performance.now();
  for (const f of files) findings += (await shellcheckFindings(f.parsed, { runner, config })).length;
  const coldMs = (performance.now() - t0) / files.length;
  const coldSpawns = runner.spawns;
  t0 = performance.now();
  for (const f of files) await shellcheckFindings(f.parsed, { runner, config });
  const warmMs = (performance.now() - t0) / files.length;
  await runner.dispose();

  const result = {
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
    files: files.length, runScripts: scripts, scFindings: findings, spawnsCold: coldSpawns, spawnsWarm: runner.spawns - coldSpawns,
    syncLintMsPerFile: +syncMs.toFixed(3), shellcheckColdMsPerFile: +coldMs.toFixed(2), shellcheckWarmMsPerFile: +warmMs.toFixed(3),
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else console.table(result);
}

main().catch((e) => { console.error(e); process.exit(1); });
