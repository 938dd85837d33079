// ShellCheck under resource limits and across a whole CLI run: 300 RUNs at 256 open files, a killed or missing
// binary, a refused spawn, temp folders gone after SIGTERM/SIGINT, batches shared by files, and the results cache
// in ~/.cache kept between runs (a corrupt entry is ignored). The CLI runs as a real process where limits matter.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ShellcheckRunner } from '../../server/src/shellcheck/shellcheck';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/src/cli.ts');
/** The TypeScript loader by absolute URL: the CLI runs with its working folder in a temporary project. */
const TSX = pathToFileURL(require.resolve('tsx')).href;
const REAL = spawnSync('sh', ['-c', 'command -v shellcheck'], { encoding: 'utf8' }).stdout.trim();
const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

function tmp(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hullcheck-${name}-`));
}

/** A folder holding an executable `shellcheck` with this shell body. */
function fakeShellcheck(body: string): string {
  const dir = tmp('fakebin');
  fs.writeFileSync(path.join(dir, 'shellcheck'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

/** A wrapper around the real binary that logs each check it runs (not `--version`). */
function countingShellcheck(log: string): string {
  return fakeShellcheck(`[ "$1" = "--version" ] || echo run >> '${log}'\nexec '${REAL}' "$@"`);
}

interface Env { path: string; tmpdir: string; cache: string }

function cliEnv(e: Env): NodeJS.ProcessEnv {
  return { ...process.env, PATH: e.path, TMPDIR: e.tmpdir, XDG_CACHE_HOME: e.cache };
}

function runCli(args: string[], e: Env, cwd: string, prefix: string[] = []): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  const cmd = [...prefix, process.execPath, '--import', TSX, CLI, ...args];
  return spawnSync(cmd[0], cmd.slice(1), { cwd, env: cliEnv(e), encoding: 'utf8', timeout: 120_000 }) as never;
}

const scTemp = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('hullcheck-sc-'));

function project(files: Record<string, string>): string {
  const dir = tmp('proj');
  for (const [n, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.writeFileSync(path.join(dir, n), t);
  }
  return dir;
}

const runs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `RUN echo $v${from + i}`).join('\n');

describe('ShellCheck under resource limits', () => {
  it('checks 300 distinct RUNs with 256 open files allowed, and leaves no temp folder', { skip: (!REAL || !hasPrlimit) && 'needs shellcheck and prlimit' }, () => {
    const dir = project({ Dockerfile: `FROM debian\n${runs(300)}\n` });
    // the system temp folder: the TypeScript loader itself runs out of descriptors at 256 with a fresh one
    const e = { path: path.dirname(REAL) + ':/usr/bin:/bin', tmpdir: os.tmpdir(), cache: tmp('cache') };
    const r = runCli(['lint', '--format', 'json', 'Dockerfile'], e, dir, ['prlimit', '--nofile=256', '--']);
    assert.equal(r.signal, null);
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /Unhandled|EMFILE|failed/);
    const sc = (JSON.parse(r.stdout).findings as { rule: string }[]).filter((f) => f.rule === 'SC2154');
    assert.equal(sc.length, 300);
    // prlimit execs node, so the CLI's pid is the child's
    assert.deepEqual(scTemp(e.tmpdir).filter((n) => n.startsWith(`hullcheck-sc-${r.pid}-`)), []);
  });

  it('a killed ShellCheck: one line per batch, exit 3 (internal failure), not 1 (findings)', () => {
    const bin = fakeShellcheck('[ "$1" = "--version" ] && { echo "version: 0.9.0"; exit 0; }\nkill -9 $$');
    const dir = project({ Dockerfile: `FROM debian\n${runs(3)}\n` });
    const e = { path: `${bin}:/usr/bin:/bin`, tmpdir: tmp('tmpdir'), cache: tmp('cache') };
    const r = runCli(['lint', 'Dockerfile'], e, dir);
    assert.equal(r.status, 3, r.stderr);
    assert.doesNotMatch(r.stderr, /Unhandled|at .*\.ts:\d+/);
    const lines = r.stderr.split('\n').filter((l) => /ShellCheck failed/.test(l));
    // the batch, then the scripts one by one: two lines, however many scripts
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[1], /3 RUN scripts \(killed by SIGKILL\)/);
    assert.match(r.stderr, /could not check 3 RUN scripts; the result is incomplete \(exit 3\)/);
    assert.deepEqual(scTemp(e.tmpdir), []);
  });

  it('a missing ShellCheck is skipped with one line and does not change the exit code', () => {
    const dir = project({ Dockerfile: `FROM debian\n${runs(3)}\n` });
    const e = { path: tmp('emptybin'), tmpdir: tmp('tmpdir'), cache: tmp('cache') };
    const r = runCli(['lint', 'Dockerfile'], e, dir);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.split('\n').filter((l) => /ShellCheck/.test(l)).length, 1);
    assert.match(r.stderr, /was not found on PATH/);
  });

  it('a refused spawn is handled before any stream is used: every script reported lost, one process tried', async () => {
    const dir = tmp('badinterp');
    const bin = path.join(dir, 'shellcheck');
    fs.writeFileSync(bin, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const logs: string[] = [];
    const r = new ShellcheckRunner({ binary: bin, log: (m) => logs.push(m) });
    const inputs = Array.from({ length: 300 }, (_, i) => `#!/bin/sh\necho $v${i}\n`);
    const res = await r.check(inputs);
    await r.dispose();
    assert.equal(res.filter((x) => x === undefined).length, 300);
    assert.equal(r.failed, 300);
    assert.ok(r.spawns <= 2, `at most one try per process slot, no retry one by one: ${r.spawns}`);
    assert.equal(logs.length, r.spawns, 'one line per batch');
    for (const l of logs) assert.match(l, /batch of \d+ scripts \(.*ENOENT.*\); their ShellCheck findings are skipped/);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`removes its temp folder and its ShellCheck process on ${signal}`, async () => {
      const pidFile = path.join(tmp('pid'), 'pid');
      const bin = fakeShellcheck(`[ "$1" = "--version" ] && { echo "version: 0.9.0"; exit 0; }\necho $$ > '${pidFile}'\nexec sleep 30`);
      const dir = project({ Dockerfile: `FROM debian\n${runs(3)}\n` });
      const e = { path: `${bin}:/usr/bin:/bin`, tmpdir: tmp('tmpdir'), cache: tmp('cache') };
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'lint', 'Dockerfile'], { cwd: dir, env: cliEnv(e), stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      const deadline = Date.now() + 60_000;
      while (!(scTemp(e.tmpdir).length && fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim())) {
        assert.ok(Date.now() < deadline, 'the batch never started');
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill(signal);
      assert.equal(await exited, signal, 'the process ends by the signal, as without the cleanup');
      assert.deepEqual(scTemp(e.tmpdir), []);
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      await new Promise((r) => setTimeout(r, 200));
      // gone, or a zombie waiting for a parent that does not reap (PID 1 in some containers)
      const state = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
      assert.ok(state === 'gone' || state === 'Z', `the ShellCheck process was killed too (state ${state})`);
    });
  }
});

