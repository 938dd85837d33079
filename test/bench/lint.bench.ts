// P1: per-file lint time of Hullcheck's engine (one parse + every rule) against dockerfile-utils' validate,
// on the same corpus Dockerfiles, in the same process and run. Harness: tinybench.
// Run: npx tsx test/bench/lint.bench.ts   (prints a table and the ratio; JSON with --json)

import * as os from 'node:os';
import { Bench } from 'tinybench';
import { validate } from 'dockerfile-utils';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { lintParsed } from '../../server/src/engine/linter';
import { emptyConfig } from '../../server/src/engine/config';
import { corpusDockerfiles } from './corpus';

async function main(): Promise<void> {
  const files = corpusDockerfiles();
  if (files.length === 0) throw new Error('corpus not found next to the project (../shared/corpus)');
  const config = { ...emptyConfig(), enableAll: true };
  const facts = { dockerignore: null };
  let sink = 0;
  const bench = new Bench({ time: 3000, warmupTime: 500 });
  bench
    .add('hullcheck (parse + all rules)', () => {
      for (const f of files) sink += lintParsed('dockerfile', f.file, parseDockerfile(f.text), { config, facts }).length;
    })
    .add('dockerfile-utils validate', () => {
      for (const f of files) sink += validate(f.text).length;
    });
  await bench.run();
  const perFile = (name: string) => {
    const t = bench.tasks.find((x) => x.name === name)!;
    const r = t.result as unknown as { latency?: { mean: number }; mean?: number };
    return (r.latency?.mean ?? r.mean ?? NaN) / files.length;
  };
  const ours = perFile('hullcheck (parse + all rules)');
  const peer = perFile('dockerfile-utils validate');
  const result = {
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
    files: files.length, hullcheckMsPerFile: +ours.toFixed(4), dockerfileUtilsMsPerFile: +peer.toFixed(4), ratio: +(ours / peer).toFixed(3),
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.table(bench.table());
    console.log(`per file: hullcheck ${result.hullcheckMsPerFile} ms, dockerfile-utils ${result.dockerfileUtilsMsPerFile} ms, ratio ${result.ratio}x (target <= 0.6x)`);
  }
  if (sink < 0) console.log(sink);
}

main().catch((e) => { console.error(e); process.exit(1); });
