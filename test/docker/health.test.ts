// Container health against a real dockerd: a container seen going healthy then unhealthy through /events, its
// probe runs and failing streak, a container without a healthcheck, and read-only logs.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DockerEngine, type EngineEvent } from '../../server/src/docker/connection';
import { containerLogs, listHealth, restartContainer } from '../../server/src/docker/health';
import { build, cleanup, context, docker, ensureEngine, SCRATCH_HEADER, TEST_LABEL, waitFor } from './engine';

const TAG = 'hc-test/health:1';
const containers: string[] = [];
let engine: DockerEngine;

before(async () => {
  ensureEngine();
  build(context({ Dockerfile: `${SCRATCH_HEADER}RUN ["/bin/busybox", "mkdir", "-m", "1777", "/tmp"]\nUSER 1000:1000\nHEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD ["/bin/sh", "-c", "echo probe; test ! -f /tmp/fail"]\nCMD ["/bin/sh", "-c", "echo started; sleep 300"]\n` }), TAG);
  engine = new DockerEngine({ watchEvents: true });
  assert.equal((await engine.connect()).status, 'connected');
});
after(() => { engine?.dispose(); cleanup([TAG], containers); });

function healthEvent(id: string, status: string): Promise<EngineEvent> {
  return waitFor<EngineEvent>((done) => engine.onEvent((e) => { if (e.id === id && e.action === 'health_status' && e.attributes.health_status === status) done(e); }), 30_000, `${status} on ${id.slice(0, 12)}`);
}

test('a container is seen going healthy, then unhealthy after its probe starts failing, through engine events', async () => {
  const id = docker(['run', '-d', '--network', 'none', '--label', TEST_LABEL, '--label', 'com.docker.compose.project=hc-proj', '--label', 'com.docker.compose.service=web', TAG]).trim();
  containers.push(id);
  await healthEvent(id, 'healthy');
  let groups = await listHealth(engine);
  let item = groups.find((g) => g.project === 'hc-proj')?.containers.find((c) => c.id === id);
  assert.equal(item?.health, 'healthy');
  assert.equal(item?.service, 'web');
  assert.deepEqual(item?.healthcheck?.test, ['CMD', '/bin/sh', '-c', 'echo probe; test ! -f /tmp/fail']);
  assert.equal(item?.healthcheck?.interval, '1s');
  assert.ok(item!.runs.length >= 1 && item!.runs[0].exitCode === 0 && item!.runs[0].output === 'probe');

  const unhealthy = healthEvent(id, 'unhealthy');
  docker(['exec', id, '/bin/touch', '/tmp/fail']);
  await unhealthy;
  groups = await listHealth(engine);
  item = groups.find((g) => g.project === 'hc-proj')!.containers.find((c) => c.id === id);
  assert.equal(item?.health, 'unhealthy');
  assert.ok(item!.failingStreak >= 2, `failing streak ${item!.failingStreak}`);
  assert.equal(item!.runs[0].exitCode, 1);

  const logs = await containerLogs(engine, id);
  assert.match(logs.text, /started/);
});

test('a container without a healthcheck is listed with health none, outside any compose project', async () => {
  const id = docker(['run', '-d', '--network', 'none', '--label', TEST_LABEL, '--no-healthcheck', TAG]).trim();
  containers.push(id);
  const loose = (await listHealth(engine)).find((g) => g.project === null)?.containers.find((c) => c.id === id);
  assert.equal(loose?.health, 'none');
  assert.equal(loose?.healthcheck, undefined);
  assert.deepEqual(loose?.runs, []);
});

test('restart refuses without confirmation and restarts a confirmed container (seen as a start event)', async () => {
  const id = containers[0];
  assert.equal((await restartContainer(engine, id, false)).ok, false);
  const started = waitFor<EngineEvent>((done) => engine.onEvent((e) => { if (e.id === id && e.action === 'start') done(e); }), 30_000, 'restart');
  assert.equal((await restartContainer(engine, id, true)).ok, true);
  await started;
});
