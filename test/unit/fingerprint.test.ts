// Finding fingerprints: stable across edits elsewhere in the file, distinct for distinct places.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anchorText, fingerprints, fingerprintPath } from '../../server/src/core/findingFingerprint';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';

const DOCKERFILE = [
  'FROM debian:bookworm-slim',
  'RUN apt-get update && \\',
  '    apt-get install -y curl',
  'RUN apt-get install -y git',
  '',
].join('\n');

async function prints(file: string, text: string) {
  const r = await lintFile(file, text, { host: nodeHost, language: 'dockerfile' });
  const fps = fingerprints(file, text, r.findings, 'dockerfile');
  return r.findings.map((f, i) => ({ rule: f.rule, line: f.range.start.line, fp: fps[i] }));
}

describe('fingerprints', () => {
  it('survive lines inserted above, while the line numbers move', async () => {
    const before = await prints('Dockerfile', DOCKERFILE);
    const edited = DOCKERFILE.replace('FROM debian:bookworm-slim\n', 'FROM debian:bookworm-slim\n# a comment\nENV A=1\n\n');
    const after = await prints('Dockerfile', edited);
    const rule = 'apt-no-install-recommends';
    const b = before.filter((x) => x.rule === rule), a = after.filter((x) => x.rule === rule);
    assert.equal(b.length, 2);
    assert.deepEqual(a.map((x) => x.fp), b.map((x) => x.fp));
    assert.deepEqual(a.map((x) => x.line), b.map((x) => x.line + 3));
  });

  it('anchor a finding on any line of a continued instruction to the whole instruction', () => {
    const lines = DOCKERFILE.split('\n');
    const at = (line: number) => anchorText(lines, { start: { line, character: 4 }, end: { line, character: 8 } }, 'dockerfile');
    assert.equal(at(1), 'RUN apt-get update && apt-get install -y curl');
    assert.equal(at(2), at(1));
    assert.equal(at(3), 'RUN apt-get install -y git');
  });

  it('tell identical instructions apart by their occurrence, and keep the first when one is added below', () => {
    const text = 'FROM a\nRUN make\nRUN make\n';
    const r = (line: number) => ({ rule: 'x', range: { start: { line, character: 0 }, end: { line, character: 8 } } });
    const [one, two] = fingerprints('Dockerfile', text, [r(2), r(1)], 'dockerfile');
    assert.notEqual(one, two);
    // the order the findings come in does not matter, only their order in the file
    const [first, second] = fingerprints('Dockerfile', text, [r(1), r(2)], 'dockerfile');
    assert.equal(first, two);
    assert.equal(second, one);
    const [stillFirst] = fingerprints('Dockerfile', text + 'RUN make\n', [r(1), r(2), r(3)], 'dockerfile');
    assert.equal(stillFirst, first);
  });

  it('include the compose key path, so the same line under two services differs', () => {
    const text = 'services:\n  web:\n    image: nginx:latest\n  api:\n    image: nginx:latest\n';
    const lines = text.split('\n');
    const at = (line: number) => anchorText(lines, { start: { line, character: 4 }, end: { line, character: 9 } }, 'compose');
    assert.equal(at(2), 'services.web image: nginx:latest');
    assert.equal(at(4), 'services.api image: nginx:latest');
    const fp = (t: string, line: number) => fingerprints('compose.yaml', t, [{ rule: 'r', range: { start: { line, character: 4 }, end: { line, character: 9 } } }], 'compose')[0];
    const moved = 'services:\n  db:\n    image: postgres:16\n  api:\n    image: nginx:latest\n  web:\n    image: nginx:latest\n';
    assert.equal(fp(text, 2), fp(moved, 6), 'web moved below api and db was added: same fingerprint');
  });

  it('depend on rule and file, with one spelling of the path on every OS', () => {
    const f = { rule: 'a', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const [x] = fingerprints('dir\\Dockerfile', 'FROM a\n', [f], 'dockerfile');
    const [y] = fingerprints('./dir/Dockerfile', 'FROM a\n', [f], 'dockerfile');
    const [z] = fingerprints('dir/Dockerfile', 'FROM a\n', [{ ...f, rule: 'b' }], 'dockerfile');
    const [w] = fingerprints('other/Dockerfile', 'FROM a\n', [f], 'dockerfile');
    assert.equal(x, y);
    assert.notEqual(x, z);
    assert.notEqual(x, w);
    assert.equal(fingerprintPath('.\\a\\b'), 'a/b');
    assert.match(x, /^[0-9a-f]{32}$/);
  });
});
