// .dockerignore matching: the documented Docker behaviour (build-context docs) and the corner cases of
// BuildKit's pattern matcher (`**`, parent directories, exceptions, cleaning).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IgnoreMatcher, cleanPath, makePattern, normalizePattern } from '../../server/src/parse/ignoreMatch';

const excluded = (ignore: string, path: string) => IgnoreMatcher.fromText(ignore).excludes(path);

function table(ignore: string, cases: Record<string, boolean>): void {
  const m = IgnoreMatcher.fromText(ignore);
  for (const [path, want] of Object.entries(cases)) {
    assert.equal(m.excludes(path), want, `${JSON.stringify(ignore)} on ${path}: expected ${want ? 'excluded' : 'included'}`);
  }
}

describe('cleanPath', () => {
  it('behaves like Go path.Clean', () => {
    assert.equal(cleanPath(''), '.');
    assert.equal(cleanPath('./a//b/'), 'a/b');
    assert.equal(cleanPath('a/./b/../c'), 'a/c');
    assert.equal(cleanPath('../a'), '../a');
    assert.equal(cleanPath('/../a'), '/a');
    assert.equal(cleanPath('/'), '/');
    assert.equal(cleanPath('a/..'), '.');
  });
});

describe('normalizePattern', () => {
  it('splits off the exception mark, trims and cleans', () => {
    assert.deepEqual(normalizePattern('  !  docs/README.md  '), { pattern: 'docs/README.md', negated: true });
    assert.deepEqual(normalizePattern('/node_modules/'), { pattern: 'node_modules', negated: false });
    assert.deepEqual(normalizePattern('./a/../b'), { pattern: 'b', negated: false });
    assert.equal(normalizePattern('!'), undefined);
    assert.equal(normalizePattern('   '), undefined);
  });
});

describe('documented .dockerignore examples', () => {
  it('*/temp* excludes temp-prefixed names one level down only', () => {
    table('*/temp*', { 'somedir/temporary.txt': true, 'somedir/temp': true, 'temp': false, 'a/b/temp': false });
  });
  it('*/*/temp* excludes temp-prefixed names two levels down', () => {
    table('*/*/temp*', { 'somedir/subdir/temporary.txt': true, 'somedir/temp': false });
  });
  it('temp? excludes one-character extensions of temp at the root', () => {
    table('temp?', { tempa: true, tempb: true, temp: false, tempab: false, 'dir/tempa': false });
  });
  it('**/*.go excludes Go files at any depth including the root', () => {
    table('**/*.go', { 'main.go': true, 'a/b/c.go': true, 'a/b/c.gox': false });
  });
  it('/foo/bar and foo/bar are the same pattern', () => {
    table('/foo/bar', { 'foo/bar': true, 'foo/bar/baz': true, bar: false, foo: false });
  });
  it('an exception re-includes a file', () => {
    table('*.md\n!README.md', { 'CHANGES.md': true, 'README.md': false });
  });
  it('the last matching line wins', () => {
    table('*.md\n!README*.md\nREADME-secret.md', { 'README.md': false, 'README-x.md': false, 'README-secret.md': true, 'x.md': true });
    table('*.md\nREADME-secret.md\n!README*.md', { 'README-secret.md': false, 'README.md': false, 'x.md': true });
  });
  it('comments start in column 0 and blank lines are skipped', () => {
    table('# comment\n\n  \nfoo', { '# comment': false, foo: true });
  });
  it('a lone * followed by exceptions keeps only the listed paths', () => {
    table('*\n!src\n!package.json', { src: false, 'src/a.ts': false, 'package.json': false, 'README.md': true, '.git': true });
  });
});

