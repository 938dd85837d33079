// hullcheck.duplicates through the language server: `auto` hides exactly the findings an active Docker DX or
// Container Tools also reports, `hide` hides every mapped finding, `show` none; unmapped rules always stay.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, fileUri, tempDir, type Published } from './harness';
import { RULES_BY_ID } from '../../server/src/engine/linter';

let c: TestClient;
let dir = '';
before(async () => { dir = tempDir(); c = new TestClient(); await c.initialize([dir]); });
after(() => { c.dispose(); fs.rmSync(dir, { recursive: true, force: true }); });

const TEXT = 'FROM debian:12 AS scratch\nMAINTAINER someone@example.com\nRUN apt-get update && apt-get install -y curl\n';
const WATCHED = ['reserved-stage-name', 'maintainer-deprecated', 'apt-pin-versions'];
const codes = (p: Published) => WATCHED.filter((id) => p.diagnostics.some((d) => d.code === id));

async function after_(change: () => Promise<void>, uri: string, want: string[]): Promise<void> {
  const next = c.next(uri, (p) => JSON.stringify(codes(p)) === JSON.stringify(want), 10_000);
  await change();
  assert.deepEqual(codes(await next), want);
}

test('the mapping the filter relies on: DX names both rules, Container Tools only MAINTAINER, none for apt pins', () => {
  assert.deepEqual(RULES_BY_ID.get('reserved-stage-name')!.meta.containerTools, undefined);
  assert.ok(RULES_BY_ID.get('reserved-stage-name')!.meta.buildkit?.length);
  assert.deepEqual(RULES_BY_ID.get('maintainer-deprecated')!.meta.containerTools, ['DEPRECATED_MAINTAINER']);
  assert.equal(RULES_BY_ID.get('apt-pin-versions')!.meta.buildkit, undefined);
});

test('auto follows the active peers; hide and show override them', async () => {
  const uri = fileUri(path.join(dir, 'Dockerfile'));
  const opened = await c.open(uri, TEXT);
  assert.deepEqual(codes(opened), WATCHED, 'no peer active: everything shows');
  const peers = (p: { dockerDx: boolean; containerTools: boolean }) => () => c.conn.sendNotification('hullcheck/peerExtensions', p);
  await after_(peers({ dockerDx: false, containerTools: true }), uri, ['reserved-stage-name', 'apt-pin-versions']);
  await after_(peers({ dockerDx: true, containerTools: false }), uri, ['apt-pin-versions']);
  const setting = (duplicates: string) => async () => {
    c.settings = { duplicates };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  };
  await after_(setting('show'), uri, WATCHED);
  await after_(peers({ dockerDx: false, containerTools: false }), uri, WATCHED);
  await after_(setting('hide'), uri, ['apt-pin-versions']);
  await after_(setting('auto'), uri, WATCHED);
});

test('the Findings view hides the same duplicates for files on disk', async () => {
  const file = path.join(dir, 'sub', 'Dockerfile');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, TEXT);
  const rules = async () => {
    const r = await c.conn.sendRequest('hullcheck/workspaceFindings', {}) as { files: { path: string; findings: { rule: string }[] }[] };
    return WATCHED.filter((id) => r.files.find((f) => f.path === file)?.findings.some((x) => x.rule === id));
  };
  assert.deepEqual(await rules(), WATCHED);
  // messages are handled in order: the request after the notification sees the new peers
  await c.conn.sendNotification('hullcheck/peerExtensions', { dockerDx: false, containerTools: true });
  assert.deepEqual(await rules(), ['reserved-stage-name', 'apt-pin-versions']);
});
