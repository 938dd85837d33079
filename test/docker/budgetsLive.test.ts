// Saving a compose file refreshes the Image Budgets data live, against a real dockerd through the in-memory LSP
// harness: a changed `x-hullcheck: { budget }` and a changed service `image:` reach the view's next answer after
// the server's hullcheck/dockerChanged notification, and the over-budget diagnostic on FROM follows; a changed
// .hullcheck.yaml, and a compose file changed on disk, do the same through the watched-files notification.
// Validate Image honours rule settings.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../server/harness';
import type { DockerChangedParams, ImageBudgetsResult, ValidateImageResult } from '../../server/src/protocol/dockerMessages';
import { build, cleanup, context, ensureEngine, SCRATCH_HEADER, waitFor } from './engine';

const TAG = 'hc-test/live-budget:1';
const DOCKERFILE = `${SCRATCH_HEADER}RUN dd if=/dev/zero of=/big bs=1048576 count=3\nUSER 1000:1000\nCMD ["/bin/sleep", "60"]\n`;
const compose = (image: string, budget: string) => `services:\n  app:\n    image: ${image}\n    build: .\n    x-hullcheck:\n      budget: ${budget}\n`;
let dir = '';
let client: TestClient;

before(async () => {
  ensureEngine();
  dir = context({ Dockerfile: DOCKERFILE, 'compose.yml': compose(TAG, '2MB') });
  build(dir, TAG);
  client = new TestClient();
  await client.initialize([dir]);
});
after(() => { client?.dispose(); cleanup([TAG]); fs.rmSync(dir, { recursive: true, force: true }); });

/** The next hullcheck/dockerChanged about images. */
function imagesChanged(): Promise<void> {
  return waitFor<void>((done) => {
    const d = client.conn.onNotification('hullcheck/dockerChanged', (p: DockerChangedParams) => { if (p.what === 'images') done(); });
    return () => d.dispose();
  }, 20_000, 'hullcheck/dockerChanged after the save');
}

/** Edit the open compose file, write it to disk and send didSave, as an editor save does. */
async function saveCompose(uri: string, text: string): Promise<void> {
  await client.sendChange(uri, text);
  fs.writeFileSync(path.join(dir, 'compose.yml'), text);
  await client.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
}

const budgets = async () => client.conn.sendRequest('hullcheck/imageBudgets', {}) as Promise<ImageBudgetsResult>;

test('a saved compose budget and image mapping change the Image Budgets data and the FROM diagnostic without a reload', async () => {
  const composeUri = pathToFileURL(path.join(dir, 'compose.yml')).toString();
  const dockerfileUri = pathToFileURL(path.join(dir, 'Dockerfile')).toString();
  await client.open(dockerfileUri, DOCKERFILE);
  await client.open(composeUri, compose(TAG, '2MB'), 'dockercompose');

  const overDiag = client.next(dockerfileUri, (p) => p.diagnostics.some((d) => d.code === 'image-budget'), 20_000);
  const first = (await budgets()).budgeted.find((i) => i.ref === TAG);
  assert.equal(first?.budgetText, '2MB');
  assert.equal(first?.over, true);
  await overDiag;

  // raise the budget: the view's next answer has it, and the over-budget diagnostic on FROM goes away
  let changed = imagesChanged();
  const cleared = client.next(dockerfileUri, (p) => !p.diagnostics.some((d) => d.code === 'image-budget'), 20_000);
  await saveCompose(composeUri, compose(TAG, '10MB'));
  await changed;
  const raised = (await budgets()).budgeted.find((i) => i.ref === TAG);
  assert.equal(raised?.budgetText, '10MB');
  assert.equal(raised?.over, false);
  assert.ok(raised && raised.percent! < 50 && raised.percent! > 25, `about 3 MB of 10 MB (${raised?.percent} %)`);
  await cleared;

  // point the service at another image: ours becomes unbudgeted and the budget has no image
  changed = imagesChanged();
  await saveCompose(composeUri, compose('hc-test/not-built:1', '10MB'));
  await changed;
  const moved = await budgets();
  assert.ok(!moved.budgeted.some((i) => i.ref === TAG));
  assert.ok(moved.unbudgeted.some((i) => i.ref === TAG));
  assert.deepEqual(moved.missing.map((m) => [m.key, m.budgetText]), [['app', '10MB']]);
});

test('a changed .hullcheck.yaml (a watched file) refreshes the budgets too, and its budget wins over x-hullcheck', async () => {
  const composeUri = pathToFileURL(path.join(dir, 'compose.yml')).toString();
  let changed = imagesChanged();
  await saveCompose(composeUri, compose(TAG, '2MB'));
  await changed;
  assert.equal((await budgets()).budgeted.find((i) => i.ref === TAG)?.budgetText, '2MB');

  changed = imagesChanged();
  const config = path.join(dir, '.hullcheck.yaml');
  fs.writeFileSync(config, 'budgets:\n  app: 5MB\n');
  // a config change also re-lints the open documents: wait for that too, so nothing is in flight at the end
  const relinted = Promise.all([
    client.next(composeUri, () => true, 20_000),
    // the last re-lint is the one after the new budget put the image under it
    client.next(pathToFileURL(path.join(dir, 'Dockerfile')).toString(), (p) => !p.diagnostics.some((d) => d.code === 'image-budget'), 20_000),
  ]);
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).toString(), type: 1 }] });
  await changed;
  const item = (await budgets()).budgeted.find((i) => i.ref === TAG);
  assert.equal(item?.budgetText, '5MB');
  assert.equal(item?.budgetKey, 'app');
  assert.equal(item?.over, false);
  await relinted;
});

test('a compose file changed on disk outside the editor (a checkout, a pull) refreshes the budgets', async () => {
  const composeFile = path.join(dir, 'compose.yml');
  const composeUri = pathToFileURL(composeFile).toString();
  await client.close(composeUri); // not open: the server reads the file from disk
  const changed = imagesChanged();
  fs.writeFileSync(composeFile, compose('hc-test/not-built:1', '2MB'));
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: composeUri, type: 2 }] });
  await changed;
  // the service now names another image: ours loses the service's budget (.hullcheck.yaml `app: 5MB`)
  const r = await budgets();
  assert.ok(r.unbudgeted.some((i) => i.ref === TAG), 'the image is unbudgeted now');
  assert.ok(!r.budgeted.some((i) => i.ref === TAG));
  assert.deepEqual(r.missing.map((m) => m.key), ['app']);
});

test('validateImage applies hullcheck.rules editor settings over .hullcheck.yaml and links each rule page', async () => {
  const before = await client.conn.sendRequest('hullcheck/validateImage', { ref: TAG }) as ValidateImageResult;
  // image-healthcheck's default is warning: a missing HEALTHCHECK is a convention, not a broken image
  assert.ok(before.findings.some((f) => f.rule === 'image-healthcheck' && f.severity === 'warning'));
  assert.ok(before.findings.every((f) => f.docsUrl?.endsWith(`/server/docs/rules/${f.rule}.md`)));
  // as an editor does when settings change: new values, then didChangeConfiguration
  client.settings = { rules: { 'image-healthcheck': 'off', 'image-oci-version-label': 'info' } };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  try {
    const after = await client.conn.sendRequest('hullcheck/validateImage', { ref: TAG }) as ValidateImageResult;
    assert.ok(!after.findings.some((f) => f.rule === 'image-healthcheck'));
    assert.equal(after.findings.find((f) => f.rule === 'image-oci-version-label')?.severity, 'info');
  } finally {
    client.settings = {};
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }
});
