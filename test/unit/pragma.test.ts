// The shared pragma reader (parse/pragma.ts) and the hang reproducers of issue 14 through the engine: a pragma
// with thousands of blanks before a `#`, in a Dockerfile and in a compose file, and a .dockerignore made of
// repeated `**/` against a deep COPY source. The time limits only catch a hang; speed is measured in test/bench.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { composeIgnorePragma, mergeIgnore, parsePragma, pragmaIds } from '../../server/src/parse/pragma';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';

const HANG = { timeout: 15_000 };
const BLANKS = ' '.repeat(3000);

describe('parsePragma', () => {
  it('reads tool, scope, key, value and a trailing comment, ignoring case and blanks around =', () => {
    assert.deepEqual(parsePragma('# hullcheck ignore=a,b'), { tool: 'hullcheck', scope: undefined, key: 'ignore', value: 'a,b', valueStart: 19, valueEnd: 22, comment: undefined });
    const p = parsePragma('  #HADOLINT  Global   IGNORE =  DL3008 , DL3009  # why');
    assert.equal(p?.tool, 'hadolint');
    assert.equal(p?.scope, 'global');
    assert.equal(p?.key, 'ignore');
    assert.equal(p?.value, 'DL3008 , DL3009');
    assert.equal(p?.comment, '# why');
    assert.equal(parsePragma('# hadolint stage ignore=DL3006')?.scope, 'stage');
    assert.equal(parsePragma('# hullcheck shell=pwsh')?.key, 'shell');
  });
  it('rejects lines that only look like a pragma', () => {
    for (const line of ['hullcheck ignore=x', '# hullcheckignore=x', '# hullcheck1 ignore=x', '# hullcheck ignored=x', '# hullcheck ignore x',
      '# hullcheck global=x', '# hullcheck globalignore=x', '# other ignore=x', '#', '']) {
      assert.equal(parsePragma(line), undefined, line);
    }
  });
  it('splits ignore lists on commas and drops empty entries', () => {
    assert.deepEqual(pragmaIds(' a , ,b,, '), ['a', 'b']);
    assert.deepEqual(pragmaIds(BLANKS), []);
  });
  it('compose pragmas: plain lists only, never a stage scope or a trailing comment', () => {
    assert.deepEqual(composeIgnorePragma('# hullcheck global ignore=a, b'), { global: true, ids: ['a', 'b'] });
    assert.equal(composeIgnorePragma('# hullcheck ignore='), undefined);
    assert.equal(composeIgnorePragma('# hullcheck ignore=a # note'), undefined);
    assert.equal(composeIgnorePragma('# hullcheck stage ignore=a'), undefined);
    assert.equal(composeIgnorePragma('# hadolint ignore=DL3008'), undefined);
    assert.equal(composeIgnorePragma(`# hullcheck ignore=${BLANKS}#`), undefined);
  });
  it('mergeIgnore appends to a plain list with a comma when needed, and knows a listed id', () => {
    assert.deepEqual(mergeIgnore('# hullcheck ignore=a', 'b'), { kind: 'append', character: 20, text: ',b' });
    assert.deepEqual(mergeIgnore('  # hullcheck ignore=a,  ', 'b'), { kind: 'append', character: 23, text: 'b' });
    assert.deepEqual(mergeIgnore('# hullcheck ignore=', 'b'), { kind: 'append', character: 19, text: 'b' });
    assert.deepEqual(mergeIgnore('# hullcheck ignore=a, b', 'b'), { kind: 'listed' });
    assert.deepEqual(mergeIgnore('# hullcheck global ignore=a', 'b'), { kind: 'new' });
    assert.deepEqual(mergeIgnore('# hullcheck ignore=a # keep', 'b'), { kind: 'new' });
    assert.deepEqual(mergeIgnore(`# hullcheck ignore=${BLANKS}#`, 'b'), { kind: 'new' });
  });
});

describe('hang reproducers through the engine', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-hang-')));
  const rules = (r: { findings: { rule: string }[] }) => r.findings.map((f) => f.rule);

  for (const tail of ['#', '#\u2028x']) {
    it(`a Dockerfile pragma of 3,000 blanks then ${JSON.stringify(tail)} is read, and reported as naming no rule`, HANG, async () => {
      const text = `FROM alpine:3.20\n# hullcheck ignore=${BLANKS}${tail}\nRUN apk add --no-cache curl=8.9.1-r0\n`;
      const r = await lintFile(path.join(dir, 'Dockerfile'), text, { host: nodeHost });
      assert.ok(rules(r).includes('pragma-invalid'), rules(r).join(','));
    });
    it(`a compose pragma of 3,000 blanks then ${JSON.stringify(tail)} is not an ignore comment`, HANG, async () => {
      const text = `services:\n  web:\n    # hullcheck ignore=${BLANKS}${tail}\n    image: nginx:latest\n`;
      const r = await lintFile(path.join(dir, 'compose.yaml'), text, { host: nodeHost });
      assert.ok(rules(r).includes('compose-image-latest'), rules(r).join(','));
    });
  }

  it('thousands of stacked pragmas above one instruction are read in one pass', HANG, async () => {
    const text = `FROM alpine:3.20\n${'# hullcheck ignore=apk-no-cache\n'.repeat(20_000)}RUN apk add curl=8.9.1-r0\n`;
    const r = await lintFile(path.join(dir, 'Dockerfile'), text, { host: nodeHost });
    assert.ok(!rules(r).includes('apk-no-cache'));
  });

  it('.dockerignore `**/` ×12 then x against a 28-segment COPY source: answered, and right when it matches', HANG, async () => {
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx, { recursive: true });
    fs.writeFileSync(path.join(ctx, '.dockerignore'), `${'**/'.repeat(12)}x\n`);
    const deep = Array.from({ length: 28 }, (_, i) => `d${i}`).join('/');
    const text = `FROM alpine:3.20\nCOPY ${deep} /a/\nCOPY ${deep}/x /b/\n`;
    const r = await lintFile(path.join(ctx, 'Dockerfile'), text, { host: nodeHost });
    const ignored = r.findings.filter((f) => f.rule === 'copy-ignored-file');
    assert.deepEqual(ignored.map((f) => f.range.start.line), [2], 'only the source ending in x is excluded');
  });
});
