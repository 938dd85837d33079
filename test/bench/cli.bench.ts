// Whole-repository runs as a user starts them, whole processes in the same run, alternated round by round: the
// built `hullcheck lint` (ShellCheck 0.11 on, its result cache cold and warm, and without ShellCheck) against the real
// hadolint 2.15.1 binary (which embeds ShellCheck) and dockerfile-utils' validate as a process, over the 483 corpus
// Dockerfiles copied to neutral paths (<n>/Dockerfile). Prints each task's median wall time and the ratios.
// Needs `npm run build:server` and `bash test/oracles.sh hadolint shellcheck`.
// Run: npx tsx test/bench/cli.bench.ts [--rounds N] [--json]

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusDockerfiles } from './corpus';
import { missing, oracle } from '../conformance/oracles';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'server', 'out', 'cli.js');

interface Task { name: string; run: () => { code: number | null; stdout: string } }

function main(): void {
  for (const tool of ['hadolint', 'shellcheck'] as const) {
    const why = missing(tool);
    if (why) throw new Error(why);
  }
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing; run npm run build:server`);
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 3;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-cli-bench-'));
  try {
    const files = corpusDockerfiles();
    const root = path.join(tmp, 'files');
    const paths = files.map((f, i) => {
      const p = path.join(root, String(i).padStart(3, '0'), 'Dockerfile');
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.text);
      return p;
    });
    // ShellCheck 0.11 first on PATH (an absolute entry), as hadolint 2.15.1 embeds 0.11
    const PATH = `${path.dirname(oracle('shellcheck').bin)}:/usr/local/bin:/usr/bin:/bin`;
    const warmCache = path.join(tmp, 'cache-warm');
    let cold = 0;
    const proc = (cmd: string, args: string[], env: Record<string, string>) => () => {
      const r = spawnSync(cmd, args, { cwd: tmp, env: { PATH, HOME: tmp, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (r.error) throw r.error;
      return { code: r.status, stdout: r.stdout };
    };
    const tasks: Task[] = [
      { name: 'hullcheck lint (ShellCheck, cold cache)', run: () => proc(process.execPath, [CLI, 'lint', '--format', 'json', root], { XDG_CACHE_HOME: path.join(tmp, `cache-cold-${cold++}`) })() },
      { name: 'hullcheck lint (ShellCheck, warm cache)', run: proc(process.execPath, [CLI, 'lint', '--format', 'json', root], { XDG_CACHE_HOME: warmCache }) },
      { name: 'hullcheck lint --no-shellcheck', run: proc(process.execPath, [CLI, 'lint', '--no-shellcheck', '--format', 'json', root], { XDG_CACHE_HOME: warmCache }) },
      { name: 'hadolint 2.15.1', run: proc(oracle('hadolint').bin, ['--no-fail', '--format', 'json', ...paths], { XDG_CONFIG_HOME: tmp }) },
      { name: 'dockerfile-utils validate (process)', run: proc(process.execPath, [path.join(__dirname, 'validateProcess.cjs'), root], { NODE_PATH: path.join(REPO, 'node_modules') }) },
    ];
    // one untimed pass: warms the warm cache and the file system, and checks every tool really ran
    for (const t of tasks) {
      const r = t.run();
      if (r.stdout.length === 0) throw new Error(`${t.name} printed nothing (exit ${r.code})`);
    }
    const times = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const t of tasks) {
        const t0 = performance.now();
        t.run();
        times.get(t.name)!.push(performance.now() - t0);
      }
    }
    const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
    const m = new Map([...times].map(([k, v]) => [k, median(v)]));
    const [coldT, warmT, noScT, hadolintT, validateT] = tasks.map((t) => m.get(t.name)!);
    const result = {
      date: new Date().toISOString(), node: process.version, cores: os.cpus().length, load: os.loadavg().map((l) => +l.toFixed(2)),
      files: files.length, rounds, medianMs: Object.fromEntries([...m].map(([k, v]) => [k, Math.round(v)])),
      ratios: {
        coldVsHadolint: +(coldT / hadolintT).toFixed(3), warmVsHadolint: +(warmT / hadolintT).toFixed(3),
        coldVsValidate: +(coldT / validateT).toFixed(3), warmVsValidate: +(warmT / validateT).toFixed(3), noShellcheckVsValidate: +(noScT / validateT).toFixed(3),
      },
    };
    if (process.argv.includes('--json')) { console.log(JSON.stringify(result)); return; }
    console.table([...m].map(([task, ms]) => ({ task, 'median wall ms': Math.round(ms), runs: times.get(task)!.length })));
    console.log(`${files.length} Dockerfiles, ${rounds} alternated round(s), whole processes; load average ${result.load.join(' ')} on ${result.cores} cores`);
    console.log(`hullcheck (ShellCheck) / hadolint 2.15.1: cold cache ${result.ratios.coldVsHadolint}x, warm cache ${result.ratios.warmVsHadolint}x (target <= 1.0x)`);
    console.log(`hullcheck (ShellCheck) / dockerfile-utils validate: cold ${result.ratios.coldVsValidate}x, warm ${result.ratios.warmVsValidate}x; without ShellCheck ${result.ratios.noShellcheckVsValidate}x (target <= 1.0x)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
