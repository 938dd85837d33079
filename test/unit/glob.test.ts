// The shared glob matcher (server/src/core/glob.ts): the meaning of each syntax, parent-folder matching and the
// limits that keep it bounded. Its speed on adversarial patterns is checked by regexGuard.test.ts.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileGlob, glob, MAX_GLOB_TEXT, MAX_GLOB_WILDCARDS } from '../../server/src/core/glob';

const docker = (p: string) => compileGlob(p, { syntax: 'docker' });

describe('docker syntax (moby/patternmatcher)', () => {
  it('keeps * and ? inside one folder and lets ** span folders', () => {
    assert.equal(docker('*.go').test('main.go'), true);
    assert.equal(docker('*.go').test('a/main.go'), false);
    assert.equal(docker('a?c').test('abc'), true);
    assert.equal(docker('a?c').test('a/c'), false);
    assert.equal(docker('a/**/b').test('a/b'), true);
    assert.equal(docker('a/**/b').test('a/x/y/b'), true);
    assert.equal(docker('a/**/b').test('a/xb'), false);
  });
  it('a leading ** before plain text is a suffix test, as in Docker', () => {
    assert.equal(docker('**foo').test('xfoo'), true);
    assert.equal(docker('**/foo').test('xfoo'), false);
    assert.equal(docker('**/foo').test('foo'), true);
    assert.equal(docker('**foo*').test('xfoo'), false); // not plain text after `**`: any leading folders only
    assert.equal(docker('**foo*').test('d/foox'), true);
  });
  it('a trailing ** takes everything below, also names that only start the same', () => {
    assert.equal(docker('dir/**').test('dir/a/b'), true);
    assert.equal(docker('dir/**').test('dir'), false);
    assert.equal(docker('foo**').test('foobar/x'), true);
  });
  it('character classes: ranges, ^ negation, escapes; an unclosed class matches nothing', () => {
    assert.equal(docker('a[b-d]e').test('ace'), true);
    assert.equal(docker('a[^b-d]e').test('ace'), false);
    assert.equal(docker('a[^b-d]e').test('aze'), true);
    assert.equal(docker('a[\\]]e').test('a]e'), true);
    assert.equal(docker('a[]]e').test('a]e'), true);
    assert.equal(docker('a[b').test('a[b'), false);
    assert.equal(docker('a\\*b').test('a*b'), true);
    assert.equal(docker('a\\*b').test('axb'), false);
  });
  it('reads characters outside the BMP as one character', () => {
    assert.equal(docker('?.txt').test('😀.txt'), true);
  });
  it('testOrParent matches a parent folder in one pass', () => {
    assert.equal(docker('build').testOrParent('build/out/x.js'), true);
    assert.equal(docker('b*').testOrParent('build/out/x.js'), true);
    assert.equal(docker('out').testOrParent('build/out/x.js'), false);
    assert.equal(docker('**/out').testOrParent('build/out/x.js'), true);
    assert.equal(docker('build/out').testOrParent('build/outer'), false);
  });
});

describe('path syntax', () => {
  it('**/ is any number of folders, other ** is anything, [ is literal unless classes are on', () => {
    const g = compileGlob('**/*-lock.json');
    assert.equal(g.test('package-lock.json'), true);
    assert.equal(g.test('a/b/yarn-lock.json'), true);
    assert.equal(compileGlob('src**').test('src/a/b'), true);
    assert.equal(compileGlob('a[1]').test('a[1]'), true);
    assert.equal(compileGlob('a[1]', { classes: true }).test('a1'), true);
    assert.equal(compileGlob('a[!1]', { classes: true }).test('a2'), true);
    assert.equal(compileGlob('a[!1]', { classes: true }).test('a1'), false);
  });
  it('ignores case when asked', () => {
    assert.equal(compileGlob('*.STACK.yml', { nocase: true }).test('prod.stack.YML'), true);
    assert.equal(compileGlob('*.STACK.yml').test('prod.stack.YML'), false);
  });
});

describe('ref syntax', () => {
  it('* spans slashes and colons, everything else is literal', () => {
    const g = compileGlob('ghcr.io/acme/*', { syntax: 'ref' });
    assert.equal(g.test('ghcr.io/acme/web:1.2'), true);
    assert.equal(g.test('ghcr.io/other/web:1.2'), false);
    assert.equal(compileGlob('a?b', { syntax: 'ref' }).test('axb'), false);
  });
});

describe('limits', () => {
  it('a text longer than PATH_MAX matches nothing', () => {
    assert.equal(compileGlob('**').test('a'.repeat(MAX_GLOB_TEXT)), true);
    assert.equal(compileGlob('**').test('a'.repeat(MAX_GLOB_TEXT + 1)), false);
  });
  it('repeated wildcards are merged, so a long run of **/ still matches', () => {
    assert.equal(docker('**/'.repeat(2000) + 'x').test('a/b/x'), true);
    assert.equal(compileGlob('*'.repeat(5000) + 'x').test('a/bx'), true);
    assert.equal(docker('*'.repeat(5001) + 'x').test('a/bx'), true);
  });
  it('a pattern with more wildcards than any real one is refused', () => {
    const many = '*a'.repeat(MAX_GLOB_WILDCARDS + 1);
    assert.equal(docker(many).test('a'.repeat(MAX_GLOB_WILDCARDS + 1)), false);
    assert.equal(docker('*a'.repeat(MAX_GLOB_WILDCARDS)).test('a'.repeat(MAX_GLOB_WILDCARDS)), true);
  });
  it('the cached compiler returns the same matcher for the same pattern and options', () => {
    assert.equal(glob('*.json'), glob('*.json'));
    assert.notEqual(glob('*.json'), glob('*.json', { nocase: true }));
  });
});
