// Real-world compose files: all 200 corpus files and Tale's 8 lint without an internal error, compose-schema agrees
// with the schema results recorded in the corpus SOURCES.md, and Tale's files give exactly the reviewed findings.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import type { ResolvedConfig } from '../../server/src/config/resolvedConfig';
import { CORPUS, FIXTURES, formatFindings } from '../helpers';
import { walk } from '../bench/corpus';

const UPDATE = process.env.UPDATE_FIXTURES === '1';
const TALE = path.join(CORPUS, 'tale');
const isCompose = (n: string) => /compose.*\.ya?ml$/i.test(n);

/**
 * SOURCES.md: 203 of 208 files validate against the canonical compose-spec.json. Two fail every schema (a null
 * service, an `environment:` holding only a comment); three use features newer than the canonical schema
 * (`pre_start` twice, a null `models` entry). Docker Compose runs `pre_start` (its loader's schema lists it), so
 * Hullcheck accepts it too: 205 pass.
 */
const SCHEMA_INVALID = [
  'compose/compose-spec__compose-go/loader__testdata__extends__base.yaml',
  'compose/docker__compose/pkg__e2e__testdata__TestLocalComposeConfigNoConsistency__compose.yaml',
  'compose/nginx-proxy__nginx-proxy/docker-compose-separate-containers.yml',
];
const PRE_START = 'compose/docker__compose/pkg__e2e__testdata__TestPreStartHookReRunOnSpecChange__compose.yaml';

describe('corpus compose files', () => {
  const files = [...walk(path.join(CORPUS, 'compose'), () => true), ...walk(TALE, isCompose).filter((f) => path.dirname(f) === TALE)];

  it('has the 200 corpus files and Tale\'s 8', () => assert.equal(files.length, 208));

  it('lints all of them with every rule on, without an internal error, and agrees with the schema results', async () => {
    const failures: string[] = [];
    const invalid: string[] = [];
    let total = 0;
    for (const file of files) {
      const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, enableAll: true, language: 'compose' });
      total += r.findings.length;
      for (const f of r.findings.filter((x) => x.rule === 'internal-error')) failures.push(`${path.relative(CORPUS, file)}: ${f.message}`);
      if (r.findings.some((f) => f.rule === 'compose-schema')) invalid.push(path.relative(CORPUS, file));
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(invalid.sort(), SCHEMA_INVALID);
    assert.equal(files.length - invalid.length, 205);
    assert.ok(total > files.length, 'real-world files should produce findings');
  });

  it('names the exact key of each schema problem', async () => {
    const file = path.join(CORPUS, SCHEMA_INVALID[2]);
    const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, language: 'compose' });
    const f = r.findings.filter((x) => x.rule === 'compose-schema');
    assert.equal(f.length, 1);
    const line = fs.readFileSync(file, 'utf8').split('\n')[f[0].range.start.line];
    assert.match(line, /^\s*environment:/);
  });

  it('accepts pre_start, which Docker Compose runs', async () => {
    const file = path.join(CORPUS, PRE_START);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^\s*pre_start:/m);
    const r = await lintFile(file, text, { host: nodeHost, language: 'compose' });
    assert.deepEqual(r.findings.filter((x) => x.rule === 'compose-schema'), []);
  });
});

describe('Tale compose files', () => {
  // the seeds run the test stack as `-f compose.yml -f compose.test.yml`; the other overlays pair by name
  const overrides = { composeProjects: [['compose.yml', 'compose.test.yml']] } as unknown as Partial<ResolvedConfig>;
  const files = walk(TALE, isCompose).filter((f) => path.dirname(f) === TALE);

  it('gets exactly the reviewed findings with the default configuration', async () => {
    let actual = '';
    for (const file of files) {
      const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, overrides });
      actual += `## ${path.relative(TALE, file)}\n${formatFindings(r.findings)}`;
    }
    const snap = path.join(FIXTURES, 'tale', 'compose.findings');
    if (UPDATE) { fs.mkdirSync(path.dirname(snap), { recursive: true }); fs.writeFileSync(snap, actual); }
    assert.equal(actual, fs.readFileSync(snap, 'utf8'));
  });

  it('finds no port conflict between compose.yml and compose.test.yml, only the kept-ports notes', async () => {
    for (const name of ['compose.yml', 'compose.test.yml']) {
      const file = path.join(TALE, name);
      const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, overrides });
      const conflicts = r.findings.filter((f) => f.rule === 'compose-port-conflict');
      assert.ok(conflicts.every((f) => f.severity === 'info'), formatFindings(conflicts));
      if (name === 'compose.test.yml') assert.equal(conflicts.length, 4, 'db, crawler, rag and proxy keep their base ports');
    }
  });
});
