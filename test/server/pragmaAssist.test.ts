// Completion and hover on the names in suppression comments, through the language server: Hullcheck rule ids,
// hadolint codes and BuildKit check names in Dockerfiles, Hullcheck ids in compose comments.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionItem, Hover } from 'vscode-languageserver-protocol';
import { TestClient, fileUri, tempDir } from './harness';
import { RULES_BY_ID } from '../../server/src/engine/linter';

let c: TestClient;
let dir = '';
before(async () => { dir = tempDir(); c = new TestClient(); await c.initialize([dir]); });
after(() => { c.dispose(); fs.rmSync(dir, { recursive: true, force: true }); });

const complete = async (uri: string, line: number, character: number) =>
  await c.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } }) as CompletionItem[];
const hover = async (uri: string, line: number, character: number) =>
  await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } }) as Hover | null;
const markdown = (h: Hover | null) => (h?.contents as { value: string } | undefined)?.value ?? '';

const DOCKERFILE = [
  'FROM debian:12',
  '# hullcheck ignore=apt-pin-versions,mai',
  '# hadolint ignore=DL',
  '# check=skip=ConsistentInstructionCasing,',
  'RUN apt-get update && apt-get install -y curl # hullcheck ignore=',
  '# plain comment ignore=',
].join('\n');

test('Dockerfile: rule ids after hullcheck ignore=, hadolint codes after hadolint ignore=, BuildKit names after check=skip=', async () => {
  const uri = fileUri(path.join(dir, 'Dockerfile'));
  await c.open(uri, DOCKERFILE);
  const ids = await complete(uri, 1, DOCKERFILE.split('\n')[1].length);
  const labels = ids.map((i) => i.label);
  assert.ok(labels.includes('maintainer-deprecated'));
  assert.ok(!labels.includes('apt-pin-versions'), 'an id already listed is not offered again');
  assert.ok(!labels.some((l) => l.startsWith('compose-')), 'compose rules do not apply to Dockerfiles');
  const md = ids.find((i) => i.label === 'maintainer-deprecated')!;
  assert.equal(md.detail, RULES_BY_ID.get('maintainer-deprecated')!.meta.title);
  // the edit replaces the partial name being typed
  assert.deepEqual((md.textEdit as { range: unknown }).range, { start: { line: 1, character: 36 }, end: { line: 1, character: 39 } });

  const dl = await complete(uri, 2, 20);
  const pin = dl.find((i) => i.label === 'DL3008');
  assert.equal(pin?.detail, `apt-pin-versions: ${RULES_BY_ID.get('apt-pin-versions')!.meta.title}`);
  assert.ok(dl.every((i) => /^(DL|SC)\d+$/.test(i.label)), dl.map((i) => i.label).join(' '));

  const bk = await complete(uri, 3, DOCKERFILE.split('\n')[3].length);
  assert.ok(bk.some((i) => i.label === 'ExposeInvalidFormat'));
  assert.ok(!bk.some((i) => i.label === 'ConsistentInstructionCasing'));
  assert.ok(!bk.some((i) => i.label.includes('-')), 'only BuildKit check names');

  assert.deepEqual(await complete(uri, 0, 5), [], 'no completion outside a suppression list');
  assert.deepEqual(await complete(uri, 5, 22), [], 'a comment that is no pragma gets nothing');
});

test('Dockerfile: hover on a listed name shows the rule it stands for, with its documentation link', async () => {
  const uri = fileUri(path.join(dir, 'Dockerfile'));
  const onId = markdown(await hover(uri, 1, 22));
  assert.match(onId, /\*\*Pin package versions in apt-get install\*\* \(`apt-pin-versions`\)/);
  assert.match(onId, /\[Rule documentation\]\(.*apt-pin-versions/);
  const onCheck = markdown(await hover(uri, 3, 16));
  assert.match(onCheck, /`consistent-instruction-casing`/);
  // a code no rule maps to explains nothing more than what the pragma-invalid finding there says
  const onUnknown = markdown(await hover(uri, 2, 19));
  assert.doesNotMatch(onUnknown, /---/);
  assert.match(onUnknown, /^\*\*Fix suppression comments that cannot be applied\*\* \(`pragma-invalid`\)/);
});

test('compose: rule ids after hullcheck ignore=, compose rules only; hadolint comments get nothing', async () => {
  const uri = fileUri(path.join(dir, 'compose.yml'));
  const text = 'services:\n  # hullcheck ignore=\n  app:\n    image: nginx\n  # hadolint ignore=\n';
  await c.open(uri, text, 'dockercompose');
  const labels = (await complete(uri, 1, 21)).map((i) => i.label);
  assert.ok(labels.includes('compose-build-path'));
  assert.ok(!labels.includes('apt-pin-versions'));
  assert.deepEqual(await complete(uri, 4, 20), []);
  assert.match(markdown(await hover(uri, 1, 21)), /^$/, 'an empty list has nothing to explain');
});
