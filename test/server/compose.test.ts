// Compose over an in-memory LSP session: a compose file is linted on open, the depends_on quick fix rewrites short
// syntax to `condition: service_healthy` and the finding goes away; a Dockerfile edit refreshes the compose file, and
// so do file events for Dockerfiles and project files on disk; "Disable for this line"; hover; a 5 MB file.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, applyWorkspaceEdit, fileUri, ofRule, onlyRuleSettings, tempDir } from './harness';
import { RULES_BY_ID } from '../../server/src/engine/linter';
import { documentsAffectedByFiles } from '../../server/src/features/watchedFiles';

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

test('hover on a compose key quotes the schema description of that key', async (t) => {
  const c = await session(t);
  const uri = fileUri(path.join(tempDir(), 'compose.yaml'));
  await c.open(uri, COMPOSE, 'dockercompose');
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'src', 'model', 'compose-spec.json'), 'utf8'));
  const hover: unknown = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 8 } });
  const value = (hover as { contents?: { value?: string } } | null)?.contents?.value ?? '';
  assert.match(value, /\*\*test\*\*/);
  assert.ok(value.includes(schema.definitions.healthcheck.properties.test.description), value);
});

// ---- "Disable <rule> for this line" in compose files ----

const LATEST = 'compose-image-latest';

test('"Disable for this line" on a compose finding inserts an ignore comment above its key, indented like it', async (t) => {
  const c = await session(t, LATEST);
  const uri = fileUri(path.join(tempDir(), 'compose.yaml'));
  const src = 'services:\n  a:\n    image: redis:7\n  b:\n    restart: always\n    image: redis\n';
  const [d] = ofRule(await c.open(uri, src, 'dockercompose'), LATEST);
  assert.ok(d);
  assert.equal(d.range.start.line, 5);
  const disable = (await c.codeActions(uri, [d])).find((a) => a.title === `Disable ${LATEST} for this line`);
  assert.ok(disable, 'no disable action');
  const text = applyWorkspaceEdit(c.text(uri), uri, disable.edit);
  assert.equal(text, `services:\n  a:\n    image: redis:7\n  b:\n    restart: always\n    # hullcheck ignore=${LATEST}\n    image: redis\n`);
  assert.equal(ofRule(await c.change(uri, text), LATEST).length, 0);
});

test('"Disable for this line" on a list item goes above the list\'s key and keeps CRLF', async (t) => {
  const c = await session(t);
  const uri = fileUri(path.join(tempDir(), 'compose.yaml'));
  const src = COMPOSE.replace(/\n/g, '\r\n');
  const [d] = ofRule(await c.open(uri, src, 'dockercompose'), RULE);
  assert.equal(d.range.start.line, 8, 'the finding is on `- db`');
  const disable = (await c.codeActions(uri, [d])).find((a) => a.title.startsWith('Disable'));
  assert.ok(disable);
  const text = applyWorkspaceEdit(c.text(uri), uri, disable.edit);
  assert.equal(text, src.replace('    depends_on:\r\n', `    # hullcheck ignore=${RULE}\r\n    depends_on:\r\n`));
  assert.equal(ofRule(await c.change(uri, text), RULE).length, 0);
});

test('"Disable for this line" merges into a compose ignore comment right above the key', async (t) => {
  const c = await session(t, LATEST);
  const uri = fileUri(path.join(tempDir(), 'compose.yaml'));
  const src = 'services:\n  b:\n    # hullcheck ignore=compose-privileged\n    image: redis\n';
  const [d] = ofRule(await c.open(uri, src, 'dockercompose'), LATEST);
  const disable = (await c.codeActions(uri, [d])).find((a) => a.title.startsWith('Disable'));
  assert.ok(disable);
  const text = applyWorkspaceEdit(c.text(uri), uri, disable.edit);
  assert.equal(text, `services:\n  b:\n    # hullcheck ignore=compose-privileged,${LATEST}\n    image: redis\n`);
  assert.equal(ofRule(await c.change(uri, text), LATEST).length, 0);
});

// ---- files on disk: workspace/didChangeWatchedFiles refreshes the compose documents that read them ----

const HEALTH = 'compose-healthcheck-missing';
const BUILD_PATH = 'compose-build-path';
const PORTS = 'compose-port-conflict';

function onlyRules(keep: string[]): Record<string, unknown> {
  return { rules: Object.fromEntries([...RULES_BY_ID.keys()].filter((id) => !keep.includes(id)).map((id) => [id, 'off'])) };
}

async function fileEvent(c: TestClient, file: string, type: 1 | 2 | 3): Promise<void> {
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type }] });
}

