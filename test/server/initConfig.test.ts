// Create Configuration through the language server: the scaffold matches `hullcheck init`, an untrusted workspace
// gets no engine sizes, writes are confined to workspace folders and replace a configuration only when asked.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, fileUri, tempDir } from './harness';
import { initMain } from '../../server/src/cli/init';
import { ROOT } from '../../server/scripts/gen';
import type { ScaffoldConfigResult } from '../../server/src/protocol/messages';

let c: TestClient;
let dir = '';
before(async () => {
  dir = tempDir();
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'init', 'shop'), dir, { recursive: true });
  c = new TestClient();
  await c.initialize([dir], { workspaceTrusted: false });
});
after(() => { c.dispose(); fs.rmSync(dir, { recursive: true, force: true }); });

test('the scaffold is what hullcheck init prints; untrusted, the engine is not asked', async () => {
  const r = await c.conn.sendRequest('hullcheck/scaffoldConfig', { folderUri: fileUri(dir) }) as ScaffoldConfigResult;
  let cli = '';
  await initMain(['--no-engine'], { stdout: (s) => { cli += s; }, stderr: () => undefined }, { cwd: dir });
  assert.equal(r.text, cli);
  assert.equal(r.fromEngine, false);
  assert.equal(r.existingUri, undefined);
  const outside = await c.conn.sendRequest('hullcheck/scaffoldConfig', { folderUri: fileUri(path.dirname(dir)) });
  assert.deepEqual(outside, { error: 'Choose a folder of the workspace.' });
});

test('writing creates the file; an existing one is replaced only with replace: true', async () => {
  const file = path.join(dir, '.hullcheck.yaml');
  const first = await c.conn.sendRequest('hullcheck/writeConfig', { folderUri: fileUri(dir), text: 'preset: strict\n', replace: false }) as { uri?: string };
  assert.equal(first.uri, fileUri(file));
  assert.equal(fs.readFileSync(file, 'utf8'), 'preset: strict\n');
  const again = await c.conn.sendRequest('hullcheck/writeConfig', { folderUri: fileUri(dir), text: 'preset: hadolint\n', replace: false }) as { error?: string };
  assert.equal(again.error, '.hullcheck.yaml exists; it was not replaced.');
  assert.equal(fs.readFileSync(file, 'utf8'), 'preset: strict\n');
  const r = await c.conn.sendRequest('hullcheck/scaffoldConfig', { folderUri: fileUri(dir) }) as ScaffoldConfigResult;
  assert.equal(r.existingUri, fileUri(file));
  await c.conn.sendRequest('hullcheck/writeConfig', { folderUri: fileUri(dir), text: 'preset: hadolint\n', replace: true });
  assert.equal(fs.readFileSync(file, 'utf8'), 'preset: hadolint\n');
  const outside = await c.conn.sendRequest('hullcheck/writeConfig', { folderUri: fileUri(path.dirname(dir)), text: 'x: 1\n', replace: true }) as { error?: string };
  assert.equal(outside.error, 'Choose a folder of the workspace.');
});