describe('matcher corner cases', () => {
  it('a pattern that matches a directory excludes everything below it', () => {
    table('node_modules', { node_modules: true, 'node_modules/x/y.js': true, 'a/node_modules': false });
    table('node_modules/', { 'node_modules/x': true });
  });
  it('** matches any number of directories, including none', () => {
    table('**/node_modules', { node_modules: true, 'a/node_modules': true, 'a/b/node_modules/c': true, 'a/xnode_modules': false });
    table('a/**/b', { 'a/b': true, 'a/x/b': true, 'a/x/y/b': true, 'x/a/b': false });
  });
  it('dir/** excludes the contents but not the directory entry itself', () => {
    table('dir/**', { dir: false, 'dir/file': true, 'dir/a/b': true });
  });
  it('* and ? do not cross slashes', () => {
    table('a*b', { 'a/b': false, axb: true });
    table('a?b', { 'a/b': false, axb: true });
  });
  it('character classes work, including ranges and ^ negation', () => {
    table('a[b-d]e', { ace: true, ae: false, aae: false });
    table('a[^b-d]e', { aze: true, ace: false });
  });
  it('regexp metacharacters in names are literal', () => {
    table('abc.def', { 'abc.def': true, abcZdef: false });
    table('a(b)c/def', { 'a(b)c/def': true, 'a(b)c/xyz': false });
    table('dist/*.whl', { 'dist/pkg-1.0+g08acad9-py3-none-any.whl': true });
  });
  it('backslash escapes a wildcard', () => {
    table('a\\*b', { 'a*b': true, axb: false });
  });
  it('an exception inside an excluded directory brings the file back', () => {
    table('docs\n!docs/README.md', { 'docs/README.md': false, 'docs/other.md': true });
    table('docs/*\n!docs/README.md', { 'docs/README.md': false, 'docs/other.md': true });
    table('**\n!util/docker/web', { 'util/docker/web/foo': false, 'util/other': true });
    table('**\n!util/docker/web\nutil/docker/web/foo', { 'util/docker/web/foo': true, 'util/docker/web/bar': false });
  });
  it('an exception before the exclusion has no effect', () => {
    assert.equal(excluded('!fileutils.go\n*.go', 'fileutils.go'), true);
    assert.equal(excluded('*.go\n!fileutils.go', 'fileutils.go'), false);
  });
  it('never excludes the context root', () => {
    assert.equal(excluded('*', '.'), false);
    assert.equal(excluded('**', './'), false);
  });
  it('paths are cleaned and a leading slash is ignored', () => {
    assert.equal(excluded('.env', './.env'), true);
    assert.equal(excluded('.env', '/.env'), true);
    assert.equal(excluded('a/b', 'a//b/'), true);
  });
  it('pattern kinds agree with their regexp meaning', () => {
    assert.equal(makePattern('**', false).test('anything/at/all'), true);
    assert.equal(makePattern('**file', false).test('dir/dir/file'), true);
    assert.equal(makePattern('**/**/*.txt', false).test('file.txt'), true);
    assert.equal(makePattern('**/**/*.txt2', false).test('dir/file.txt'), false);
    assert.equal(makePattern('a**/*.txt', false).test('a/dir/dir/file.txt'), true);
    assert.equal(makePattern('a/*.txt', false).test('a/dir/file.txt'), false);
    assert.equal(makePattern('.*', false).test('foo'), false);
  });
  it('a CRLF file and a BOM are read correctly', () => {
    table('\uFEFF.git\r\n!keep\r\n', { '.git': true, keep: false });
  });
});

describe('decidingPattern and mayReincludeBelow', () => {
  it('reports the pattern that excluded a path', () => {
    const m = IgnoreMatcher.fromText('*.log\nbuild/\n!build/keep');
    assert.equal(m.decidingPattern('build/out.js')?.pattern, 'build');
    assert.equal(m.decidingPattern('build/keep'), undefined);
    assert.equal(m.decidingPattern('src/a.ts'), undefined);
  });
  it('knows when an exception may re-include files inside a directory', () => {
    const m = IgnoreMatcher.fromText('tools/\n!tools/cli/package.json');
    assert.equal(m.mayReincludeBelow('tools'), true);
    assert.equal(m.mayReincludeBelow('tools/cli'), true);
    assert.equal(m.mayReincludeBelow('tools/plop'), false);
    assert.equal(IgnoreMatcher.fromText('x\n!**/keep').mayReincludeBelow('x'), true);
    assert.equal(IgnoreMatcher.fromText('x\n!y/keep').mayReincludeBelow('x'), false);
  });
});

describe('long ignore files', () => {
  it('plain names are looked up, and still decide in file order with wildcards and exceptions', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `gen/file${i}.txt`);
    const m = IgnoreMatcher.fromText([...names, 'build', '!build/keep', 'build/keep/secret', '*.log', '!gen/file7.txt'].join('\n'));
    assert.equal(m.excludes('gen/file3.txt'), true);
    assert.equal(m.excludes('gen/file7.txt'), false, 'a later exception wins');
    assert.equal(m.excludes('gen/file20000.txt'), false);
    assert.equal(m.excludes('build/out.js'), true);
    assert.equal(m.excludes('build/keep'), false);
    assert.equal(m.excludes('build/keep/secret/x'), true);
    assert.equal(m.decidingPattern('b.log')?.pattern, '*.log');
    assert.equal(m.excludes('a/b.log'), false, '* stays inside one folder');
    assert.equal(m.decidingPattern('gen/file3.txt/below')?.pattern, 'gen/file3.txt');
  });
});
