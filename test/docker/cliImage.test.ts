// The CLI's container image (server/docker/Dockerfile) against the real engine: it builds on the Debian base the
// engine tests make, with Debian's own nodejs; the Dockerfile passes Hullcheck's lint, the image passes the image
// checks within its size budget, and the image lints a mounted folder with no network.

import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import { stageCliPackage } from '../../server/scripts/packCli';
import { BASE_IMAGE, cleanup, docker, ensureEngine, unpackedSize } from './engine';
import { version } from '../../package.json';

const ROOT = path.resolve(__dirname, '../..');
const DOCKERFILE = path.join(ROOT, 'server/docker/Dockerfile');
const TAG = `hullcheck-test/cli:${process.pid}`;
/** What the image may add to its base: Debian's Node.js (about 200 MB with its libraries) and the 2 MB bundle. */
const BUDGET_OVER_BASE_MB = 220;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
  return { code, stdout, stderr };
}

after(() => cleanup([TAG]));

test('the CLI image Dockerfile passes Hullcheck lint with nothing at warning or above', async () => {
  const r = await run(['lint', '--format', 'json', '--fail-level', 'warning', DOCKERFILE]);
  const serious = (JSON.parse(r.stdout).findings as { severity: string; rule: string }[]).filter((f) => f.severity === 'warning' || f.severity === 'error');
  assert.deepEqual(serious, []);
  assert.equal(r.code, 0, r.stderr);
});

test('the CLI image builds from the Debian base with Debian nodejs, passes the image checks within budget, and lints', async () => {
  ensureEngine();
  const stage = stageCliPackage();
  // the classic builder, as the other engine tests; the host network reaches the apt mirror for nodejs
  docker(['build', '-q', '--network', 'host', '--force-rm', '--label', 'hullcheck.test=1', '--build-arg', `BASE=${BASE_IMAGE}`,
    '--build-arg', `VERSION=${version}`, '-f', DOCKERFILE, '-t', TAG, stage]);
  const baseMb = unpackedSize(BASE_IMAGE) / 1048576;
  const budget = `${Math.ceil(baseMb + BUDGET_OVER_BASE_MB)}MB`;
  const checked = await run(['image', TAG, '--budget', budget, '--format', 'json', '--fail-level', 'warning']);
  const findings = JSON.parse(checked.stdout).findings as { severity: string; rule: string; message: string }[];
  assert.deepEqual(findings.filter((f) => f.severity === 'warning' || f.severity === 'error'), []);
  assert.equal(checked.code, 0, checked.stderr);

  assert.equal(docker(['run', '--rm', '--network', 'none', TAG, '--version']).trim(), version);
  assert.match(docker(['run', '--rm', '--network', 'none', '--entrypoint', 'node', TAG, '--version']).trim(), /^v18\./, 'Debian bookworm nodejs');
  const workspace = path.join(ROOT, 'test/fixtures/workspace');
  let out: string;
  try {
    out = docker(['run', '--rm', '--network', 'none', '-v', `${workspace}:/src:ro`, TAG, 'lint', '--format', 'json', '.']);
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? ''); // exit 1: the sample has findings
  }
  const linted = JSON.parse(out).findings as { file: string }[];
  assert.ok(linted.some((f) => f.file.startsWith('services/')), out.slice(0, 500));
  const user = docker(['image', 'inspect', '--format', '{{.Config.User}}', TAG]).trim();
  assert.equal(user, '65532:65532');
});
