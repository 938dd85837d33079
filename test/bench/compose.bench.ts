// Per-file compose lint time (one parse + every compose rule, schema included) against a bare `yaml` parse plus
// ajv validation with the same schema, on the corpus compose files, in one process. Harness: tinybench.
// Run: npx tsx test/bench/compose.bench.ts   (prints a table and the ratio; JSON with --json)

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { Bench } from 'tinybench';
import { parse } from 'yaml';
import { parseCompose } from '../../server/src/parse/compose';
import { lintParsed } from '../../server/src/engine/linter';
import { emptyConfig } from '../../server/src/config/hullcheckConfig';
import schemaJson from '../../server/src/model/compose-spec.json';
import { CORPUS, walk } from './corpus';

async function main(): Promise<void> {
  const names = [...walk(path.join(CORPUS, 'compose'), () => true), ...walk(path.join(CORPUS, 'tale'), (n) => /compose.*\.ya?ml$/.test(n))];
  const files = names.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  if (files.length === 0) throw new Error('corpus not found next to the project (../shared/corpus)');
  const config = { ...emptyConfig(), enableAll: true };
  const { $schema: _s, ...schema } = schemaJson as Record<string, unknown>;
  void _s;
  const validate = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);
  // compile both validators before timing
  lintParsed('compose', files[0].file, parseCompose(files[0].text), { config, facts: {} });
  let sink = 0;
  const bench = new Bench({ time: 3000, warmupTime: 500 });
  bench
    .add('hullcheck (parse + all compose rules)', () => {
      for (const f of files) sink += lintParsed('compose', f.file, parseCompose(f.text), { config, facts: {} }).length;
    })
    .add('yaml parse + ajv validate', () => {
      for (const f of files) {
        let v: unknown;
        try { v = parse(f.text, { merge: true, maxAliasCount: 1000, logLevel: 'error' }); } catch { continue; }
        sink += validate(v) ? 0 : validate.errors?.length ?? 1;
      }
    });
  await bench.run();
  const perFile = (name: string) => {
    const t = bench.tasks.find((x) => x.name === name)!;
    const r = t.result as unknown as { latency?: { mean: number }; mean?: number };
    return (r.latency?.mean ?? r.mean ?? NaN) / files.length;
  };
  const ours = perFile('hullcheck (parse + all compose rules)');
  const peer = perFile('yaml parse + ajv validate');
  const result = {
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
    files: files.length, hullcheckMsPerFile: +ours.toFixed(4), yamlAjvMsPerFile: +peer.toFixed(4), ratio: +(ours / peer).toFixed(3),
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.table(bench.table());
    console.log(`per file: hullcheck ${result.hullcheckMsPerFile} ms, yaml+ajv ${result.yamlAjvMsPerFile} ms, ratio ${result.ratio}x`);
  }
  if (sink < 0) console.log(sink);
}

main().catch((e) => { console.error(e); process.exit(1); });
