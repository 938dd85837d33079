// A FROM that names earlier stages through a variable (`FROM base-${TARGETARCH}`): which stage names it can stand for.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { baseHasTool, familyOf, fillsTemplate } from '../../server/src/model/dockerfile/stages';

describe('fillsTemplate', () => {
  it('a variable stands for one or more stage-name characters', () => {
    assert.equal(fillsTemplate('base-amd64', ['base-', '']), true);
    assert.equal(fillsTemplate('base-', ['base-', '']), false);
    assert.equal(fillsTemplate('base-arm/v7', ['base-', '']), false);
    assert.equal(fillsTemplate('other-amd64', ['base-', '']), false);
  });
  it('literals between variables must be found in order, trying every split', () => {
    assert.equal(fillsTemplate('a-x-y-b', ['a-', '-', '-b']), true); // x | y
    assert.equal(fillsTemplate('a-x-y-z-b', ['a-', '-', '-b']), true); // x-y | z or x | y-z
    assert.equal(fillsTemplate('a--b', ['a-', '-', '-b']), false);
    assert.equal(fillsTemplate('ab', ['a', '', 'b']), false); // two variables need two characters
    assert.equal(fillsTemplate('axyb', ['a', '', 'b']), true);
  });
  it('a name with no variable must equal the literal', () => {
    assert.equal(fillsTemplate('base', ['base']), true);
    assert.equal(fillsTemplate('base2', ['base']), false);
  });
  it('stays linear on long adversarial names', () => {
    const name = 'a-'.repeat(20000) + '!';
    assert.equal(fillsTemplate(name, ['a', '-', '-', '-', 'b']), false);
  });
});

describe('image names read once for family, tools and bash-as-sh', () => {
  it('a registry with a port is not taken for the image name', () => {
    assert.equal(familyOf('localhost:5000/alpine:3.20'), 'alpine');
    assert.equal(baseHasTool('localhost:5000/alpine:3.20', 'wget'), 'yes');
    assert.equal(baseHasTool('registry.example.com:443/debian:bookworm-slim@sha256:' + 'a'.repeat(64), 'curl'), 'no');
    assert.equal(familyOf('cgr.dev/chainguard/static:latest'), 'distroless');
  });
});
