// Diagnostics over an in-memory LSP session: what a finding looks like on the wire, stale versions, and
// documents that must not crash the server.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { APT_DOCKERFILE, RULE, TestClient, ofRule } from './harness';
import { DOCS_BASE } from '../../server/src/rules/ruleDocs';
import { MAX_CACHED_PARSES } from '../../server/src/features/documents';

test('publishes a finding with code, docs link, source, severity and fix data', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-test/Dockerfile';
  const changed = c.nextFindingsChanged(uri);
  const pub = await c.open(uri, APT_DOCKERFILE);
  const [d] = ofRule(pub);
  assert.ok(d, 'the apt rule fires');
  assert.equal(pub.version, 1);
  assert.equal(d.source, 'hullcheck');
  assert.equal(d.severity, 2);
  assert.deepEqual(d.codeDescription, { href: `${DOCS_BASE}${RULE}.md` });
  assert.deepEqual(d.range, { start: { line: 1, character: 30 }, end: { line: 1, character: 37 } });
  const data = d.data as { version: number; fixes: { title: string; safety: string }[] };
  assert.equal(data.version, 1);
  assert.equal(data.fixes.length, 1);
  assert.equal(data.fixes[0].safety, 'safe');
  await changed; // hullcheck/findingsChanged follows the publish
});

test('only the latest version is published when edits arrive quickly', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-test/quick/Dockerfile';
  await c.open(uri, 'FROM debian:bookworm-slim\n');
  const fixedText = APT_DOCKERFILE.replace('install -y', 'install -y --no-install-recommends');
  const before = c.published.length;
  // three versions in a row: the last one is clean, the ones before it are not
  await c.sendChange(uri, APT_DOCKERFILE);
  await c.sendChange(uri, APT_DOCKERFILE + '# comment\n');
  const last = c.next(uri, (p) => p.version === 4);
  await c.sendChange(uri, fixedText);
  const pub = await last;
  assert.equal(ofRule(pub).length, 0);
  const later = c.published.slice(before).filter((p) => p.uri === uri);
  assert.ok(later.every((p) => p.version === 4), `stale versions were published: ${later.map((p) => p.version).join(',')}`);
});

test('a closed document has its diagnostics cleared', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-test/closing/Dockerfile';
  assert.equal(ofRule(await c.open(uri, APT_DOCKERFILE)).length, 1);
  const cleared = c.next(uri, (p) => p.diagnostics.length === 0);
  await c.close(uri);
  await cleared;
});

test('binary garbage, an oversized file and an empty file do not crash the server', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  let garbage = '';
  for (let i = 0; i < 20000; i++) garbage += String.fromCharCode((i * 7919 + 13) % 256);
  const bin = await c.open('file:///nowhere/hullcheck-test/bin/Dockerfile', garbage);
  assert.deepEqual(bin.diagnostics.map((d) => d.code), ['file-skipped']);
  // garbage without NUL bytes is parsed and linted like any text
  const noNul = garbage.replace(/\u0000/g, 'x');
  const parsed = await c.open('file:///nowhere/hullcheck-test/garbage/Dockerfile', noNul);
  assert.ok(Array.isArray(parsed.diagnostics));
  const big = await c.open('file:///nowhere/hullcheck-test/big/Dockerfile', 'FROM debian\n' + 'RUN echo hello\n'.repeat(30000));
  // an oversized file is linted in a worker thread with a deadline (test/server/bigInputs.test.ts), not skipped
  assert.ok(!big.diagnostics.some((d) => d.code === 'file-skipped'));
  const empty = await c.open('file:///nowhere/hullcheck-test/empty/Dockerfile', '');
  assert.ok(Array.isArray(empty.diagnostics));
  // the server still answers afterwards
  const pub = await c.open('file:///nowhere/hullcheck-test/after/Dockerfile', APT_DOCKERFILE);
  assert.equal(ofRule(pub).length, 1);
});

test('untitled documents are linted by language id', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const pub = await c.open('untitled:Untitled-1', APT_DOCKERFILE, 'dockerfile');
  assert.equal(ofRule(pub).length, 1);
});

