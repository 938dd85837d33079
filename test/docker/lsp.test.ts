// The language server's Docker requests against a real dockerd, through the in-memory LSP harness: image
// budgets with layers tied to Dockerfile lines, code lenses, the over-budget diagnostic on FROM, engine state,
// health, validation, and an image removed while it is shown (the engine event refreshes the view data).

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { TestClient } from '../server/harness';
import type { DockerChangedParams, EngineStateInfo, HealthResult, ImageBudgetsResult, ValidateImageResult } from '../../server/src/protocol/dockerMessages';
import { build, cleanup, context, docker, ensureEngine, imageStore, SCRATCH_HEADER, unpackedSize, waitFor } from './engine';

const TAG = 'hc-test/lsp:1';
const DOCKERFILE = `${SCRATCH_HEADER}RUN dd if=/dev/zero of=/big bs=1048576 count=3\nUSER 1000:1000\nCMD ["/bin/sleep", "60"]\n`;
let dir = '';
let client: TestClient;

before(async () => {
  ensureEngine();
  dir = context({ Dockerfile: DOCKERFILE, 'compose.yml': `services:\n  app:\n    image: ${TAG}\n    build: .\n    x-hullcheck:\n      budget: 2MB\n` });
  build(dir, TAG);
  client = new TestClient();
  await client.initialize([dir]);
});
after(() => { client?.dispose(); cleanup([TAG]); fs.rmSync(dir, { recursive: true, force: true }); });

test('imageBudgets, code lenses and the over-budget diagnostic tie the image to its Dockerfile lines', async () => {
  const uri = pathToFileURL(path.join(dir, 'Dockerfile')).toString();
  await client.open(uri, DOCKERFILE);
  const state = await client.conn.sendRequest('hullcheck/engineState', {}) as EngineStateInfo;
  assert.equal(state.status, 'connected', state.reason);

  const overBudget = client.next(uri, (p) => p.diagnostics.some((d) => d.code === 'image-budget'), 20_000);
  const r = await client.conn.sendRequest('hullcheck/imageBudgets', {}) as ImageBudgetsResult;
  const item = r.budgeted.find((i) => i.ref === TAG);
  assert.ok(item, 'the image is budgeted through x-hullcheck');
  assert.equal(item.over, true);
  assert.equal(item.budgetText, '2MB');
  assert.equal(item.service, 'app');
  assert.equal(item.dockerfileUri, uri);
  const dd = item.layers.find((l) => l.short.startsWith('RUN dd'))!;
  assert.equal(dd.line, 3);
  // the containerd store's history sizes are the snapshots' disk usage: the file plus its directory's blocks
  if (imageStore() === 'classic') assert.equal(dd.size, 3 * 1048576);
  else assert.ok(dd.size >= 3 * 1048576 && dd.size <= 3 * 1048576 + 65536, `${dd.size}`);
  assert.ok(!r.unbudgeted.some((i) => i.ref === TAG));

  const diag = (await overBudget).diagnostics.find((d) => d.code === 'image-budget')!;
  assert.equal(diag.range.start.line, 0);
  assert.match(String(diag.message), /hc-test\/lsp:1 is .*of its 2MB budget/);

  const lenses = await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } }) as CodeLens[];
  const ddLens = lenses.find((l) => l.range.start.line === 3);
  assert.match(ddLens?.command?.title ?? '', /^3\.00 MB · \d+ % of image$/);

  // wasted bytes are computed on demand
  const withWaste = await client.conn.sendRequest('hullcheck/imageBudgets', { wastedFor: TAG }) as ImageBudgetsResult;
  assert.equal(withWaste.budgeted.find((i) => i.ref === TAG)?.wastedBytes, 0);
});

