// Hang reproducers of issue 14 through the in-memory language server: a .dockerignore of repeated `**/` against a
// deep COPY source, and "Disable … for this line" under a pragma padded with thousands of blanks. Each request is
// answered and the server goes on serving other documents. The time limits only catch a hang.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, applyWorkspaceEdit, fileUri, tempDir } from './harness';

const HANG = { timeout: 20_000 };
const BLANKS = ' '.repeat(3000);

async function session(t: { after(fn: () => void): void }, folder?: string): Promise<TestClient> {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize(folder ? [folder] : []);
  return c;
}

test('a .dockerignore of 12 × `**/` against a 28-segment COPY source is answered, and the server keeps serving', HANG, async (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, '.dockerignore'), `${'**/'.repeat(12)}x\n`);
  const c = await session(t, dir);
  const deep = Array.from({ length: 28 }, (_, i) => `d${i}`).join('/');
  const uri = fileUri(path.join(dir, 'Dockerfile'));
  const first = await c.open(uri, `FROM alpine:3.20\nCOPY ${deep} /a/\nCOPY ${deep}/x /b/\n`);
  assert.deepEqual(first.diagnostics.filter((d) => d.code === 'copy-ignored-file').map((d) => d.range.start.line), [2]);
  // every later request still answers: another document, then an edit of the first
  const other = await c.open(fileUri(path.join(dir, 'api.Dockerfile')), 'FROM alpine:latest\n');
  assert.ok(other.diagnostics.some((d) => d.code === 'image-tag-latest'));
  const edited = await c.change(uri, `FROM alpine:3.20\nCOPY ${deep}/y /b/\n`);
  assert.equal(edited.diagnostics.filter((d) => d.code === 'copy-ignored-file').length, 0);
});

test('"Disable … for this line" under a pragma of 3,000 blanks then # adds its own comment', HANG, async (t) => {
  const c = await session(t);
  const uri = 'file:///nowhere/hullcheck-hang/Dockerfile';
  const src = `FROM alpine:3.20\n# hullcheck ignore=${BLANKS}#\nRUN apk add curl\n`;
  const published = await c.open(uri, src);
  const d = published.diagnostics.find((x) => x.code === 'apk-no-cache');
  assert.ok(d, published.diagnostics.map((x) => x.code).join(','));
  const disable = (await c.codeActions(uri, [d])).find((a) => a.title === 'Disable apk-no-cache for this line');
  assert.ok(disable);
  const text = applyWorkspaceEdit(c.text(uri), uri, disable.edit);
  assert.equal(text, `FROM alpine:3.20\n# hullcheck ignore=${BLANKS}#\n# hullcheck ignore=apk-no-cache\nRUN apk add curl\n`);
  const after = await c.change(uri, text);
  assert.equal(after.diagnostics.filter((x) => x.code === 'apk-no-cache').length, 0);
});

test('the compose "Disable … for this line" under a pragma of 3,000 blanks then # is answered', HANG, async (t) => {
  const c = await session(t);
  const uri = 'file:///nowhere/hullcheck-hang/compose.yaml';
  const src = `services:\n  web:\n    # hullcheck ignore=${BLANKS}#\n    image: nginx:latest\n`;
  const published = await c.open(uri, src, 'dockercompose');
  const d = published.diagnostics.find((x) => x.code === 'compose-image-latest');
  assert.ok(d, published.diagnostics.map((x) => x.code).join(','));
  const disable = (await c.codeActions(uri, [d])).find((a) => a.title === 'Disable compose-image-latest for this line');
  assert.ok(disable);
  const text = applyWorkspaceEdit(c.text(uri), uri, disable.edit);
  const after = await c.change(uri, text);
  assert.equal(after.diagnostics.filter((x) => x.code === 'compose-image-latest').length, 0);
});
