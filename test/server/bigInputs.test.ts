// Large documents: a multi-megabyte Dockerfile or compose file is linted in a worker thread with a deadline, the
// server keeps answering requests on other documents meanwhile, and a deadline that hits leaves a notice.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TestClient, APT_DOCKERFILE, RULE } from './harness';
import { PARTIAL_RULE, lintLarge } from '../../server/src/features/largeLint';
import { MAX_LARGE_FINDINGS } from '../../server/src/features/largeLintWorker';
import { MAX_LINT_CHARS } from '../../server/src/features/documents';

/** A real-looking Dockerfile of about `bytes` characters: many stages of ordinary instructions. */
function bigDockerfile(bytes: number): string {
  const stage = (i: number) => `FROM debian:bookworm-slim AS s${i}\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\nWORKDIR /app\nRUN make build-${i}\n`;
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += stage(i);
  return out;
}

function bigCompose(bytes: number): string {
  let out = 'services:\n';
  for (let i = 0; out.length < bytes; i++) out += `  svc${i}:\n    image: nginx:latest\n    environment:\n      - MODE=${i}\n`;
  return out;
}

const SMALL = 'file:///nowhere/hullcheck-big/small/Dockerfile';

/** Time for a hover and a code action on the small document, while `busy` is being analysed. */
async function requestTimes(c: TestClient, busy: Promise<unknown>): Promise<number[]> {
  const small = await c.open(SMALL, APT_DOCKERFILE);
  const diag = small.diagnostics.filter((d) => d.code === RULE);
  const times: number[] = [];
  let finished = false;
  void busy.then(() => { finished = true; });
  for (let i = 0; i < 10 && !finished; i++) {
    let t = performance.now();
    await c.conn.sendRequest('textDocument/hover', { textDocument: { uri: SMALL }, position: { line: 1, character: 5 } });
    times.push(performance.now() - t);
    t = performance.now();
    const actions = await c.codeActions(SMALL, diag);
    times.push(performance.now() - t);
    assert.ok(actions.length > 0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}

test('a 5 MB Dockerfile is analysed in a worker while the server keeps answering within 100 ms', { timeout: 120_000 }, async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  c.settings = { shellcheck: { enable: false } };
  await c.initialize();
  const text = bigDockerfile(5 * 1024 * 1024);
  assert.ok(text.length > MAX_LINT_CHARS * 10);
  const uri = 'file:///nowhere/hullcheck-big/large/Dockerfile';
  const started = performance.now();
  const published = c.open(uri, text);
  const times = await requestTimes(c, published);
  const pub = await published;
  const ms = performance.now() - started;
  console.log(`5 MB Dockerfile: published after ${ms.toFixed(0)} ms with ${pub.diagnostics.length} diagnostics; other requests: max ${Math.max(...times).toFixed(1)} ms over ${times.length}`);
  assert.ok(times.length >= 2, 'the analysis finished before other requests could be timed');
  assert.ok(Math.max(...times) < 100, `slowest request ${Math.max(...times).toFixed(1)} ms`);
  const partial = pub.diagnostics.some((d) => d.code === PARTIAL_RULE && /stopped analysing it after/.test(String(d.message)));
  assert.deepEqual(c.logs.filter((l) => /fail/i.test(l)), []);
  // either the whole analysis finished (real findings on the last stage) or a notice says it is partial
  assert.ok(partial || pub.diagnostics.some((d) => d.code === RULE && d.range.start.line > 1000), 'neither complete findings nor a partial notice');
  assert.ok(!pub.diagnostics.some((d) => d.code === 'file-skipped'));
});

test('a large compose file is analysed in a worker and gets findings', { timeout: 120_000 }, async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  c.settings = { shellcheck: { enable: false } };
  await c.initialize();
  const text = bigCompose(600 * 1024);
  const uri = 'file:///nowhere/hullcheck-big/large/compose.yaml';
  const published = c.open(uri, text, 'dockercompose');
  const times = await requestTimes(c, published);
  const pub = await published;
  if (times.length) assert.ok(Math.max(...times) < 100, `slowest request ${Math.max(...times).toFixed(1)} ms`);
  const codes = [...new Set(pub.diagnostics.map((d) => d.code))];
  assert.ok(codes.includes('compose-image-latest') || pub.diagnostics.some((d) => d.code === PARTIAL_RULE && /stopped analysing it after/.test(String(d.message))), `got ${codes.join(', ')}`);
  assert.deepEqual(c.logs.filter((l) => /fail/i.test(l)), []);
});

test('when the deadline hits, the findings so far are published with a notice', { timeout: 60_000 }, async (t) => {
  process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS = '1';
  t.after(() => { delete process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS; });
  const c = new TestClient();
  t.after(() => c.dispose());
  c.settings = { shellcheck: { enable: false } };
  await c.initialize();
  const pub = await c.open('file:///nowhere/hullcheck-big/deadline/Dockerfile', bigDockerfile(MAX_LINT_CHARS + 1024));
  const notice = pub.diagnostics.find((d) => d.code === PARTIAL_RULE);
  assert.ok(notice, `no notice among ${pub.diagnostics.map((d) => d.code).join(', ')}`);
  assert.match(String(notice.message), /stopped analysing it after/);
});

test('a new version stops the analysis of the previous one and the latest version is published', { timeout: 120_000 }, async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  c.settings = { shellcheck: { enable: false } };
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-big/versions/Dockerfile';
  const text = bigDockerfile(MAX_LINT_CHARS + 4096);
  void c.open(uri, text);
  const fixed = text.replace(/install -y curl/g, 'install -y --no-install-recommends curl');
  const pub = await c.change(uri, fixed);
  assert.equal(pub.version, 2);
  assert.ok(!pub.diagnostics.some((d) => d.code === RULE), 'findings of the old version were published for the new one');
});

test('a large document with thousands of findings hands the editor its first 1,000 and says how many there are', { timeout: 120_000 }, async () => {
  const text = bigDockerfile(400 * 1024);
  // the cap is under test here, not the deadline: a loaded machine must not cut the analysis short
  const before = process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS;
  process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS = '100000';
  let r;
  try {
    r = await lintLarge('file:///nowhere/hullcheck-big/capped/Dockerfile', {
      file: '/nowhere/hullcheck-big/capped/Dockerfile', text, language: 'dockerfile', unsaved: true,
    }, () => undefined);
  } finally {
    if (before === undefined) delete process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS; else process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS = before;
  }
  assert.equal(r.partial, false);
  const [first, ...rest] = r.findings;
  const m = /^This file is large: Hullcheck shows its first 1000 findings of (\d+)\.$/.exec(first.message);
  assert.ok(m && Number(m[1]) > MAX_LARGE_FINDINGS, first.message);
  assert.equal(rest.length, MAX_LARGE_FINDINGS);
  assert.ok(rest.every((f, i) => i === 0 || f.range.start.line >= rest[i - 1].range.start.line), 'sorted by position');
  // the first ones by position: the findings of the first stage are among them
  assert.ok(rest.some((f) => f.rule === RULE && f.range.start.line === 1));
});
