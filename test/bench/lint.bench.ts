// P1: per-file lint time of Hullcheck's engine (one parse + every rule) against dockerfile-utils' validate,
// on the same corpus Dockerfiles, in the same run. Harness: tinybench.
// Issue 3's figure comes from the same run: the full lint against a lint with only the seed-convention rules.
// Each task is measured in its own child process: both tools run on dockerfile-ast, and a process that has run one of
// them runs the other's dockerfile-ast calls with the JIT state the first left behind (validate measured up to 3 ×
// slower after Hullcheck's parse had run in the same process), which would skew the comparison.
// Run: npx tsx test/bench/lint.bench.ts   (prints a table and the ratios; JSON with --json; one round with --quick)

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Bench } from 'tinybench';
import { validate } from 'dockerfile-utils';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { lintParsed } from '../../server/src/engine/linter';
import { emptyConfig } from '../../server/src/config/hullcheckConfig';
import { RULES } from '../../server/src/rules';
import { CORPUS, corpusDockerfiles } from './corpus';

const ALL = 'hullcheck (parse + all rules)';
const SEED = 'hullcheck (parse + seed-convention rules)';
const PEER = 'dockerfile-utils validate';
const TASKS = [ALL, SEED, PEER];

/**
 * The seed conventions are the rules of the "Dockerfile: the seed conventions" table of the rule catalogue
 * (guides/rules.md), which names them by id. RuleMeta cannot tell them apart: many seed rules carry a hadolint code
 * because they are also a DL counterpart, so "no hadolint/buildkit code" would drop half of them.
 */
function seedRuleIds(): string[] {
  const catalogue = path.join(CORPUS, '..', 'guides', 'rules.md');
  const text = fs.readFileSync(catalogue, 'utf8');
  const section = /^## Dockerfile: the seed conventions\n([\s\S]*?)^## /m.exec(text);
  if (!section) throw new Error(`no seed-convention table in ${catalogue}`);
  const ids = [...section[1].matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
  const dockerfileIds = new Set(RULES.filter((r) => r.meta.language === 'dockerfile').map((r) => r.meta.id));
  return ids.filter((id) => dockerfileIds.has(id));
}

/** Child process: measure one task with tinybench and print its mean time per corpus pass (ms) as JSON. */
async function measure(name: string): Promise<void> {
  const files = corpusDockerfiles();
  const config = { ...emptyConfig(), enableAll: true };
  const facts = { dockerignore: null };
  const only = name === SEED ? seedRuleIds() : undefined;
  let sink = 0;
  const run = name === PEER
    ? () => { for (const f of files) sink += validate(f.text).length; }
    : () => { for (const f of files) sink += lintParsed('dockerfile', f.file, parseDockerfile(f.text), { config, facts, only }).length; };
  // each iteration lints the whole corpus (about half a second), so a handful of samples is enough
  const bench = new Bench({ time: 2000, warmupTime: 500, iterations: 4 });
  bench.add(name, run);
  await bench.run();
  const r = bench.tasks[0].result as unknown as { latency?: { mean: number }; mean?: number; samples?: unknown[] };
  console.log(JSON.stringify({ name, mean: r.latency?.mean ?? r.mean ?? NaN, samples: bench.tasks[0].runs, files: files.length, sink: sink > 0 }));
}

async function main(): Promise<void> {
  const taskArg = process.argv.indexOf('--task');
  if (taskArg >= 0) return measure(process.argv[taskArg + 1]);
  const files = corpusDockerfiles();
  if (files.length === 0) throw new Error('corpus not found next to the project (../shared/corpus)');
  const seed = seedRuleIds();
  const dockerfileRuleCount = RULES.filter((r) => r.meta.language === 'dockerfile').length;
  // load from other processes comes in bursts that land on one task: several rounds, each task's best round counts
  const rounds = process.argv.includes('--quick') ? 1 : 3;
  const best = new Map<string, { mean: number; samples: number }>();
  for (let round = 0; round < rounds; round++) {
    for (const name of TASKS) {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--task', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const r = JSON.parse(out.trim().split('\n').pop()!) as { mean: number; samples: number };
      if (!(r.mean >= (best.get(name)?.mean ?? Infinity))) best.set(name, r);
    }
  }
  const perFile = (name: string) => best.get(name)!.mean / files.length;
  const ours = perFile(ALL);
  const peer = perFile(PEER);
  const seedOnly = perFile(SEED);
  const result = {
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length, load: os.loadavg()[0],
    files: files.length, rounds, hullcheckMsPerFile: +ours.toFixed(4), dockerfileUtilsMsPerFile: +peer.toFixed(4), ratio: +(ours / peer).toFixed(3),
    seedRules: seed.length, allRules: dockerfileRuleCount, seedOnlyMsPerFile: +seedOnly.toFixed(4), allOverSeed: +(ours / seedOnly).toFixed(3),
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.table(TASKS.map((name) => ({ task: name, 'ms per file': +perFile(name).toFixed(4), 'samples (best round)': best.get(name)!.samples })));
    console.log(`${rounds} round(s), each task in its own process; each task's best round counts`);
    console.log(`per file: hullcheck ${result.hullcheckMsPerFile} ms, dockerfile-utils ${result.dockerfileUtilsMsPerFile} ms, ratio ${result.ratio}x (target <= 0.6x)`);
    console.log(`seed conventions only (${result.seedRules} of ${result.allRules} Dockerfile rules): ${result.seedOnlyMsPerFile} ms per file; `
      + `all rules / seed only = ${result.allOverSeed}x (issue 3: at most 1.3x)`);
    console.log(`load average ${result.load.toFixed(1)} on ${result.cores} cores`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
