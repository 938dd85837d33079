// The Trivy custom requests over an in-memory LSP connection: listing reports grouped image -> severity, scans with
// progress, cancellation and the trust gate, and ignore entries returned as WorkspaceEdits.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { applyEdits } from '../../server/src/core/text';
import { clearScans } from '../../server/src/features/trivy';
import type { TrivyAddIgnoreResult, TrivyExportVexResult, TrivyResultsResult, TrivyScanResult } from '../../server/src/protocol/trivyMessages';
import { CORPUS, FIXTURES } from '../helpers';
import { TestClient, fileUri, tempDir } from './harness';

const REPORTS = path.join(CORPUS, 'trivy', 'reports');
const FAKE_TRIVY = path.join(FIXTURES, 'trivy', 'fake-trivy');

async function session(t: { after(fn: () => void): void }, folder: string): Promise<TestClient> {
  const c = new TestClient();
  t.after(() => { c.dispose(); clearScans(); });
  await c.initialize([folder]);
  return c;
}

function workspace(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('trivyResults groups each report image -> severity -> finding and marks what the ignore file hides', async (t) => {
  const dir = workspace(t, {
    'trivy-reports/debian.json': fs.readFileSync(path.join(REPORTS, 'debian-buster.json'), 'utf8'),
    'trivy-reports/secrets.json': fs.readFileSync(path.join(REPORTS, 'secrets.json'), 'utf8'),
    '.trivyignore': 'CVE-2019-18224 # libidn2 is not reachable\nmysecret exp:2000-01-01\n',
  });
  const c = await session(t, dir);
  const r = await c.conn.sendRequest<TrivyResultsResult>('hullcheck/trivyResults', {});
  assert.deepEqual(r.images.map((i) => [path.basename(i.source), i.image, i.origin]), [
    ['debian.json', 'testdata/fixtures/images/debian-buster.tar.gz', 'file'], ['secrets.json', 'testdata/fixtures/repo/secrets', 'file'],
  ]);
  const [debian, secrets] = r.images;
  assert.deepEqual(debian.severities.map((g) => [g.severity, g.findings.map((f) => [f.id, f.ignored])]), [
    ['CRITICAL', [['CVE-2019-18224', true]]], ['LOW', [['CVE-2019-18276', false]]],
  ]);
  assert.deepEqual(debian.counts, { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0 });
  // the expired entry does not hide the secret
  assert.deepEqual(secrets.severities.map((g) => g.findings.map((f) => [f.kind, f.id, f.ignored])), [[['secret', 'aws-access-key-id', false]], [['secret', 'mysecret', false]]]);
});

test('trivyScan refuses untrusted workspaces and relative executables, without running anything', async (t) => {
  const dir = workspace(t, {});
  const log = path.join(dir, 'ran.log');
  process.env.FAKE_TRIVY_LOG = log;
  t.after(() => { delete process.env.FAKE_TRIVY_LOG; });
  const c = await session(t, dir);
  const untrusted = await c.conn.sendRequest<TrivyScanResult>('hullcheck/trivyScan', { ref: 'alpine:3.10', trivyPath: FAKE_TRIVY, workspaceTrusted: false });
  assert.deepEqual(untrusted, { ok: false, kind: 'untrusted', error: 'Trivy scans are disabled until the workspace is trusted.' });
  const relative = await c.conn.sendRequest<TrivyScanResult>('hullcheck/trivyScan', { ref: 'alpine:3.10', trivyPath: './tools/trivy', workspaceTrusted: true });
  assert.equal(relative.ok, false);
  assert.equal(fs.existsSync(log), false, 'the executable ran');
});

test('trivyScan reports progress, notifies the view and adds the scan to the results', async (t) => {
  const dir = workspace(t, {});
  process.env.FAKE_TRIVY_REPORT = path.join(REPORTS, 'alpine-310.json');
  t.after(() => { delete process.env.FAKE_TRIVY_REPORT; });
  const c = await session(t, dir);
  const progress: string[] = [];
  c.conn.onNotification('$/progress', (p: { token: string; value: { kind: string } }) => { if (p.token === 'scan-1') progress.push(p.value.kind); });
  const changed = new Promise<void>((resolve) => c.conn.onNotification('hullcheck/trivyResultsChanged', () => resolve()));
  const r = await c.conn.sendRequest<TrivyScanResult>('hullcheck/trivyScan', { ref: 'alpine:3.10', trivyPath: FAKE_TRIVY, workspaceTrusted: true, workDoneToken: 'scan-1' });
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.image.severities.map((g) => [g.severity, g.findings.length]), [['MEDIUM', 4]]);
  await changed;
  assert.deepEqual(progress, ['begin', 'report', 'end']);
  const list = await c.conn.sendRequest<TrivyResultsResult>('hullcheck/trivyResults', {});
  assert.deepEqual(list.images.map((i) => [i.source, i.origin]), [['trivy image alpine:3.10', 'scan']]);
});