test('size lenses: only layers that add bytes, with their share; one summary on the final FROM; the setting chooses all, large or off', async () => {
  const uri = pathToFileURL(path.join(dir, 'Dockerfile')).toString();
  const lensesWith = async (sizes: string | undefined) => {
    client.settings = sizes ? { lens: { sizes } } : {};
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    return await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } }) as CodeLens[];
  };
  const titles = (ls: CodeLens[]) => new Map(ls.map((l) => [l.range.start.line, l.command?.title ?? '']));
  const large = titles(await lensesWith(undefined));
  // USER and CMD add no bytes: no lens
  assert.equal(large.has(4), false);
  assert.equal(large.has(5), false);
  assert.match(large.get(3) ?? '', /^3\.00 MB · (\d+) % of image$/);
  const pct = Number(/· (\d+) % of image/.exec(large.get(3)!)![1]);
  assert.ok(pct > 50 && pct < 100, `the dd layer is most of the image (${pct} %)`);
  assert.match(large.get(0) ?? '', /^hc-test\/lsp:1: [\d.]+ MB · \d+ % of its 2MB budget$/);

  // all: every layer with bytes, also those under 1 % of the image (the busybox symlinks)
  const all = titles(await lensesWith('all'));
  const small = [...all].filter(([line, t]) => !large.has(line) && /^[\d.]+ (B|kB|MB|GB) · [\d.<\s]+ % of image$/.test(t));
  assert.deepEqual([...all.keys()].filter((l) => l === 4 || l === 5), []);
  assert.deepEqual(small.map(([line]) => line), [2], 'only the symlink layer is under 1 %');
  assert.ok(all.size >= large.size);

  assert.deepEqual(await lensesWith('off'), []);

  // a recorded size gives the growth since then
  const size = unpackedSize(TAG);
  const sizesFile = path.join(dir, '.hullcheck-sizes.json');
  fs.writeFileSync(sizesFile, JSON.stringify({ images: { [TAG]: { bytes: size - 1048576 } } }));
  try {
    const grown = titles(await lensesWith(undefined));
    assert.match(grown.get(0) ?? '', / · \+1\.00 MB since recorded$/);
    // the Image Budgets view data carries the same change, and per build step when the file has the layers
    const view = await client.conn.sendRequest('hullcheck/imageBudgets', {}) as ImageBudgetsResult;
    assert.deepEqual(view.budgeted.find((i) => i.ref === TAG)?.recorded, { bytes: size - 1048576, change: 1048576 });
    const step = 'RUN dd if=/dev/zero of=/big bs=1048576 count=3';
    fs.writeFileSync(sizesFile, JSON.stringify({ images: { [TAG]: { bytes: size - 1048576, layers: { [step]: 2 * 1048576 } } } }));
    const withSteps = await client.conn.sendRequest('hullcheck/imageBudgets', {}) as ImageBudgetsResult;
    const steps = withSteps.budgeted.find((i) => i.ref === TAG)?.recorded?.steps ?? [];
    // the dd step grew by 1 MB (plus its directory's blocks on the containerd store, whose layer sizes are disk
    // usage); the busybox layers were not recorded, so they count as new
    const ddSize = withSteps.budgeted.find((i) => i.ref === TAG)!.layers.find((l) => l.short.startsWith('RUN dd'))!.size;
    assert.ok(ddSize - 3 * 1048576 <= (imageStore() === 'classic' ? 0 : 65536) && ddSize >= 3 * 1048576, `${ddSize}`);
    assert.deepEqual(steps.find((x) => x.label.startsWith('RUN dd')), { label: step, change: ddSize - 2 * 1048576, line: 3 });
  } finally {
    fs.rmSync(sizesFile);
    client.settings = {};
  }
});

test('validateImage reports the image checks with Dockerfile links; health answers with the engine state', async () => {
  const v = await client.conn.sendRequest('hullcheck/validateImage', { ref: TAG }) as ValidateImageResult;
  assert.equal(v.ok, true);
  assert.deepEqual(v.findings.map((f) => f.rule).sort(), ['image-budget', 'image-healthcheck', 'image-oci-version-label']);
  assert.ok(v.findings.every((f) => f.dockerfileUri?.endsWith('/Dockerfile')));
  const h = await client.conn.sendRequest('hullcheck/health') as HealthResult;
  assert.equal(h.engine.status, 'connected');
});

test('an image removed while shown: the delete event notifies the client, clears the FROM diagnostic, and the next answer no longer has it', async () => {
  const changed = waitFor<void>((done) => {
    const d = client.conn.onNotification('hullcheck/dockerChanged', (p: DockerChangedParams) => { if (p.what === 'images') done(); });
    return () => d.dispose();
  }, 20_000, 'hullcheck/dockerChanged');
  const uri = pathToFileURL(path.join(dir, 'Dockerfile')).toString();
  const cleared = client.next(uri, (p) => !p.diagnostics.some((d) => d.code === 'image-budget'), 20_000);
  docker(['rmi', TAG]);
  await changed;
  // the over-budget diagnostic on FROM goes away with the image
  await cleared;
  const r = await client.conn.sendRequest('hullcheck/imageBudgets', {}) as ImageBudgetsResult;
  assert.ok(!r.budgeted.some((i) => i.ref === TAG));
  assert.deepEqual(r.missing.map((m) => m.key), ['app']);
  const v = await client.conn.sendRequest('hullcheck/validateImage', { ref: TAG }) as ValidateImageResult;
  assert.equal(v.ok, false);
  assert.match(v.error ?? '', /no image hc-test\/lsp:1/);
});
