// Benchmark: budget + layer analysis (history attribution and the streamed `docker save` walk for wasted bytes
// and secret files, run concurrently as the product runs them) of a ~1 GiB image, against plain
// `docker save IMAGE > /dev/null`. The analysis runs in a child
// process so its peak RSS is its own; it must stay under 150 MB. Run: node --import tsx test/bench/image.bench.ts

import { execFileSync, spawnSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE_IMAGE, build, cleanup, ensureEngine } from '../docker/engine';

const TAG = 'hc-test/bench:1';
const RSS_LIMIT_MB = 150;

const DOCKERFILE = `FROM ${BASE_IMAGE}
RUN mkdir -p /data/many && for i in $(seq 1 4000); do head -c 2048 /dev/urandom > /data/many/f$i; done
RUN head -c 400000000 /dev/urandom > /data/a.bin && head -c 300000000 /dev/urandom > /data/b.bin
RUN head -c 150000000 /dev/urandom > /data/c.bin && rm /data/b.bin
COPY Dockerfile /etc/bench-dockerfile
`;

/** The analysis as the product ships it: bundled with esbuild, so the child's RSS is not the TypeScript loader's. */
const CHILD_SOURCE = `
import { DockerEngine } from './server/src/docker/connection';
import { analyzeImage, findImage, saveAndAnalyze } from './server/src/docker/images';
import { loadWorkspace } from './server/src/docker/workspace';
import { nodeHost } from './server/src/core/fileHost';
(async () => {
  const engine = new DockerEngine();
  await engine.connect();
  const t0 = process.hrtime.bigint();
  const local = (await findImage(engine, process.argv[3]))!;
  // as \`hullcheck image\` and the editor do it: the workspace, history and attribution are read while the save streams
  const [image, save] = await Promise.all([
    loadWorkspace(process.argv[2], nodeHost).then((model) => analyzeImage(engine, model, nodeHost, local)),
    saveAndAnalyze(engine, local.id),
  ]);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  engine.dispose();
  console.log(JSON.stringify({ ms, size: local.size, budget: image.mapping.budget?.bytes, layers: image.layers.length,
    attributed: image.layers.filter((l) => l.instr).length, wasted: save.wastedBytes, maxRssKB: process.resourceUsage().maxRSS,
    cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000 }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function bundleChild(dir: string): string {
  const repo = path.resolve(__dirname, '../..');
  const entry = path.join(repo, `.bench-entry-${process.pid}.ts`);
  const out = path.join(dir, 'bench-child.js');
  fs.writeFileSync(entry, CHILD_SOURCE);
  try {
    execFileSync(path.join(repo, 'node_modules/.bin/esbuild'), [entry, '--bundle', '--platform=node', '--target=node18', '--format=cjs',
      `--outfile=${out}`, '--external:cpu-features', '--external:*.node', '--log-level=warning'], { cwd: repo });
  } finally {
    fs.rmSync(entry, { force: true });
  }
  return out;
}

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

function main(): void {
  ensureEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-bench-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
  fs.writeFileSync(path.join(dir, '.hullcheck.yaml'), `budgets:\n  "hc-test/bench:*": { size: 1.2GB, dockerfile: Dockerfile }\n`);
  let created = false;
  try {
    const t0 = Date.now();
    // an image kept from an earlier run (HULLCHECK_BENCH_KEEP) is reused and left in place: only what this run built is removed
    created = spawnSync('docker', ['image', 'inspect', TAG], { stdio: 'ignore' }).status !== 0;
    if (created) build(dir, TAG);
    console.log(`image ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const child = bundleChild(dir);
    // rounds alternate the two, so a change in the machine's load hits both; the load is printed with each round
    const runs = Number(process.env.HULLCHECK_BENCH_RUNS) || 3;
    const saveMs: number[] = [];
    const analysis: { ms: number; cpuMs: number; maxRssKB: number; size: number; wasted: number; layers: number; attributed: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const load = os.loadavg().map((x) => x.toFixed(2)).join(', ');
      const s0 = process.hrtime.bigint();
      execFileSync('bash', ['-c', `docker save ${TAG} > /dev/null`]);
      saveMs.push(Number(process.hrtime.bigint() - s0) / 1e6);
      const out = execFileSync(process.execPath, [child, dir, TAG], { encoding: 'utf8' });
      analysis.push(JSON.parse(out.trim().split('\n').pop()!));
      const r = analysis[i];
      console.log(`round ${i + 1}: load average ${load}; save ${saveMs[i].toFixed(0)} ms, analysis ${r.ms.toFixed(0)} ms (${r.cpuMs.toFixed(0)} ms CPU), ratio ${(r.ms / saveMs[i]).toFixed(2)}`);
    }
    const a = analysis[0];
    const peak = Math.max(...analysis.map((x) => x.maxRssKB)) / 1024;
    console.log(`image ${TAG}: ${(a.size / 1048576).toFixed(0)} MB, ${a.layers} history entries (${a.attributed} tied to Dockerfile lines), wasted ${(a.wasted / 1048576).toFixed(1)} MB`);
    console.log(`docker save > /dev/null : median ${median(saveMs).toFixed(0)} ms  (${saveMs.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`budget + layer analysis : median ${median(analysis.map((x) => x.ms)).toFixed(0)} ms  (${analysis.map((x) => x.ms.toFixed(0)).join(', ')})`);
    console.log(`ratio analysis/save     : ${(median(analysis.map((x) => x.ms)) / median(saveMs)).toFixed(2)} (median of the rounds' ratios ${median(analysis.map((x, i) => x.ms / saveMs[i])).toFixed(2)})`);
    console.log(`CPU of the analysis     : median ${median(analysis.map((x) => x.cpuMs)).toFixed(0)} ms`);
    console.log(`peak RSS of the analysis: ${peak.toFixed(1)} MB (limit ${RSS_LIMIT_MB} MB)`);
    assert.ok(a.size > 900 * 1048576, 'the bench image is about 1 GiB');
    assert.equal(a.wasted, 300000000, 'the deleted 300 MB file is the waste');
    assert.ok(peak < RSS_LIMIT_MB, `peak RSS ${peak.toFixed(1)} MB is over ${RSS_LIMIT_MB} MB`);
  } finally {
    if (created && !process.env.HULLCHECK_BENCH_KEEP) cleanup([TAG]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
