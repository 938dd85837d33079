// Real build contexts: a Dockerfile is judged with the context the compose services that build it give, a
// `contexts:` mapping, or the folder where its sources exist; unknown contexts keep the context rules silent; the
// ignore file and the created .dockerignore follow the context; the CLI and the editor agree.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import { buildContextOrFolder, buildContexts, ignoreFileFor } from '../../server/src/facts/buildContext';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { nodeHost } from '../../server/src/core/fileHost';
import { documentsAffectedByFiles } from '../../server/src/features/watchedFiles';
import { fileUri, onlyRuleSettings, TestClient } from '../server/harness';
import { formatFindings, lint, tmpProject } from '../helpers';

const CONTEXT_RULES = ['dockerignore-missing', 'copy-ignored-file'];
const NODE_APP = 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\n';
const NO_CONFIG = { rules: {}, allowRoot: [], enableAll: false, sources: [] };

/** The third reproducer: docker/Dockerfile built from the root by compose, with the root's .dockerignore. */
function reproducer(ignore: string): string {
  return tmpProject({
    'compose.yaml': 'services:\n  app:\n    build: { context: ., dockerfile: docker/Dockerfile }\n',
    '.dockerignore': ignore,
    'docker/Dockerfile': NODE_APP,
    'package.json': '{}\n',
    'package-lock.json': '{}\n',
  });
}

describe('build context of a Dockerfile', () => {
  it('reproducer: the root compose context and its .dockerignore, no dockerignore-missing', async () => {
    const dir = reproducer('.git\nnode_modules\n');
    assert.equal(formatFindings(await lint(path.join(dir, 'docker', 'Dockerfile'), { only: CONTEXT_RULES })), '');
    const ctx = await buildContexts(nodeHost, path.join(dir, 'docker', 'Dockerfile'), parseDockerfile(NODE_APP), NO_CONFIG, []);
    assert.deepEqual(ctx.map((c) => [c.dir, c.source, c.service]), [[dir, 'compose', 'app']]);
  });

  it('reproducer: copy-ignored-file reads the root .dockerignore', async () => {
    const dir = reproducer('.git\npackage-lock.json\n');
    assert.equal(formatFindings(await lint(path.join(dir, 'docker', 'Dockerfile'), { only: CONTEXT_RULES })),
      '3:19 copy-ignored-file COPY source `package-lock.json` is excluded by .dockerignore (line 2: `package-lock.json`), so the builder never receives it; change the pattern or the COPY.\n');
  });

  it('takes the ancestor where the sources exist, and creates the .dockerignore there', async () => {
    const dir = tmpProject({ 'docker/Dockerfile': NODE_APP, 'package.json': '{}\n', 'package-lock.json': '{}\n' });
    const findings = await lint(path.join(dir, 'docker', 'Dockerfile'), { only: CONTEXT_RULES });
    assert.equal(formatFindings(findings),
      '5:6 dockerignore-missing `COPY .` sends the whole build context, and there is no .dockerignore; add one so .git, local .env files and dependency folders stay out of the image.\n');
    assert.equal(findings[0].fixes[0].createFile?.path, path.join(dir, '.dockerignore'));
  });

  it('finds the context from the folder a glob source names (`COPY ./Docker/*.conf`), and its .dockerignore there', async () => {
    const text = 'FROM php:8.3-apache\nCOPY . /var/www/app\nCOPY ./Docker/*.Apache.conf /etc/apache2/sites-available/\n';
    const dir = tmpProject({ 'Docker/Dockerfile': text, 'Docker/app.Apache.conf': '', '.dockerignore': '.git\n' });
    assert.equal(formatFindings(await lint(path.join(dir, 'Docker', 'Dockerfile'), { only: CONTEXT_RULES })), '');
    const ctx = await buildContexts(nodeHost, path.join(dir, 'Docker', 'Dockerfile'), parseDockerfile(text), NO_CONFIG, []);
    assert.deepEqual(ctx.map((c) => c.dir), [dir]);
  });

  it('stays silent when the context is unknown', async () => {
    const dir = tmpProject({ 'sub/Dockerfile': 'FROM python:3.12-slim\nCOPY app.py requirements.txt ./\nCOPY . .\n', 'other/app.py': '' });
    assert.equal(formatFindings(await lint(path.join(dir, 'sub', 'Dockerfile'), { only: CONTEXT_RULES })), '');
    assert.deepEqual(await buildContexts(nodeHost, path.join(dir, 'sub', 'Dockerfile'), parseDockerfile('FROM x\nCOPY app.py .\n'), NO_CONFIG, []), []);
  });

  it('uses the contexts mapping of .hullcheck.yaml', async () => {
    const dir = tmpProject({
      '.hullcheck.yaml': 'contexts:\n  "build/*.Dockerfile": .\n',
      'build/api.Dockerfile': 'FROM alpine:3.20\nCOPY . /src\n',
      '.dockerignore': '.git\n',
    });
    assert.equal(formatFindings(await lint(path.join(dir, 'build', 'api.Dockerfile'), { only: CONTEXT_RULES })), '');
  });

  it('judges each context when compose services build the Dockerfile from several', async () => {
    const dir = tmpProject({
      'compose.yaml': 'services:\n  a:\n    build: { context: a, dockerfile: ../Dockerfile }\n  b:\n    build: { context: b, dockerfile: ../Dockerfile }\n',
      'Dockerfile': 'FROM alpine:3.20\nCOPY secret.txt /etc/\nCOPY . /src\n',
      'a/.dockerignore': 'secret.txt\n',
      'a/secret.txt': 'x\n',
      'b/secret.txt': 'y\n',
    });
    const findings = await lint(path.join(dir, 'Dockerfile'), { only: CONTEXT_RULES });
    assert.equal(formatFindings(findings),
      '2:6 copy-ignored-file COPY source `secret.txt` is excluded by .dockerignore (line 1: `secret.txt`), so the builder never receives it; change the pattern or the COPY.\n' +
      '3:6 dockerignore-missing `COPY .` sends the whole build context, and there is no .dockerignore; add one so .git, local .env files and dependency folders stay out of the image.\n');
    assert.equal(findings[1].fixes[0].createFile?.path, path.join(dir, 'b', '.dockerignore'));
  });

  it('builds an image from the same context the rules judge, else from the Dockerfile\'s folder', async () => {
    const dir = reproducer('.git\n');
    assert.equal(await buildContextOrFolder(nodeHost, path.join(dir, 'docker', 'Dockerfile')), dir);
    const alone = tmpProject({ 'sub/Dockerfile': 'FROM alpine:3.20\nCOPY missing.txt /\n' });
    assert.equal(await buildContextOrFolder(nodeHost, path.join(alone, 'sub', 'Dockerfile')), path.join(alone, 'sub'));
  });

  it('reads <Dockerfile>.dockerignore first, then .dockerignore, then .containerignore', async () => {
    const dir = tmpProject({ 'api.Dockerfile.dockerignore': 'a\n', 'ctx/.containerignore': 'c\n', 'ctx2/.dockerignore': 'd\n', 'ctx2/.containerignore': 'c\n' });
    assert.equal((await ignoreFileFor(nodeHost, path.join(dir, 'api.Dockerfile'), path.join(dir, 'ctx')))?.text, 'a\n');
    assert.equal((await ignoreFileFor(nodeHost, path.join(dir, 'Dockerfile'), path.join(dir, 'ctx')))?.text, 'c\n');
    assert.equal((await ignoreFileFor(nodeHost, path.join(dir, 'Dockerfile'), path.join(dir, 'ctx2')))?.text, 'd\n');
    assert.equal(await ignoreFileFor(nodeHost, path.join(dir, 'Dockerfile'), dir), null);
  });
});