test('a Dockerfile changed, deleted and created on disk refreshes the compose file that builds it', async (t) => {
  const c = await session(t);
  c.settings = onlyRules([HEALTH, BUILD_PATH]);
  const dir = tempDir();
  const dockerfile = path.join(dir, 'api', 'Dockerfile');
  fs.mkdirSync(path.dirname(dockerfile));
  fs.writeFileSync(dockerfile, 'FROM alpine:3.20\n');
  const uri = fileUri(path.join(dir, 'compose.yaml'));
  const compose = 'services:\n  api:\n    build: ./api\n  web:\n    image: example/web:1.0\n    depends_on:\n      - api\n';
  const first = await c.open(uri, compose, 'dockercompose');
  assert.equal(ofRule(first, HEALTH).length, 1, 'api has no health check yet');
  assert.equal(ofRule(first, BUILD_PATH).length, 0);

  fs.writeFileSync(dockerfile, 'FROM alpine:3.20\nHEALTHCHECK CMD true\n');
  let next = c.next(uri, (p) => ofRule(p, HEALTH).length === 0);
  await fileEvent(c, dockerfile, 2);
  assert.equal(ofRule(await next, BUILD_PATH).length, 0);

  fs.unlinkSync(dockerfile);
  next = c.next(uri, (p) => ofRule(p, BUILD_PATH).length === 1);
  await fileEvent(c, dockerfile, 3);
  assert.match(String(ofRule(await next, BUILD_PATH)[0].message), /Dockerfile `Dockerfile` does not exist/);

  fs.writeFileSync(dockerfile, 'FROM alpine:3.20\n');
  next = c.next(uri, (p) => ofRule(p, BUILD_PATH).length === 0);
  await fileEvent(c, dockerfile, 1);
  assert.equal(ofRule(await next, HEALTH).length, 1, 'the new Dockerfile has no health check');
});

test('an override file changed on disk refreshes the base compose file it merges with', async (t) => {
  const c = await session(t);
  c.settings = onlyRules([PORTS]);
  const dir = tempDir();
  const override = path.join(dir, 'compose.override.yaml');
  fs.writeFileSync(override, 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n');
  const uri = fileUri(path.join(dir, 'compose.yaml'));
  const base = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n';
  assert.equal(ofRule(await c.open(uri, base, 'dockercompose'), PORTS).length, 0);
  fs.writeFileSync(override, 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "5432:80"\n');
  const next = c.next(uri, (p) => ofRule(p, PORTS).length === 1);
  await fileEvent(c, override, 2);
  assert.match(String(ofRule(await next, PORTS)[0].message), /compose\.override\.yaml/);
});

test('file events only pick the open compose documents that read the file', async (t) => {
  const c = await session(t);
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'api'));
  fs.writeFileSync(path.join(dir, 'api', 'Dockerfile'), 'FROM alpine:3.20\n');
  const uri = fileUri(path.join(dir, 'compose.yaml'));
  await c.open(uri, 'services:\n  api:\n    build:\n      context: ./api\n    env_file: [.env.api]\n', 'dockercompose');
  const docs = c.server.docs;
  const ev = (file: string) => [{ uri: fileUri(path.join(dir, file)), type: 2 as const }];
  assert.deepEqual(documentsAffectedByFiles(docs, ev('api/Dockerfile')), [uri]);
  assert.deepEqual(documentsAffectedByFiles(docs, ev('.env.api')), [uri]);
  assert.deepEqual(documentsAffectedByFiles(docs, ev('compose.test.yaml')), [uri], 'another compose file may be part of its project');
  assert.deepEqual(documentsAffectedByFiles(docs, ev('compose.yaml')), [], 'its own file: the editor text wins');
  assert.deepEqual(documentsAffectedByFiles(docs, ev('web/Dockerfile')), []);
  assert.deepEqual(documentsAffectedByFiles(docs, ev('README.md')), []);
});

test('a 5 MB compose file gets one clear compose-schema diagnostic from the server, without a crash', { timeout: 120_000 }, async (t) => {
  // on a loaded machine the worker may start slowly: the deadline is not what this test is about
  process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS = '90000';
  t.after(() => { delete process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS; });
  const c = await session(t, 'compose-schema');
  let text = 'services:\n';
  for (let i = 0; text.length < 5 * 1024 * 1024; i++) text += `  s${i}:\n    image: example/app:1.${i}\n`;
  const uri = fileUri(path.join(tempDir(), 'compose.yaml'));
  const published = c.next(uri, () => true, 100_000);
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text } });
  const pub = await published;
  const schema = ofRule(pub, 'compose-schema');
  assert.equal(schema.length, 1, JSON.stringify(pub.diagnostics.map((d) => d.code)));
  assert.match(String(schema[0].message), /5\.0 MB, more than the 1\.0 MB/);
  assert.ok(!pub.diagnostics.some((d) => d.code === 'file-skipped' || d.code === 'internal-error'));
  assert.deepEqual(c.logs.filter((l) => /fail/i.test(l)), []);
  // the server still answers
  const hover = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } });
  assert.ok(hover === null || typeof hover === 'object');
});