describe('ShellCheck across a whole run', () => {
  it('shares a few processes between files, and a second run is answered from the cache', { skip: !REAL && 'needs shellcheck' }, () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`svc${i}/Dockerfile`] = `FROM debian\n${runs(5, i * 5)}\n`;
    const dir = project(files);
    const log = path.join(tmp('log'), 'runs');
    const e = { path: `${countingShellcheck(log)}:/usr/bin:/bin`, tmpdir: tmp('tmpdir'), cache: tmp('cache') };
    const processes = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
    const cold = runCli(['lint', '--format', 'json', '.'], e, dir);
    assert.equal(cold.status, 1, cold.stderr);
    const findings = (out: string) => (JSON.parse(out).findings as { rule: string; file: string; line: number }[]).filter((f) => f.rule.startsWith('SC'));
    assert.equal(findings(cold.stdout).filter((f) => f.rule === 'SC2154').length, 100);
    const coldRuns = processes();
    assert.ok(coldRuns <= 2, `20 files, 100 scripts: ${coldRuns} processes (at most one per slot)`);

    const entries = fs.readdirSync(path.join(e.cache, 'hullcheck-shellcheck', 'results'));
    assert.equal(entries.length, 100);
    const warm = runCli(['lint', '--format', 'json', '.'], e, dir);
    assert.equal(processes(), coldRuns, 'the warm run started no check');
    assert.deepEqual(findings(warm.stdout), findings(cold.stdout));

    // a corrupt entry is a miss: that script is checked again and its entry rewritten
    const victim = path.join(e.cache, 'hullcheck-shellcheck', 'results', entries[0]);
    fs.writeFileSync(victim, '{"not": "comments"');
    const again = runCli(['lint', '--format', 'json', '.'], e, dir);
    assert.equal(processes(), coldRuns + 1);
    assert.deepEqual(findings(again.stdout), findings(cold.stdout));
    assert.ok(Array.isArray(JSON.parse(fs.readFileSync(victim, 'utf8'))));
  });
});
