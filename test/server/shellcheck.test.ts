// ShellCheck over an in-memory LSP session: the rules' diagnostics are published first, the SC ones follow for
// the same version at positions inside the RUN, and a setting turns them off.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TestClient } from './harness';
import { ShellcheckRunner } from '../../server/src/shellcheck/shellcheck';

const TEXT = 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && echo $name\n';
const isSc = (code: unknown) => typeof code === 'string' && /^SC\d+$/.test(code);

async function haveShellcheck(): Promise<boolean> {
  return !!(await new ShellcheckRunner({ log: () => undefined }).binary());
}

test('SC diagnostics arrive after the rule diagnostics, with positions inside the RUN', async (t) => {
  if (!(await haveShellcheck())) { t.skip('shellcheck is not on PATH'); return; }
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-sc/Dockerfile';
  const lateP = c.next(uri, (p) => p.diagnostics.some((d) => isSc(d.code)));
  const first = await c.open(uri, TEXT);
  assert.ok(first.diagnostics.length > 0, 'rule diagnostics come first');
  assert.ok(!first.diagnostics.some((d) => isSc(d.code)), 'no SC code in the first publish');
  const late = await lateP;
  assert.ok(c.published.indexOf(first as never) < c.published.indexOf(late as never));
  assert.equal(late.version, first.version);
  const sc2154 = late.diagnostics.find((d) => d.code === 'SC2154')!;
  assert.deepEqual(sc2154.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 17 } });
  assert.equal(sc2154.source, 'hullcheck');
  assert.deepEqual(sc2154.codeDescription, { href: 'https://www.shellcheck.net/wiki/SC2154' });
  // the rule diagnostics are still there
  for (const d of first.diagnostics) assert.ok(late.diagnostics.some((x) => x.code === d.code && x.message === d.message));
});

test('hullcheck.shellcheck.enable: false keeps SC diagnostics away', async (t) => {
  if (!(await haveShellcheck())) { t.skip('shellcheck is not on PATH'); return; }
  const c = new TestClient();
  t.after(() => c.dispose());
  c.settings = { shellcheck: { enable: false } };
  await c.initialize();
  const uri = 'file:///nowhere/hullcheck-sc-off/Dockerfile';
  await c.open(uri, TEXT);
  // an edit publishes again; had ShellCheck run on version 1 its publish would have come before this one
  await c.change(uri, TEXT + '# more\n');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!c.published.filter((p) => p.uri === uri).some((p) => p.diagnostics.some((d) => isSc(d.code))));
});
