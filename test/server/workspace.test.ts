// Workspace-level behaviour over an in-memory LSP session: configuration problems published on the config
// file, re-linting on watched-file changes, hullcheck/workspaceFindings over a temp folder, rule docs and rules.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APT_DOCKERFILE, RULE, TestClient, fileUri, ofRule, tempDir } from './harness';
import { renderRulePage } from '../../server/src/rules/ruleDocs';
import { RULES_BY_ID } from '../../server/src/engine/linter';
import type { RuleDocsResult, RuleInfo, WorkspaceFindingsResult } from '../../server/src/protocol/messages';

async function session(t: { after(fn: () => void): void }, folders: string[] = []): Promise<TestClient> {
  const c = new TestClient();
  t.after(() => c.dispose());
  await c.initialize(folders);
  return c;
}

test('a bad .hullcheck.yaml becomes diagnostics on the config file, and fixing it clears them', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cfg = path.join(dir, '.hullcheck.yaml');
  fs.writeFileSync(cfg, 'rules:\n  apt-no-install-recommends: loud\nbogus: 1\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), APT_DOCKERFILE);
  const c = await session(t, [dir]);
  const cfgUri = fileUri(cfg);
  const onConfig = c.next(cfgUri);
  const doc = await c.open(fileUri(path.join(dir, 'Dockerfile')), APT_DOCKERFILE);
  assert.equal(ofRule(doc).length, 1, 'the invalid severity is ignored, the rule keeps its default');
  const problems = (await onConfig).diagnostics;
  assert.deepEqual(problems.map((d) => [d.code, d.range.start.line, d.severity]).sort(), [['config-error', 1, 1], ['config-error', 2, 2]]);
  assert.ok(problems.every((d) => d.source === 'hullcheck'));

  // a broken YAML file: still no crash, one problem
  fs.writeFileSync(cfg, 'rules: [\n');
  let next = c.next(cfgUri);
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: cfgUri, type: 2 }] });
  const broken = (await next).diagnostics;
  assert.ok(broken.length >= 1 && broken.every((d) => /Invalid YAML/.test(String(d.message))), JSON.stringify(broken));

  // fixed: the config diagnostics are cleared and the rule follows the file's severity
  fs.writeFileSync(cfg, 'rules:\n  apt-no-install-recommends: error\n');
  next = c.next(cfgUri, (p) => p.diagnostics.length === 0);
  const relinted = c.next(fileUri(path.join(dir, 'Dockerfile')), (p) => ofRule(p)[0]?.severity === 1);
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: cfgUri, type: 2 }] });
  await next;
  await relinted;
});

test('workspaceFindings lints Dockerfiles and ignore files, skips node_modules, prefers open text', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
  write('Dockerfile', APT_DOCKERFILE);
  write('svc/api.Dockerfile', APT_DOCKERFILE);
  write('svc/Dockerfile.dev', 'FROM debian:bookworm-slim\nRUN echo ok\n');
  write('node_modules/pkg/Dockerfile', APT_DOCKERFILE);
  write('.git/Dockerfile', APT_DOCKERFILE);
  write('README.md', 'RUN apt-get install -y curl\n');
  write('.dockerignore', '.git\n');
  const c = await session(t, [dir]);
  // the open, edited version of svc/Dockerfile.dev has the problem; the disk copy does not
  await c.open(fileUri(path.join(dir, 'svc/Dockerfile.dev')), APT_DOCKERFILE);
  const r = await c.conn.sendRequest('hullcheck/workspaceFindings', {}) as WorkspaceFindingsResult;
  const withRule = r.files.filter((f) => f.findings.some((x) => x.rule === RULE)).map((f) => path.relative(dir, f.path)).sort();
  assert.deepEqual(withRule, ['Dockerfile', 'svc/Dockerfile.dev', 'svc/api.Dockerfile']);
  assert.equal(r.scanned, 4, 'three Dockerfiles and one .dockerignore');
  assert.equal(r.truncated, false);
  const f = r.files.find((x) => x.path === path.join(dir, 'Dockerfile'))!;
  assert.equal(f.uri, fileUri(path.join(dir, 'Dockerfile')));
  const finding = f.findings.find((x) => x.rule === RULE)!;
  assert.equal(finding.fixable, true);
  assert.equal(finding.range.start.line, 1);
});

test('ruleDocs returns the generated page; unknown ids return null; rules lists the metadata', async (t) => {
  const c = await session(t);
  const docs = await c.conn.sendRequest('hullcheck/ruleDocs', { id: RULE }) as RuleDocsResult;
  assert.equal(docs.markdown, renderRulePage(RULES_BY_ID.get(RULE)!.meta));
  assert.equal(docs.markdown, fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'docs', 'rules', `${RULE}.md`), 'utf8'));
  assert.equal(await c.conn.sendRequest('hullcheck/ruleDocs', { id: 'no-such-rule' }), null);
  const rules = await c.conn.sendRequest('hullcheck/rules') as RuleInfo[];
  assert.equal(rules.length, RULES_BY_ID.size);
  const apt = rules.find((r) => r.id === RULE)!;
  assert.equal(apt.title, RULES_BY_ID.get(RULE)!.meta.title);
  assert.match(apt.url, new RegExp(`${RULE}\\.md$`));
});

test('the server advertises push diagnostics only, code actions, hover and workspace folders', async () => {
  const c = new TestClient();
  try {
    const init = await c.initialize() as { capabilities: Record<string, unknown> };
    assert.equal(init.capabilities.diagnosticProvider, undefined, 'no pull diagnostics');
    assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.hullcheck'], resolveProvider: false });
    assert.equal(init.capabilities.hoverProvider, true);
  } finally {
    c.dispose();
  }
});