describe('build context in the CLI and the editor', () => {
  it('gives the same context findings on both paths', async () => {
    const dir = reproducer('.git\npackage-lock.json\n');
    const file = path.join(dir, 'docker', 'Dockerfile');
    let stdout = '';
    await main(['lint', '--format', 'json', file], { stdout: (s) => { stdout += s; }, stderr: () => undefined }, async () => '');
    const cli = (JSON.parse(stdout).findings as { rule: string; line: number; column: number }[])
      .filter((f) => CONTEXT_RULES.includes(f.rule)).map((f) => `${f.line}:${f.column} ${f.rule}`);
    const c = new TestClient();
    try {
      c.settings = onlyRuleSettings('copy-ignored-file');
      await c.initialize([dir]);
      const pub = await c.open(fileUri(file), NODE_APP);
      const editor = pub.diagnostics.filter((d) => CONTEXT_RULES.includes(String(d.code))).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
      assert.deepEqual(editor, ['3:19 copy-ignored-file']);
      assert.deepEqual(cli, editor);
    } finally {
      c.dispose();
    }
  });
});

describe('build context follows compose files changed on disk', () => {
  it('re-lints an open Dockerfile when the compose file that builds it changes', async () => {
    const dir = reproducer('.git\n');
    const compose = path.join(dir, 'compose.yaml');
    fs.writeFileSync(compose, 'services:\n  app:\n    build: { context: docker }\n');
    const file = path.join(dir, 'docker', 'Dockerfile');
    const c = new TestClient();
    try {
      c.settings = onlyRuleSettings('dockerignore-missing');
      await c.initialize([dir]);
      const uri = fileUri(file);
      const first = await c.open(uri, NODE_APP);
      assert.deepEqual(first.diagnostics.map((d) => d.code), ['dockerignore-missing'], 'built from docker/, which has no .dockerignore');
      fs.writeFileSync(compose, 'services:\n  app:\n    build: { context: ., dockerfile: docker/Dockerfile }\n');
      assert.deepEqual(documentsAffectedByFiles(c.server.docs, [{ uri: fileUri(compose), type: 2 }]), [uri]);
      const next = c.next(uri, (p) => p.diagnostics.length === 0);
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(compose), type: 2 }] });
      await next;
    } finally {
      c.dispose();
    }
  });
});
