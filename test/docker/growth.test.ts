// Size growth gates against a real dockerd: `hullcheck budgets --record` writes .hullcheck-sizes.json, a grown
// rebuild fails `--against` that file past `budgets: { growth: 5% }`, and `--against REF` compares with an
// earlier image in the engine.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, cleanup, context, ensureEngine, imageStore, runCli, SCRATCH_HEADER } from './engine';

const tags = ['hc-test/grow:1', 'hc-test/grow-old:1'];
let dir = '';

const run = (argv: string[]) => runCli(argv, dir);

before(() => {
  ensureEngine();
  dir = context({
    Dockerfile: `${SCRATCH_HEADER}CMD ["/bin/sh"]\n`,
    'grown.Dockerfile': `${SCRATCH_HEADER}RUN head -c 1500000 /dev/urandom > /blob\nCMD ["/bin/sh"]\n`,
    '.hullcheck.yaml': 'budgets:\n  "hc-test/grow:*": 1GB\n  growth: 5%\n',
  });
  build(dir, 'hc-test/grow:1');
});
after(() => cleanup(tags));

test('a rebuilt image that grew past budgets.growth fails against the recorded sizes and against the earlier image', async () => {
  const recorded = await run(['budgets', '--record']);
  assert.equal(recorded.code, 0, recorded.stderr);
  const file = JSON.parse(fs.readFileSync(path.join(dir, '.hullcheck-sizes.json'), 'utf8'));
  const before = file.images['hc-test/grow:1'].bytes as number;
  assert.ok(before > 0);

  const same = await run(['budgets', '--against', '.hullcheck-sizes.json', '--format', 'json']);
  assert.equal(same.code, 0, same.stderr);
  assert.deepEqual(JSON.parse(same.stdout).growth.map((g: { status: string; change: number }) => [g.status, g.change]), [['ok', 0]]);

  keepEarlierImage();
  build(dir, 'hc-test/grow:1', ['-f', path.join(dir, 'grown.Dockerfile')]);
  const grown = await run(['budgets', '--against', '.hullcheck-sizes.json', '--format', 'json']);
  assert.equal(grown.code, 1, grown.stderr);
  const [g] = JSON.parse(grown.stdout).growth;
  assert.equal(g.status, 'grown');
  assert.equal(g.before, before);
  assert.ok(g.change > 1_400_000, `grew by ${g.change}`);
  // per build step: the one new RUN layer holds the growth; the steps both builds share did not change
  assert.equal(g.layers.length, 1, JSON.stringify(g.layers));
  assert.equal(g.layers[0].step, 'RUN head -c 1500000 /dev/urandom > /blob');
  assert.equal(g.layers[0].before, null);
  // the classic store's image size is the sum of its layers; the containerd store's unpacked size also counts the
  // snapshots' directory blocks, a few KB more than the layer's own disk usage
  if (imageStore() === 'classic') assert.equal(g.layers[0].change, g.change);
  else assert.ok(g.layers[0].change <= g.change && g.change - g.layers[0].change <= 65536, `${g.layers[0].change} of ${g.change}`);
  assert.ok(file.images['hc-test/grow:1'].layers, 'the recorded file holds the layers per step');
  const text = await run(['budgets', '--against', '.hullcheck-sizes.json']);
  assert.match(text.stdout, /GROWN\s+hc-test\/grow:1\s+.*\(\+\d+(\.\d+)?%\)\n\s+\+1\.\d+ MB {2}RUN head -c 1500000 \/dev\/urandom > \/blob, new step\n1 image grew more than 5%\./);

  const ref = await run(['budgets', '--against', 'hc-test/grow-old:1', '--format', 'json']);
  assert.equal(ref.code, 1, ref.stderr);
  assert.equal(JSON.parse(ref.stdout).growth[0].before, before);
  assert.deepEqual(JSON.parse(ref.stdout).growth[0].layers.map((l: { step: string; before: number | null }) => [l.step, l.before]), [['RUN head -c 1500000 /dev/urandom > /blob', null]]);
  const missing = await run(['budgets', '--against', 'hc-test/no-such-image:1']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such image in the engine/);
});

/** Keep the first build under a second tag: it is the "earlier image" for --against REF. */
function keepEarlierImage(): void {
  build(dir, 'hc-test/grow-old:1');
}
