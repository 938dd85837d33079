// Real-world runs: every corpus Dockerfile lints without a crash or an internal error, and Tale's
// Dockerfiles produce exactly the reviewed findings in test/fixtures/tale/dockerfiles.findings.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { CORPUS, FIXTURES, formatFindings } from '../helpers';
import { walk } from '../bench/corpus';

const UPDATE = process.env.UPDATE_FIXTURES === '1';

describe('corpus Dockerfiles', () => {
  const files = walk(path.join(CORPUS, 'dockerfiles'), () => true);

  it('has the 483 corpus Dockerfiles to lint', () => {
    assert.equal(files.length, 483, `corpus expected at ${CORPUS}`);
  });

  it('lints all of them with every rule on, without an internal error', async () => {
    const failures: string[] = [];
    let total = 0;
    for (const file of files) {
      const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, enableAll: true, language: 'dockerfile' });
      total += r.findings.length;
      for (const f of r.findings.filter((x) => x.rule === 'internal-error')) failures.push(`${path.relative(CORPUS, file)}: ${f.message}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(total > files.length, 'real-world files should produce findings');
  });
});

describe('Tale', () => {
  const root = path.join(CORPUS, 'tale');
  const dockerfiles = walk(path.join(root, 'services'), (n) => n === 'Dockerfile');

  it('has its 8 Dockerfiles', () => assert.equal(dockerfiles.length, 8));

  it('gets exactly the reviewed findings with the default configuration', async () => {
    let actual = '';
    for (const file of dockerfiles) {
      const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost });
      actual += `## ${path.relative(root, file)}\n${formatFindings(r.findings)}`;
    }
    const snap = path.join(FIXTURES, 'tale', 'dockerfiles.findings');
    if (UPDATE) { fs.mkdirSync(path.dirname(snap), { recursive: true }); fs.writeFileSync(snap, actual); }
    assert.equal(actual, fs.readFileSync(snap, 'utf8'));
  });

  it('flags the uv image copied at :latest', async () => {
    const file = path.join(root, 'services', 'rag', 'Dockerfile');
    const text = fs.readFileSync(file, 'utf8');
    const r = await lintFile(file, text, { host: nodeHost });
    const line = text.split('\n').findIndex((l) => l.includes('ghcr.io/astral-sh/uv:latest'));
    assert.ok(r.findings.some((f) => f.rule === 'image-tag-latest' && f.range.start.line === line));
  });
});
