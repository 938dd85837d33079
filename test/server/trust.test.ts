// Trust boundaries of executables and the engine: in an untrusted workspace the server runs no ShellCheck and
// never connects to the Docker socket (code lens, budgets, health, state, builds, Trivy, smoke), until trust is
// granted; and a repository's own `shellcheck` (./bin, node_modules/.bin, `.`, or an absolute PATH entry inside
// it) never runs, in the editor or from the CLI. Fake binaries write a marker file when they are run.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const TEXT = 'FROM debian:bookworm-slim\nRUN echo $name\nRUN echo $other\n';

function tmp(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hullcheck-trust-${name}-`));
}

/** A `shellcheck` in `dir` that appends its arguments to `marker` whenever it runs, and answers like ShellCheck. */
function fakeShellcheck(dir: string, marker: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'shellcheck'), `#!/bin/sh
echo "$@" >> '${marker}'
[ "$1" = "--version" ] && { echo "version: 9.9.9"; exit 0; }
cat > /dev/null
echo '{"comments":[]}'
`, { mode: 0o755 });
}

async function until(cond: () => boolean, what: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('untrusted workspace: no ShellCheck, no engine contact from any request, until trust is granted', async (t) => {
  const ws = tmp('ws');
  fs.writeFileSync(path.join(ws, 'Dockerfile'), TEXT);
  fs.writeFileSync(path.join(ws, 'compose.yaml'), 'services:\n  app:\n    build: .\n');
  const marker = path.join(tmp('marker'), 'ran');
  const bin = tmp('bin');
  fakeShellcheck(bin, marker);
  // a Docker "engine" that only counts who connects
  const sock = path.join(tmp('sock'), 'docker.sock');
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => { connections++; sockets.add(s); s.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(sock, r));
  const saved = { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST };
  process.env.PATH = `${bin}:${process.env.PATH}`;
  process.env.DOCKER_HOST = `unix://${sock}`;
  const c = new TestClient();
  t.after(async () => {
    await c.conn.sendRequest('shutdown').catch(() => undefined);
    c.dispose();
    for (const s of sockets) s.destroy();
    server.close();
    process.env.PATH = saved.PATH;
    if (saved.DOCKER_HOST === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved.DOCKER_HOST;
  });
  await c.initialize([ws], { workspaceTrusted: false });
  const uri = pathToFileURL(path.join(ws, 'Dockerfile')).toString();
  const first = await c.open(uri, TEXT);
  assert.ok(first.diagnostics.length > 0, 'linting works untrusted');

  const lenses = await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(lenses, []);
  const state = await c.conn.sendRequest('hullcheck/engineState', {}) as { status: string };
  assert.equal(state.status, 'untrusted');
  const budgets = await c.conn.sendRequest('hullcheck/imageBudgets', {}) as { engine: { status: string }; budgeted: unknown[] };
  assert.equal(budgets.engine.status, 'untrusted');
  const health = await c.conn.sendRequest('hullcheck/health') as { engine: { status: string } };
  assert.equal(health.engine.status, 'untrusted');
  const build = await c.conn.sendRequest('hullcheck/buildImage', { dockerfileUri: uri, buildId: 'b' }) as { ok: boolean; error: string };
  assert.equal(build.ok, false);
  assert.match(build.error, /trusted/);
  // even a client that claims trust in the request is refused by the server's own state
  const scan = await c.conn.sendRequest('hullcheck/trivyScan', { ref: 'alpine:3.19', workspaceTrusted: true }) as { ok: boolean; kind: string };
  assert.deepEqual([scan.ok, scan.kind], [false, 'untrusted']);
  const smoke = await c.conn.sendRequest('hullcheck/smokeRun', { folderUri: pathToFileURL(ws).toString(), runId: 's' }) as { problems: string[] };
  assert.match(smoke.problems.join('\n'), /trusted/);
  // an edit is linted again; ShellCheck would have had its chance on both versions
  await c.change(uri, TEXT + 'RUN echo $third\n');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(connections, 0, 'nothing connected to the Docker socket');
  assert.equal(fs.existsSync(marker), false, 'no executable ran');

  // granting trust lets ShellCheck and the engine in: proof that the checks above could fail
  await c.conn.sendNotification('hullcheck/workspaceTrusted', { trusted: true });
  await until(() => fs.existsSync(marker) && /json1/.test(fs.readFileSync(marker, 'utf8')), 'ShellCheck to run after trust');
  void c.conn.sendRequest('hullcheck/engineState', {}).catch(() => undefined);
  await until(() => connections > 0, 'the engine to be contacted after trust');
});

/** A workspace shipping its own `shellcheck` in ./bin, node_modules/.bin and its top folder. */
function hostileWorkspace(badMarker: string): string {
  const ws = tmp('hostile');
  fs.mkdirSync(path.join(ws, '.git'));
  fs.writeFileSync(path.join(ws, 'Dockerfile'), TEXT);
  for (const d of ['bin', 'node_modules/.bin', '.']) fakeShellcheck(path.join(ws, d), badMarker);
  return ws;
}

test('the server never runs a shellcheck from a relative PATH entry or from inside the workspace', async (t) => {
  const bad = path.join(tmp('bad'), 'ran');
  const good = path.join(tmp('good'), 'ran');
  const ws = hostileWorkspace(bad);
  const trusted = tmp('trusted-bin');
  fakeShellcheck(trusted, good);
  const saved = { PATH: process.env.PATH, cwd: process.cwd() };
  // relative entries resolve against the working folder, which is the workspace, as when an editor starts there
  process.chdir(ws);
  process.env.PATH = ['bin', 'node_modules/.bin', '.', '', path.join(ws, 'node_modules/.bin'), trusted].join(path.delimiter);
  const c = new TestClient();
  t.after(() => { c.dispose(); process.chdir(saved.cwd); process.env.PATH = saved.PATH; });
  await c.initialize([ws]);
  await c.open(pathToFileURL(path.join(ws, 'Dockerfile')).toString(), TEXT);
  await until(() => fs.existsSync(good) && /json1/.test(fs.readFileSync(good, 'utf8')), 'the trusted shellcheck to run');
  assert.equal(fs.existsSync(bad), false, `the workspace's shellcheck ran: ${fs.existsSync(bad) ? fs.readFileSync(bad, 'utf8') : ''}`);
});

test('the CLI never runs a shellcheck from a relative PATH entry or from inside the repository', () => {
  const bad = path.join(tmp('bad'), 'ran');
  const good = path.join(tmp('good'), 'ran');
  const ws = hostileWorkspace(bad);
  const trusted = tmp('trusted-bin');
  fakeShellcheck(trusted, good);
  const PATH = ['bin', 'node_modules/.bin', '.', path.join(ws, 'node_modules/.bin'), trusted, '/usr/bin', '/bin'].join(path.delimiter);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(ROOT, 'server/src/cli.ts'), 'lint', 'Dockerfile'], {
    cwd: ws, env: { ...process.env, PATH, XDG_CACHE_HOME: tmp('cache') }, encoding: 'utf8', timeout: 60_000,
  });
  // 0 or 1 depending on what the preset reports; 2 would be a failed run
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  assert.ok(fs.existsSync(good) && /json1/.test(fs.readFileSync(good, 'utf8')), `the trusted shellcheck ran: ${r.stderr}`);
  assert.equal(fs.existsSync(bad), false, "the repository's shellcheck did not run");
});
