// Baselines in the editor: findings the workspace folder's .hullcheck-baseline.json holds are lowered with a
// "(baseline)" tag, hidden or shown as `hullcheck.baseline.mode` says, and a changed baseline file re-lints.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APT_DOCKERFILE, RULE, TestClient, fileUri, ofRule, tempDir } from './harness';
import { BASELINE_FILE, baselineEntries, renderBaseline } from '../../server/src/core/findingBaseline';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';

/** A folder with a Dockerfile whose apt-no-install-recommends finding is in the baseline. */
async function folder(): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  const file = path.join(dir, 'Dockerfile');
  fs.writeFileSync(file, APT_DOCKERFILE);
  const r = await lintFile(file, APT_DOCKERFILE, { host: nodeHost });
  const held = r.findings.filter((f) => f.rule === RULE);
  assert.equal(held.length, 1);
  fs.writeFileSync(path.join(dir, BASELINE_FILE), renderBaseline(baselineEntries(dir, file, APT_DOCKERFILE, 'dockerfile', held)));
  return { dir, file };
}

async function session(t: { after(fn: () => void): void }, dir: string, settings: Record<string, unknown>): Promise<TestClient> {
  const c = new TestClient();
  c.settings = { shellcheck: { enable: false }, ...settings };
  t.after(() => { c.dispose(); fs.rmSync(dir, { recursive: true, force: true }); });
  await c.initialize([dir]);
  return c;
}

test('lower (the default) shows baseline findings as information tagged (baseline), even after lines move', async (t) => {
  const { dir, file } = await folder();
  const c = await session(t, dir, {});
  const uri = fileUri(file);
  const pub = await c.open(uri, APT_DOCKERFILE);
  const [d] = ofRule(pub);
  assert.equal(d.severity, 3, 'information');
  assert.match(String(d.message), /\(baseline\)$/);
  // other findings are untouched
  assert.ok(pub.diagnostics.some((x) => x.code !== RULE && !String(x.message).endsWith('(baseline)')));
  // an edit above keeps the finding matched; a new apt RUN is a new finding at its own severity
  const edited = await c.change(uri, 'FROM debian:bookworm-slim\n# tools\n' + APT_DOCKERFILE.split('\n').slice(1).join('\n') + 'RUN apt-get install -y git\n');
  const hits = ofRule(edited);
  assert.equal(hits.length, 2);
  assert.deepEqual(hits.map((x) => [x.severity, String(x.message).endsWith('(baseline)')]), [[3, true], [2, false]]);
});

test('hide drops baseline findings and show keeps them unchanged', async (t) => {
  const { dir, file } = await folder();
  const hidden = await session(t, dir, { baseline: { mode: 'hide' } });
  assert.equal(ofRule(await hidden.open(fileUri(file), APT_DOCKERFILE)).length, 0);
  const shown = await session(t, dir, { baseline: { mode: 'show' } });
  const [d] = ofRule(await shown.open(fileUri(file), APT_DOCKERFILE));
  assert.equal(d.severity, 2);
  assert.doesNotMatch(String(d.message), /baseline/);
});

test('a baseline that changes on disk re-lints, and a broken one is ignored', async (t) => {
  const { dir, file } = await folder();
  const c = await session(t, dir, { baseline: { mode: 'hide' } });
  const uri = fileUri(file);
  assert.equal(ofRule(await c.open(uri, APT_DOCKERFILE)).length, 0);
  const baselineUri = fileUri(path.join(dir, BASELINE_FILE));
  fs.writeFileSync(path.join(dir, BASELINE_FILE), '{ not json');
  const next = c.next(uri, (p) => ofRule(p).length === 1);
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: baselineUri, type: 2 }] });
  assert.equal(ofRule(await next).length, 1);
  assert.ok(c.logs.some((l) => /Ignoring .*hullcheck-baseline\.json: the baseline is not valid JSON/.test(l)), c.logs.join('\n'));
});
