// `hullcheck smoke` against the real engine and the real Compose CLI: a passing stack, a health check that never
// passes, a timeout, a cancelled run and a name clash; after each, nothing of the smoke project is left and a
// pre-existing volume with a look-alike name is untouched.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/src/cli';
import { cliEngine } from '../../server/src/cli/image';
import { loadSmokeSettings } from '../../server/src/smoke/config';
import { runSmoke } from '../../server/src/smoke/run';
import { findCompose } from '../../server/src/smoke/compose';
import type { SmokeRunResult } from '../../server/src/protocol/smokeTypes';
import { nodeHost } from '../../server/src/core/fileHost';
import { context, docker, ensureEngine, SCRATCH_HEADER, TEST_LABEL } from './engine';

const PREFIX = 'hcst';
const PRE_VOLUME = `${PREFIX}-smoke-0000_data`;
let skip: string | false = false;
const dirs: string[] = [];
const containers: string[] = [];

try {
  ensureEngine();
  spawnSync('bash', [path.join(__dirname, 'compose.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (spawnSync('docker', ['compose', 'version']).status !== 0 && spawnSync('docker-compose', ['version']).status !== 0) skip = 'no Compose implementation could be installed';
} catch (e) {
  skip = `dockerd cannot run here: ${(e as Error).message.split('\n')[0]}`;
}

const DOCKERFILE = `${SCRATCH_HEADER}RUN mkdir -p /tmp /www && chmod 1777 /tmp && echo ok > /www/health
USER 1000:1000
CMD ["sleep", "300"]
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

/** A workspace with the busybox Dockerfile, a compose file and a .hullcheck.yaml. */
function workspace(compose: string, smoke: string): string {
  const dir = context({ Dockerfile: DOCKERFILE, 'compose.yml': compose, '.hullcheck.yaml': `smoke:\n  project: ${PREFIX}\n${smoke}` });
  dirs.push(dir);
  return dir;
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const code = await main(['smoke', ...args], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
  return { code, stdout, stderr };
}

function lines(cmd: string[]): string[] {
  return docker(cmd).split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Nothing with the project's label or name is left, and the look-alike volume still exists. */
function assertClean(project: string): void {
  assert.match(project, new RegExp(`^${PREFIX}-smoke-[0-9a-f]{8}$`));
  const label = `label=com.docker.compose.project=${project}`;
  assert.deepEqual(lines(['ps', '-a', '-q', '--filter', label]), [], 'containers left');
  assert.deepEqual(lines(['network', 'ls', '-q', '--filter', label]), [], 'networks left');
  assert.deepEqual(lines(['volume', 'ls', '-q', '--filter', label]), [], 'volumes left');
  assert.deepEqual(lines(['volume', 'ls', '-q']).filter((v) => v.startsWith(project)), [], 'volumes named after the project left');
  assert.deepEqual(lines(['images', '-q', `${project}*`]), [], 'built images left');
  assert.equal(docker(['volume', 'inspect', '--format', '{{index .Labels "hullcheck.test"}}', PRE_VOLUME]).trim(), '1', 'the pre-existing volume was removed');
}

const HEALTHY = (port: number) => `services:
  web:
    build: .
    network_mode: host
    command: ["httpd", "-f", "-p", "127.0.0.1:${port}", "-h", "/www"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:${port}/health"]
      interval: 1s
      timeout: 2s
      retries: 10
  worker:
    build: .
    network_mode: none
    command: ["sh", "-c", "sleep 1; touch /tmp/worker-ready; exec sleep 300"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/worker-ready"]
      interval: 1s
      timeout: 2s
      retries: 10
    volumes:
      - data:/data
volumes:
  data: {}
`;

describe('hullcheck smoke (real engine and Compose)', { skip, timeout: 300_000 }, () => {
  before(() => {
    if (!lines(['volume', 'ls', '-q']).includes(PRE_VOLUME)) docker(['volume', 'create', '--label', TEST_LABEL, '--label', 'com.docker.compose.volume=data', PRE_VOLUME]);
  });
  after(() => {
    for (const c of containers) spawnSync('docker', ['rm', '-f', c], { stdio: 'ignore' });
    const label = docker(['volume', 'inspect', '--format', '{{index .Labels "hullcheck.test"}}', PRE_VOLUME]).trim();
    if (label === '1') docker(['volume', 'rm', PRE_VOLUME]);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('runs the modern Compose (v2.20 or later: the docker compose plugin), not Compose v1', async () => {
    const cmd = await findCompose();
    assert.deepEqual([path.basename(cmd[0]), ...cmd.slice(1)], ['docker', 'compose']);
    const v = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
    const [major, minor] = v.split('.').map(Number);
    assert.ok(major > 2 || (major === 2 && minor >= 20), `docker compose ${v}`);
  });

  it('passes a healthy stack, probes its endpoint and marker, and removes the volume it created', async () => {
    const port = await freePort();
    const dir = workspace(HEALTHY(port), `  timeout: 120
  services:
    web:
      endpoints: ["http://127.0.0.1:${port}/health", { url: "http://127.0.0.1:${port}/health", from: container }]
    worker:
      markers: [/tmp/worker-ready]
`);
    const r = await cli(['--config', path.join(dir, '.hullcheck.yaml'), '--format', 'json']);
    const res = JSON.parse(r.stdout) as SmokeRunResult;
    assert.equal(res.outcome, 'passed', r.stdout + r.stderr);
    assert.equal(r.code, 0);
    assert.deepEqual(res.services.map((s) => [s.service, s.state, s.health, s.ok]), [['web', 'running', 'healthy', true], ['worker', 'running', 'healthy', true]]);
    assert.deepEqual(res.services[0].probes.map((p) => [p.from, p.ok, p.detail]), [['host', true, 'HTTP 200'], ['container', true, 'wget ok']]);
    assert.deepEqual(res.services[1].probes.map((p) => [p.kind, p.target, p.ok]), [['marker', '/tmp/worker-ready', true]]);
    assert.ok((res.services[1].secondsToHealthy ?? 0) >= 1, 'the worker needs a second before its marker exists');
    assert.deepEqual(res.teardown.removedVolumes, [`${res.project}_data`]);
    assertClean(res.project);
  });

  it('fails a stack whose health check never passes, naming the service and showing the probe output', async () => {
    const dir = workspace(`services:
  db:
    build: .
    network_mode: none
    healthcheck:
      test: ["CMD", "sh", "-c", "echo db is not accepting connections; exit 1"]
      interval: 1s
      timeout: 2s
      retries: 2
  ok:
    build: .
    network_mode: none
`, '  timeout: 120\n  services:\n    ok:\n      markers: [/tmp/never-written]\n');
    const r = await cli(['--config', path.join(dir, '.hullcheck.yaml')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /: FAILED in /);
    assert.match(r.stdout, /✗ db\s+running\s+unhealthy/);
    assert.match(r.stdout, /db: The health check failed\.\n  last health probe output:\n    db is not accepting connections/);
    assert.match(r.stdout, /ok: Probe failed: \/tmp\/never-written \(missing\)\./);
    const project = /Smoke test (\S+):/.exec(r.stdout)![1];
    assertClean(project);
  });

  it('times out while a health check is still starting, and tears down', async () => {
    const dir = workspace(`services:
  slow:
    build: .
    network_mode: none
    healthcheck:
      test: ["CMD", "true"]
      interval: 120s
      timeout: 2s
`, '  services: {}\n');
    const t0 = Date.now();
    const r = await cli(['--config', path.join(dir, '.hullcheck.yaml'), '--timeout', '15', '--format', 'json']);
    const res = JSON.parse(r.stdout) as SmokeRunResult;
    assert.equal(r.code, 1);
    assert.equal(res.outcome, 'timeout', r.stdout);
    assert.match(res.message ?? '', /Timed out after 15s while waiting for health checks/);
    assert.deepEqual(res.services.map((s) => [s.service, s.health, s.ok]), [['slow', 'starting', false]]);
    assert.ok(Date.now() - t0 < 60_000);
    assertClean(res.project);
  });

  it('tears down when cancelled midway', async () => {
    const dir = workspace(HEALTHY(await freePort()).replace(/interval: 1s/g, 'interval: 60s'), '  timeout: 120\n');
    const loaded = await loadSmokeSettings(nodeHost, dir);
    assert.ok(loaded.settings, loaded.problems.join('\n'));
    const engine = await cliEngine(undefined);
    const ctl = new AbortController();
    const phases: string[] = [];
    try {
      const res = await runSmoke(engine, loaded.settings, { signal: ctl.signal, onProgress: (p) => { phases.push(p.phase); if (p.phase === 'health') ctl.abort(); } });
      assert.equal(res.outcome, 'cancelled', JSON.stringify(res));
      assert.equal(res.teardown.skipped, false);
      assert.ok(phases.includes('teardown'));
      assertClean(res.project);
    } finally { engine.dispose(); }
  });

  it('refuses a project name used by a running project it did not start', async () => {
    const name = `${PREFIX}-clash`;
    const dir = workspace(HEALTHY(await freePort()), '');
    const c = `${PREFIX}-clash-c`;
    containers.push(c);
    docker(['run', '-d', '--network', 'none', '--name', c, '--label', TEST_LABEL, '--label', `com.docker.compose.project=${name}`, 'local/debian:bookworm-minbase', 'sleep', '300']);
    const loaded = await loadSmokeSettings(nodeHost, dir);
    const engine = await cliEngine(undefined);
    try {
      const res = await runSmoke(engine, loaded.settings!, { project: name });
      assert.equal(res.outcome, 'error');
      assert.match(res.message ?? '', /not started by a smoke test; refusing/);
      assert.equal(docker(['inspect', '--format', '{{.State.Running}}', c]).trim(), 'true');
    } finally { engine.dispose(); }
  });
});
