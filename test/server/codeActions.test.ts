// Code actions and hover over an in-memory LSP session: quick fixes round-trip to a clean document,
// "disable for this line" comments, source.fixAll.hullcheck, recomputation for stale diagnostics, and hover text.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { APT_DOCKERFILE, RULE, TestClient, applyWorkspaceEdit, ofRule, onlyRuleSettings } from './harness';
import { DOCS_BASE } from '../../server/src/rules/ruleDocs';
import { RULES_BY_ID } from '../../server/src/engine/linter';

async function session(t: { after(fn: () => void): void }): Promise<TestClient> {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize();
  return c;
}

test('the quick fix removes the finding once applied', async (t) => {
  const c = await session(t);
  const uri = 'file:///nowhere/hullcheck-ca/fix/Dockerfile';
  const [d] = ofRule(await c.open(uri, APT_DOCKERFILE));
  const actions = await c.codeActions(uri, [d]);
  const fix = actions.find((a) => a.title === 'Add --no-install-recommends');
  assert.ok(fix, `actions: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.isPreferred, true, 'the single safe fix is preferred');
  const text = applyWorkspaceEdit(c.text(uri), uri, fix.edit);
  assert.match(text, /apt-get install --no-install-recommends -y curl/);
  const after = await c.change(uri, text);
  assert.equal(ofRule(after).length, 0);
});

test('"Disable for this line" inserts an indented ignore comment and the re-lint is silent', async (t) => {
  const c = await session(t);
  const uri = 'file:///nowhere/hullcheck-ca/disable/Dockerfile';
  const src = 'FROM debian:bookworm-slim\nONBUILD RUN true\n  RUN apt-get update && \\\n      apt-get install -y curl\n';
  const [d] = ofRule(await c.open(uri, src));
  assert.equal(d.range.start.line, 3, 'the finding is on the continuation line');
  const actions = await c.codeActions(uri, [d]);
  const disable = actions.find((a) => a.title === `Disable ${RULE} for this line`);
  assert.ok(disable);
  const text = applyWorkspaceEdit(c.text(uri), uri, disable.edit);
  assert.equal(text, `FROM debian:bookworm-slim\nONBUILD RUN true\n  # hullcheck ignore=${RULE}\n  RUN apt-get update && \\\n      apt-get install -y curl\n`);
  const after = await c.change(uri, text);
  assert.equal(ofRule(after).length, 0);
});

test('"Disable for this line" merges into an ignore comment right above', async (t) => {
  const c = await session(t);
  const uri = 'file:///nowhere/hullcheck-ca/merge/Dockerfile';
  const src = 'FROM debian:bookworm-slim\r\n# hullcheck ignore=some-other-rule\r\nRUN apt-get install -y curl\r\n';
  const [d] = ofRule(await c.open(uri, src));
  const disable = (await c.codeActions(uri, [d])).find((a) => a.title.startsWith('Disable'));
  assert.ok(disable);
  const text = applyWorkspaceEdit(c.text(uri), uri, disable.edit);
  assert.equal(text, `FROM debian:bookworm-slim\r\n# hullcheck ignore=some-other-rule,${RULE}\r\nRUN apt-get install -y curl\r\n`);
  assert.equal(ofRule(await c.change(uri, text)).length, 0);
});

test('source.fixAll.hullcheck applies every safe fix without overlaps', async (t) => {
  const c = await session(t);
  c.settings = onlyRuleSettings();
  const uri = 'file:///nowhere/hullcheck-ca/fixall/Dockerfile';
  const src = 'FROM debian:bookworm-slim\nRUN apt-get install -y curl\nRUN apt-get install -y git && apt install -y jq\n';
  const pub = await c.open(uri, src);
  assert.equal(ofRule(pub).length, 3);
  assert.equal(pub.diagnostics.length, 3, 'the other rules are off');
  const quick = await c.codeActions(uri, pub.diagnostics, ['quickfix']);
  assert.ok(quick.every((a) => a.kind === 'quickfix'), 'a quickfix-only request gets no source action');
  const actions = await c.codeActions(uri, [], ['source.fixAll']);
  assert.equal(actions.length, 1);
  assert.equal(actions[0].kind, 'source.fixAll.hullcheck');
  const text = applyWorkspaceEdit(c.text(uri), uri, actions[0].edit);
  assert.equal((text.match(/--no-install-recommends/g) ?? []).length, 3);
  assert.equal(ofRule(await c.change(uri, text)).length, 0);
  // nothing left to fix: no action
  assert.deepEqual(await c.codeActions(uri, [], ['source.fixAll.hullcheck']), []);
});

test('a diagnostic from an older version gets fixes recomputed for the current text', async (t) => {
  const c = await session(t);
  const uri = 'file:///nowhere/hullcheck-ca/stale/Dockerfile';
  const [old] = ofRule(await c.open(uri, APT_DOCKERFILE));
  // two lines inserted above: the old diagnostic's data (version 1) no longer matches the document
  const moved = '# header\n# more\n' + APT_DOCKERFILE;
  const [current] = ofRule(await c.change(uri, moved));
  assert.equal(current.range.start.line, 3);
  const staleDiag = { ...old, range: current.range };
  const fix = (await c.codeActions(uri, [staleDiag])).find((a) => a.title === 'Add --no-install-recommends');
  assert.ok(fix);
  const text = applyWorkspaceEdit(c.text(uri), uri, fix.edit);
  assert.equal(text, moved.replace('apt-get install', 'apt-get install --no-install-recommends'));
});

test('hover on a flagged range shows the rule title, rationale and docs link', async (t) => {
  const c = await session(t);
  c.settings = onlyRuleSettings();
  const uri = 'file:///nowhere/hullcheck-ca/hover/Dockerfile';
  const [d] = ofRule(await c.open(uri, APT_DOCKERFILE));
  const hover = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: d.range.start.character + 2 } }) as
    { contents: { kind: string; value: string }; range: unknown } | null;
  assert.ok(hover);
  const meta = RULES_BY_ID.get(RULE)!.meta;
  assert.equal(hover.contents.kind, 'markdown');
  assert.ok(hover.contents.value.includes(meta.title));
  assert.ok(hover.contents.value.includes(meta.docs.rationale.slice(0, 40)));
  assert.ok(hover.contents.value.includes(`${DOCS_BASE}${RULE}.md`));
  assert.deepEqual(hover.range, d.range);
  const nothing = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
  assert.equal(nothing, null);
});

