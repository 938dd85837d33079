// Engine faults against real processes: a dockerd this test starts on its own socket and data root is stopped in
// the middle of a save stream and of the events stream, then restarted (the connection recovers by itself); a
// socket the client may not open (permission denied); hosts that cannot be used.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { DockerEngine, type EngineState } from '../../server/src/docker/connection';
import { analyzeSave } from '../../server/src/docker/layers';
import { ensureEngine, waitFor } from './engine';

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-fault-'));
const SOCK = path.join(ROOT, 'd.sock');
let daemon: ChildProcess | undefined;

function startDaemon(): Promise<void> {
  daemon = spawn('dockerd', ['--host', `unix://${SOCK}`, '--data-root', path.join(ROOT, 'data'), '--exec-root', path.join(ROOT, 'exec'),
    '--pidfile', path.join(ROOT, 'd.pid'), '--bridge=none', '--iptables=false'], { stdio: ['ignore', fs.openSync(path.join(ROOT, 'log'), 'a'), fs.openSync(path.join(ROOT, 'log'), 'a')] });
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => new Docker({ socketPath: SOCK }).ping().then(() => resolve(), () => (Date.now() - t0 > 30_000 ? reject(new Error('test dockerd did not start')) : setTimeout(poll, 200)));
    poll();
  });
}

function stopDaemon(): Promise<void> {
  const d = daemon;
  daemon = undefined;
  if (!d || d.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => { d.once('exit', () => resolve()); d.kill('SIGTERM'); });
}

before(async () => {
  ensureEngine();
  await startDaemon();
  // a 64 MB single-layer image in the test daemon, enough for a save that is still streaming when it dies
  const dir = path.join(ROOT, 'rootfs');
  fs.mkdirSync(dir);
  execFileSync('dd', ['if=/dev/urandom', `of=${path.join(dir, 'blob')}`, 'bs=1M', 'count=64'], { stdio: 'ignore' });
  execFileSync('bash', ['-c', `tar -C ${dir} -c . | docker -H unix://${SOCK} import - hc-fault/blob:1`], { stdio: 'ignore' });
});

after(async () => {
  await stopDaemon();
  spawnSync('rm', ['-rf', ROOT]);
});

test('a save stream cut mid-way rejects instead of hanging; the engine stopping is seen and recovered by itself', async () => {
  const engine = new DockerEngine({ host: `unix://${SOCK}`, watchEvents: true, minBackoffMs: 100, maxBackoffMs: 800 });
  try {
    assert.equal((await engine.connect()).status, 'connected');
    const stream = await engine.use((d) => d.getImage('hc-fault/blob:1').get());
    const cut = (async function* () {
      let n = 0;
      for await (const chunk of stream as unknown as AsyncIterable<Buffer>) {
        // the connection drops once bytes are flowing: the rest of the tarball never arrives
        if (++n === 2) (stream as unknown as { destroy(e: Error): void }).destroy(new Error('connection lost'));
        yield chunk;
      }
    })();
    await assert.rejects(analyzeSave(cut));

    // stopping the engine ends the events stream; the state follows without any request being made
    const down = waitFor<EngineState>((done) => engine.onState((s) => { if (s.status === 'not-running') done(s); }), 30_000, 'not-running');
    await stopDaemon();
    const state = await down;
    assert.match(state.reason, /No Docker engine is listening|does not answer|closed the connection/);
    const up = waitFor<EngineState>((done) => engine.onState((s) => { if (s.status === 'connected') done(s); }), 40_000, 'reconnect');
    await startDaemon();
    assert.equal((await up).status, 'connected');
  } finally {
    engine.dispose();
  }
});

test('a socket the user may not open gives permission-denied with a reason', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-perm-'));
  fs.chmodSync(dir, 0o755);
  const sock = path.join(dir, 'fake.sock');
  const server = net.createServer((c) => c.destroy());
  await new Promise<void>((r) => server.listen(sock, r));
  fs.chmodSync(sock, 0o000);
  try {
    // root may open any socket, so the client runs as an unprivileged user, as a real one would
    const script = `const { DockerEngine } = require(${JSON.stringify(path.resolve(__dirname, '../../server/src/docker/connection.ts'))});
      const e = new DockerEngine({ host: 'unix://${sock}' });
      e.connect().then((s) => { console.log(JSON.stringify(s)); e.dispose(); });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: path.resolve(__dirname, '../..'), env: { ...process.env, HOME: dir } });
    const state = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as EngineState;
    assert.equal(state.status, 'permission-denied', r.stderr);
    assert.match(state.reason, /Permission denied on unix:\/\/.*fake\.sock/);
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a socket nobody listens on is not-running; a bad scheme and a missing context are unknown-host', async () => {
  const states: EngineState[] = [];
  for (const opts of [{ host: `unix://${path.join(ROOT, 'nothing.sock')}` }, { host: 'ftp://127.0.0.1:21' }, { env: { DOCKER_CONTEXT: 'hc-missing' }, home: ROOT }]) {
    const e = new DockerEngine(opts);
    states.push(await e.connect());
    e.dispose();
  }
  assert.deepEqual(states.map((s) => s.status), ['not-running', 'unknown-host', 'unknown-host']);
  assert.match(states[2].reason, /docker context "hc-missing"/);
});

test('the current docker context selects the engine: config.json currentContext and meta.json under sha256(name)', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-ctx-'));
  const id = require('node:crypto').createHash('sha256').update('hc-test').digest('hex') as string;
  fs.mkdirSync(path.join(home, '.docker', 'contexts', 'meta', id), { recursive: true });
  fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'hc-test' }));
  fs.writeFileSync(path.join(home, '.docker', 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'hc-test', Endpoints: { docker: { Host: `unix://${SOCK}` } } }));
  const e = new DockerEngine({ home, env: {} });
  try {
    const s = await e.connect();
    assert.equal(s.status, 'connected', s.reason);
    assert.equal(s.source, 'context hc-test');
    assert.equal(s.host, `unix://${SOCK}`);
    // DOCKER_HOST wins over the context, and an explicit host over both
    const e2 = new DockerEngine({ home, env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } });
    assert.equal((await e2.connect()).source, 'DOCKER_HOST');
    e2.dispose();
  } finally {
    e.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
