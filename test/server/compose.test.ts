// Compose over an in-memory LSP session: a compose file is linted on open, the depends_on quick fix rewrites short
// syntax to `condition: service_healthy` and the finding goes away; a Dockerfile edit refreshes the compose file.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, applyWorkspaceEdit, fileUri, ofRule, onlyRuleSettings, tempDir } from './harness';

const RULE = 'compose-depends-on-healthy';
const COMPOSE = 'services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready"]\n  app:\n    image: example/app:1.0\n    depends_on:\n      - db\n';

async function session(t: { after(fn: () => void): void }, rule = RULE): Promise<TestClient> {
  const c = new TestClient();
  t.after(() => c.dispose());
  c.settings = onlyRuleSettings(rule);
  await c.initialize();
  return c;
}

test('a compose file gets compose-depends-on-healthy and its quick fix clears it', async (t) => {
  const c = await session(t);
  const dir = tempDir();
  const uri = fileUri(path.join(dir, 'compose.yaml'));
  const [d] = ofRule(await c.open(uri, COMPOSE, 'dockercompose'), RULE);
  assert.ok(d, 'no diagnostic');
  assert.equal(d.range.start.line, 8);
  const actions = await c.codeActions(uri, [d]);
  const fix = actions.find((a) => /service_healthy/.test(a.title));
  assert.ok(fix, `actions: ${actions.map((a) => a.title).join(' | ')}`);
  const text = applyWorkspaceEdit(c.text(uri), uri, fix.edit);
  assert.equal(text, COMPOSE.replace('      - db\n', '      db:\n        condition: service_healthy\n'));
  const after = await c.change(uri, text);
  assert.equal(ofRule(after, RULE).length, 0);
});

test('editing the Dockerfile a compose service builds refreshes the compose diagnostics', async (t) => {
  const c = await session(t);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\n');
  const composeUri = fileUri(path.join(dir, 'compose.yaml'));
  const dfUri = fileUri(path.join(dir, 'Dockerfile'));
  const compose = 'services:\n  api:\n    build: .\n  web:\n    image: example/web:1.0\n    depends_on:\n      - api\n';
  assert.equal(ofRule(await c.open(composeUri, compose, 'dockercompose'), RULE).length, 0, 'api has no health check yet');
  await c.open(dfUri, 'FROM alpine:3.20\n');
  const refreshed = c.next(composeUri, (p) => ofRule(p, RULE).length === 1);
  const dockerfileDone = c.next(dfUri, (p) => p.version === 2);
  await c.sendChange(dfUri, 'FROM alpine:3.20\nHEALTHCHECK CMD true\n');
  const [p] = await Promise.all([refreshed, dockerfileDone]);
  assert.match(String(ofRule(p, RULE)[0].message), /`api` has a health check/);
  // end quietly: closing stops pending re-lints; the last message for a closed document is its findingsChanged
  for (const uri of [composeUri, dfUri]) {
    const cleared = c.next(uri, (x) => x.diagnostics.length === 0 && x.version === undefined);
    await c.close(uri);
    await cleared;
    await c.nextFindingsChanged(uri);
  }
});

test('hover on a compose key shows its Compose description', async (t) => {
  const c = await session(t);
  const uri = fileUri(path.join(tempDir(), 'compose.yaml'));
  await c.open(uri, COMPOSE, 'dockercompose');
  const hover: unknown = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 5 } });
  const value = (hover as { contents?: { value?: string } } | null)?.contents?.value ?? '';
  assert.match(value, /\*\*image\*\*/);
});