test('with all rules on, fixAll edits never overlap and fix the apt finding', async (t) => {
  const c = await session(t);
  const uri = 'file:///nowhere/hullcheck-ca/fixall-all/Dockerfile';
  const src = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\n';
  await c.open(uri, src);
  const [action] = await c.codeActions(uri, [], ['source.fixAll.hullcheck']);
  assert.ok(action);
  // applyEdits throws on overlapping edits
  const text = applyWorkspaceEdit(c.text(uri), uri, action.edit);
  assert.equal(ofRule(await c.change(uri, text)).length, 0);
});

test('the dockerignore-missing quick fix creates the file with content in one workspace edit', async (t) => {
  const c = await session(t);
  const { tempDir, fileUri } = await import('./harness');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
  const uri = fileUri(path.join(dir, 'Dockerfile'));
  const published = await c.open(uri, 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n');
  const [d] = ofRule(published, 'dockerignore-missing');
  assert.ok(d, 'dockerignore-missing fires without an ignore file');
  const action = (await c.codeActions(uri, [d])).find((a) => a.edit?.documentChanges);
  assert.ok(action, 'a create-file action is offered');
  const changes = action.edit!.documentChanges!;
  const target = fileUri(path.join(dir, '.dockerignore'));
  assert.deepEqual(changes[0], { kind: 'create', uri: target, options: { ignoreIfExists: true } });
  const insert = changes[1] as { textDocument: { uri: string }; edits: { newText: string }[] };
  assert.equal(insert.textDocument.uri, target);
  assert.match(insert.edits[0].newText, /^\.git$/m);
  assert.match(insert.edits[0].newText, /node_modules/);
});