test('cancelling the trivyScan request stops the scan', async (t) => {
  const dir = workspace(t, {});
  process.env.FAKE_TRIVY_MODE = 'hang';
  t.after(() => { delete process.env.FAKE_TRIVY_MODE; });
  const c = await session(t, dir);
  const source = new CancellationTokenSource();
  const begun = new Promise<void>((resolve) => c.conn.onNotification('$/progress', (p: { value: { kind: string } }) => { if (p.value.kind === 'report') resolve(); }));
  const pending = c.conn.sendRequest<TrivyScanResult>('hullcheck/trivyScan', { ref: 'hang:1', trivyPath: FAKE_TRIVY, workspaceTrusted: true, workDoneToken: 'scan-2' }, source.token);
  await begun;
  source.cancel();
  const r = await pending;
  assert.deepEqual(r, { ok: false, kind: 'cancelled', error: 'The scan of hang:1 was cancelled.' });
  // the scan itself ended: a new scan of the same image is not stuck behind it
  process.env.FAKE_TRIVY_MODE = 'garbage';
  const next = await c.conn.sendRequest<TrivyScanResult>('hullcheck/trivyScan', { ref: 'hang:1', trivyPath: FAKE_TRIVY, workspaceTrusted: true });
  assert.equal(next.ok ? 'ok' : next.kind, 'bad-output');
});

function editedText(before: string, edit: WorkspaceEdit): string {
  const changes = (edit.documentChanges ?? []).filter((d): d is TextDocumentEdit => 'textDocument' in d);
  return applyEdits(before, changes.flatMap((d) => d.edits as never));
}

test('trivyAddIgnore returns a WorkspaceEdit for the existing ignore file, or one that creates .trivyignore', async (t) => {
  const dir = workspace(t, { '.trivyignore.yaml': 'vulnerabilities:\n  - id: CVE-2019-1549\n' });
  const c = await session(t, dir);
  const r = await c.conn.sendRequest<TrivyAddIgnoreResult>('hullcheck/trivyAddIgnore', { id: 'CVE-2019-1549', expires: '2030-01-01', reason: 'Not reachable' });
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.uri, fileUri(path.join(dir, '.trivyignore.yaml')));
  assert.equal(r.updated, true);
  assert.equal(editedText('vulnerabilities:\n  - id: CVE-2019-1549\n', r.edit), 'vulnerabilities:\n  - id: CVE-2019-1549\n    statement: Not reachable\n    expired_at: 2030-01-01\n');

  const empty = workspace(t, {});
  const c2 = await session(t, empty);
  const created = await c2.conn.sendRequest<TrivyAddIgnoreResult>('hullcheck/trivyAddIgnore', { id: 'CVE-2024-1', reason: 'why', folder: fileUri(empty) });
  assert.ok(created.ok);
  assert.deepEqual(created.edit.documentChanges?.[0], { kind: 'create', uri: fileUri(path.join(empty, '.trivyignore')), options: { ignoreIfExists: true } });
  assert.equal(editedText('', created.edit), 'CVE-2024-1 # why\n');
  const bad = await c2.conn.sendRequest<TrivyAddIgnoreResult>('hullcheck/trivyAddIgnore', { id: 'CVE-1', expires: 'soon' });
  assert.equal(bad.ok, false);
});

test('hullcheck.trivy.vex marks findings not affected, and trivyExportVex writes the reviewed ignore entries', async (t) => {
  const dir = workspace(t, {
    'trivy-reports/debian.json': fs.readFileSync(path.join(REPORTS, 'debian-buster.json'), 'utf8'),
    '.trivyignore': 'CVE-2019-18224 # libidn2 is not reachable\n',
  });
  const c = new TestClient();
  t.after(() => { c.dispose(); clearScans(); });
  c.settings = { trivy: { vex: ['vex.json', '../outside.json'] } };
  await c.initialize([dir]);
  const exported = await c.conn.sendRequest<TrivyExportVexResult>('hullcheck/trivyExportVex', { target: fileUri(path.join(dir, 'vex.json')) });
  assert.deepEqual(exported, { ok: true, statements: 1, skipped: [] });
  // the document is the only thing that changes: the ignore file goes, the setting names the document
  fs.rmSync(path.join(dir, '.trivyignore'));
  const r = await c.conn.sendRequest<TrivyResultsResult>('hullcheck/trivyResults', {});
  assert.deepEqual(r.images[0].severities.map((g) => g.findings.map((f) => [f.id, f.ignored, f.vex?.status ?? null])), [
    [['CVE-2019-18224', false, 'not_affected']], [['CVE-2019-18276', false, null]],
  ]);
  assert.deepEqual(r.errors.map((e) => e.replace(/^hullcheck\.trivy\.vex: /, '')), ['../outside.json: cannot read: it is outside the project.']);
});
