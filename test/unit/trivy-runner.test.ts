// The Trivy runner against a stand-in executable (test/fixtures/trivy/fake-trivy) that only replays real corpus
// reports or fails on purpose: arguments, errors for each failure mode, cancellation and the per-image queue.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS, FIXTURES } from '../helpers';
import { isScanning, scanImage, trivyArgs } from '../../server/src/trivy/runner';

export const FAKE_TRIVY = path.join(FIXTURES, 'trivy', 'fake-trivy');
const REPORTS = path.join(CORPUS, 'trivy', 'reports');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-trivy-'));
const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });

describe('trivy runner', () => {
  it('runs trivy image with JSON output and the given options, and parses the replayed report', async () => {
    const argsOut = path.join(tmp(), 'args.json');
    const r = await scanImage('alpine:3.10', {
      trivyPath: FAKE_TRIVY, ignoreFile: '/repo/.trivyignore', severities: ['HIGH', 'CRITICAL'],
      env: env({ FAKE_TRIVY_REPORT: path.join(REPORTS, 'alpine-310.json'), FAKE_TRIVY_ARGS_OUT: argsOut }),
    });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.report.counts.MEDIUM, 4);
    assert.equal(r.report.source, 'trivy image alpine:3.10');
    assert.deepEqual(JSON.parse(fs.readFileSync(argsOut, 'utf8')),
      ['image', '--format', 'json', '--quiet', '--ignorefile', '/repo/.trivyignore', '--severity', 'HIGH,CRITICAL', '--', 'alpine:3.10']);
    assert.deepEqual(trivyArgs('x'), ['image', '--format', 'json', '--quiet', '--', 'x']);
  });

  it('says Trivy is not installed, with an install hint, when the executable is missing', async () => {
    const abs = await scanImage('alpine:3.10', { trivyPath: '/nonexistent/bin/trivy' });
    assert.equal(abs.ok, false);
    if (!abs.ok) {
      assert.equal(abs.kind, 'not-installed');
      assert.match(abs.error, /^Trivy is not installed \(no executable at \/nonexistent\/bin\/trivy\)\. Install it from https:\/\/trivy\.dev/);
    }
    const onPath = await scanImage('alpine:3.10', { trivyPath: 'trivy-not-here', env: env({ PATH: tmp() }) });
    assert.equal(onPath.ok, false);
    if (!onPath.ok) assert.match(onPath.error, /^Trivy is not installed \(no executable on PATH\)/);
  });

  it('reports a non-zero exit with the end of stderr', async () => {
    const r = await scanImage('alpine:3.10', { trivyPath: FAKE_TRIVY, env: env({ FAKE_TRIVY_MODE: 'fail' }) });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.kind, 'failed');
      assert.match(r.error, /^Trivy exited with code 1 while scanning alpine:3\.10\. .*FATAL\tinit error: DB error: failed to download vulnerability DB$/);
    }
  });

  it('reports output that is not JSON', async () => {
    const r = await scanImage('alpine:3.10', { trivyPath: FAKE_TRIVY, env: env({ FAKE_TRIVY_MODE: 'garbage' }) });
    assert.deepEqual(r, { ok: false, kind: 'bad-output', error: 'Trivy did not print a JSON report for alpine:3.10 (it printed: "this is not JSON").' });
  });

  it('reports a scan killed by someone else', async () => {
    const r = await scanImage('alpine:3.10', { trivyPath: FAKE_TRIVY, env: env({ FAKE_TRIVY_MODE: 'selfkill' }) });
    assert.equal(r.ok, false);
    if (!r.ok) { assert.equal(r.kind, 'killed'); assert.match(r.error, /^Trivy was stopped by SIGKILL while scanning alpine:3\.10\./); }
  });

  it('cancels a running scan through its AbortSignal and frees the queue', async () => {
    const abort = new AbortController();
    const p = scanImage('hang:1', { trivyPath: FAKE_TRIVY, env: env({ FAKE_TRIVY_MODE: 'hang' }), signal: abort.signal, onStart: () => setImmediate(() => abort.abort()) });
    assert.ok(isScanning('hang:1'));
    assert.deepEqual(await p, { ok: false, kind: 'cancelled', error: 'The scan of hang:1 was cancelled.' });
    await new Promise((r) => setImmediate(r));
    assert.equal(isScanning('hang:1'), false);
  });

  it('refuses references that could be read as options', async () => {
    for (const ref of ['--help', '-q', '', 'a b']) {
      const r = await scanImage(ref, { trivyPath: FAKE_TRIVY });
      assert.equal(r.ok ? 'ok' : r.kind, 'invalid-ref', ref);
    }
  });

  it('runs one scan per image at a time, and different images side by side', async () => {
    const log = path.join(tmp(), 'log');
    const e = env({ FAKE_TRIVY_REPORT: path.join(REPORTS, 'debian-buster.json'), FAKE_TRIVY_LOG: log, FAKE_TRIVY_DELAY_MS: '300' });
    const results = await Promise.all([
      scanImage('debian:10', { trivyPath: FAKE_TRIVY, env: e }),
      scanImage('debian:10', { trivyPath: FAKE_TRIVY, env: e }),
      scanImage('ubuntu:18.04', { trivyPath: FAKE_TRIVY, env: e }),
    ]);
    assert.ok(results.every((r) => r.ok));
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    const debian = lines.filter((l) => l.endsWith('debian:10'));
    assert.deepEqual(debian, ['start debian:10', 'end debian:10', 'start debian:10', 'end debian:10']);
    // the ubuntu scan started before the first debian scan ended
    assert.ok(lines.indexOf('start ubuntu:18.04') < lines.indexOf('end debian:10'), lines.join(' | '));
  });
});
