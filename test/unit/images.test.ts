// Image references: parsing registry/path/tag/digest and expanding ARG variables as a default build would.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { imageUses, isOfficialImage, parseImageRef } from '../../server/src/model/dockerfile/imageRefs';
import { expandWord } from '../../server/src/model/dockerfile/expansion';
import { modelOf } from '../../server/src/model/dockerfile/model';
import type { Instr, ParsedDockerfile } from '../../server/src/parse/dockerfile';

/** The model's expansion, in the shape these cases were written for. */
function expandVars(text: string, lookup: (name: string) => string | undefined) {
  const e = expandWord(text, lookup);
  return { value: e.result, unresolved: e.unresolved, hadVars: e.hadVars };
}

/** The ARG values the model's scope gives an instruction. */
function stageArgScope(p: ParsedDockerfile, instr: Instr) {
  const scope = modelOf(p).scopeBefore(instr);
  return { get: (n: string) => scope.lookup(n), has: (n: string) => scope.has(n) };
}

describe('parseImageRef', () => {
  it('splits registry, path, tag and digest', () => {
    assert.deepEqual(parseImageRef('python'), { raw: 'python', registry: undefined, path: 'python', name: 'python', tag: undefined, digest: undefined });
    assert.deepEqual(parseImageRef('ghcr.io/astral-sh/uv:latest'), { raw: 'ghcr.io/astral-sh/uv:latest', registry: 'ghcr.io', path: 'astral-sh/uv', name: 'uv', tag: 'latest', digest: undefined });
    const local = parseImageRef('localhost:5000/team/app');
    assert.equal(local?.registry, 'localhost:5000');
    assert.equal(local?.tag, undefined, 'a registry port is not a tag');
    const pinned = parseImageRef('debian:latest@sha256:abc');
    assert.equal(pinned?.tag, 'latest');
    assert.equal(pinned?.digest, 'sha256:abc');
    assert.equal(parseImageRef('  '), undefined);
  });
  it('recognises official images under any Hub spelling', () => {
    assert.ok(isOfficialImage(parseImageRef('python:3.12')!, 'python'));
    assert.ok(isOfficialImage(parseImageRef('docker.io/library/python:3.12')!, 'python'));
    assert.ok(isOfficialImage(parseImageRef('mirror.gcr.io/library/python')!, 'python'));
    assert.ok(!isOfficialImage(parseImageRef('myorg/python')!, 'python'));
    assert.ok(!isOfficialImage(parseImageRef('ghcr.io/python')!, 'python'));
  });
});

describe('expandVars', () => {
  const vars = new Map<string, string | undefined>([['SET', 'v'], ['EMPTY', ''], ['UNSET', undefined]]);
  const x = (t: string) => expandVars(t, (n) => vars.get(n));
  it('expands the forms BuildKit supports', () => {
    assert.deepEqual(x('a-$SET-${SET}'), { value: 'a-v-v', unresolved: false, hadVars: true });
    assert.equal(x('${UNSET:-latest}').value, 'latest');
    assert.equal(x('${EMPTY:-d}').value, 'd');
    assert.equal(x('${EMPTY-d}').value, '');
    assert.equal(x('${SET:+alt}').value, 'alt');
    assert.equal(x('${UNSET:+alt}').value, '');
    assert.equal(x('${UNSET:-${SET}}').value, 'v');
    assert.equal(x('\\$SET').value, '$SET');
  });
  it('marks a value that only the build command knows', () => {
    assert.equal(x('$UNSET').unresolved, true);
    assert.equal(x('${NOPE}').unresolved, true);
    assert.equal(x('${UNSET:-x}').unresolved, false);
    assert.equal(x('plain').hadVars, false);
  });
});

describe('ARG scopes and image uses', () => {
  it('gives stage ARGs without a default the global default', () => {
    const p = parseDockerfile('ARG V=1\nARG W=2\nFROM a:$V\nARG V\nARG X=3\nCOPY --from=img:$V$X$W /a /a\n');
    const scope = stageArgScope(p, p.instructions[5]);
    assert.equal(scope.get('V'), '1');
    assert.equal(scope.get('X'), '3');
    assert.equal(scope.has('W'), false, 'a global ARG is not visible in a stage until re-declared');
  });
  it('lists images but not stages, indexes or scratch', () => {
    const p = parseDockerfile('FROM node:22 AS build\nFROM scratch\nFROM build\nCOPY --from=build /a /a\nCOPY --from=0 /a /a\nCOPY --from=alpine:3 /a /a\n');
    assert.deepEqual(imageUses(p, { copyFrom: true }).map((u) => [u.kind, u.ref?.raw]), [['from', 'node:22'], ['copy-from', 'alpine:3']]);
  });
});