test('hullcheck.enable=false silences the document; turning it back on re-lints', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  c.settings = { enable: false };
  const uri = 'file:///nowhere/hullcheck-test/disabled/Dockerfile';
  const off = await c.open(uri, APT_DOCKERFILE);
  assert.equal(off.diagnostics.length, 0);
  c.settings = { enable: true, rules: { [RULE]: 'error' } };
  const on = c.next(uri, (p) => ofRule(p).length === 1);
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const [d] = ofRule(await on);
  assert.equal(d.severity, 1, 'the rule severity from settings applies');
});

test('one parse per document version, shared by lint, code actions and hover; evicted on close', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-test/parse/Dockerfile';
  const [d] = ofRule(await c.open(uri, APT_DOCKERFILE));
  const store = c.server.docs;
  const doc = store.get(uri)!;
  const first = store.parsedOf(doc);
  await c.codeActions(uri, [d]);
  await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: d.range.start });
  assert.equal(store.parsedOf(store.get(uri)!), first, 'the same parse object for version 1');
  await c.change(uri, APT_DOCKERFILE + '# more\n');
  const second = store.parsedOf(store.get(uri)!);
  assert.notEqual(second, first);
  assert.equal(second?.version, 2);
  const cleared = c.next(uri);
  await c.close(uri);
  await cleared;
  assert.equal(store.cachedVersion(uri), undefined);
});

test('a relint after a settings change counts as work for the idle collection, as edits do', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-test/idle-work/Dockerfile';
  await c.open(uri, APT_DOCKERFILE);
  const wired = c.server.diagnostics.onLint;
  assert.ok(wired, 'the server wires lint runs to its idle collector');
  let runs = 0;
  c.server.diagnostics.onLint = () => { runs++; wired(); };
  c.settings = { rules: { [RULE]: 'error' } };
  const relinted = c.next(uri, (p) => ofRule(p)[0]?.severity === 1);
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await relinted;
  assert.ok(runs >= 1, 'the relint, with no document event, reached the hook');
});

test('open documents keep their findings, not their parse: the parse is rebuilt when a quick fix or hover needs it', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uris = Array.from({ length: MAX_CACHED_PARSES + 3 }, (_, i) => `file:///nowhere/hullcheck-test/retain${i}/Dockerfile`);
  const firstDiagnostics = ofRule(await c.open(uris[0], APT_DOCKERFILE));
  for (const uri of uris.slice(1)) await c.open(uri, APT_DOCKERFILE);
  const store = c.server.docs;
  assert.equal(store.cachedVersion(uris[0]), undefined, 'the first parse was evicted by the later documents');
  const kept = await c.server.linter.lintDocument(store.get(uris[0])!);
  assert.equal(kept.version, 1);
  assert.ok(kept.findings.some((f) => f.rule === RULE), 'the findings stay cached');
  assert.equal(kept.parsed, undefined, 'the cached result does not hold the parse tree');
  assert.equal(kept.config, undefined, 'nor the configuration objects');
  const actions = await c.codeActions(uris[0], firstDiagnostics);
  assert.ok(actions.some((a) => a.edit), 'a quick fix still comes from the cached findings');
  const hover = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri: uris[0] }, position: firstDiagnostics[0].range.start });
  assert.ok(hover, 'hover still answers');
});

test('a lint still running when the document changes is dropped, never published', async (t) => {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-test/inflight/Dockerfile';
  let release!: () => void;
  c.configGate = new Promise((resolve) => { release = resolve; });
  c.expectConfigRequest();
  // version 1 starts linting and waits for its settings
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: APT_DOCKERFILE } });
  await c.configRequested;
  // version 2 arrives while version 1 is in flight; then the settings answer comes
  const v2 = c.next(uri, (p) => p.version === 2);
  await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: APT_DOCKERFILE + '# edited\n' }] });
  release();
  const pub = await v2;
  assert.equal(ofRule(pub).length, 1);
  assert.deepEqual(c.published.filter((p) => p.uri === uri).map((p) => p.version), [2]);
});
