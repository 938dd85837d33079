// Bad input that is not a Dockerfile instruction: pragmas and check directives the engine cannot apply (the
// `pragma-invalid` rule, configurable like any rule) and malformed configuration files, which must say what is wrong.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emptyConfig, parseHullcheckConfig } from '../../server/src/config/hullcheckConfig';
import { lintFile } from '../../server/src/engine/lintFile';
import { lintParsed, RULES_BY_ID } from '../../server/src/engine/linter';
import { nodeHost } from '../../server/src/core/fileHost';
import { checkDirectiveProblem } from '../../server/src/engine/suppressions';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import type { ResolvedConfig } from '../../server/src/config/resolvedConfig';

const BAD = 'FROM alpine:3.20\n# hadolint ignore=\nUSER root\n';
const run = (text: string, config: ResolvedConfig, only?: string[]) =>
  lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), { config, only }).filter((f) => f.rule === 'pragma-invalid');

describe('pragma-invalid', () => {
  it('is a registry rule whose severity comes from the configuration', () => {
    assert.ok(RULES_BY_ID.has('pragma-invalid'));
    assert.deepEqual(run(BAD, emptyConfig()).map((f) => `${f.range.start.line}:${f.severity}`), ['1:info']);
    const known = new Set(RULES_BY_ID.keys());
    const config = (yaml: string) => ({ ...emptyConfig(), ...parseHullcheckConfig('/x/.hullcheck.yaml', yaml, known).config });
    assert.deepEqual(run(BAD, config('rules:\n  pragma-invalid: error\n')).map((f) => f.severity), ['error']);
    assert.deepEqual(run(BAD, config('rules:\n  pragma-invalid: off\n')), []);
  });
  it('runs only when selected, once, and can be silenced in the file', () => {
    assert.deepEqual(run(BAD, emptyConfig(), ['user-non-root']), []);
    assert.equal(run(BAD, emptyConfig(), ['pragma-invalid', 'user-non-root']).length, 1);
    assert.deepEqual(run(`# hullcheck global ignore=pragma-invalid\n${BAD}`, emptyConfig()), []);
  });
});

describe('check directives', () => {
  it('accepts what BuildKit accepts', () => {
    for (const v of ['', 'skip=all', 'skip=JSONArgsRecommended, StageNameCasing', 'error=true', 'error=False;skip=all', 'experimental=all', 'error=1']) {
      assert.equal(checkDirectiveProblem(v), undefined, v);
    }
  });
  it('reports what BuildKit rejects', () => {
    assert.match(checkDirectiveProblem('skip=all;')!, /stray `;`/);
    assert.match(checkDirectiveProblem('skip')!, /`skip` is not a `key=value` check option/);
    assert.match(checkDirectiveProblem('skip=a;errors=true')!, /check option `errors`/);
    assert.match(checkDirectiveProblem('error=yes')!, /`error=yes` is neither true nor false/);
  });
  it('does not let a rejected directive change what is skipped', () => {
    const text = '# check=skip=JSONArgsRecommended;bogus\nFROM alpine:3.20\nCMD echo hi\n';
    const found = lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), { config: emptyConfig(), only: ['pragma-invalid'] });
    assert.deepEqual(found.map((f) => `${f.range.start.line}:${f.rule}`), ['0:pragma-invalid']);
  });
});

describe('malformed configuration files', () => {
  const project = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-badcfg-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  };
  const problemsOf = async (files: Record<string, string>) => {
    const dir = project({ Dockerfile: 'FROM alpine:3.20\n', ...files });
    const r = await lintFile(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\n', { host: nodeHost });
    return r.configProblems.map((p) => `${path.basename(p.file)}:${p.range.start.line}:${p.severity}:${p.message}`);
  };

  it('says where a .hullcheck.yaml stops being YAML, or that it is not a mapping', async () => {
    const [bad] = await problemsOf({ '.hullcheck.yaml': 'rules:\n  user-non-root: [error\n' });
    assert.match(bad, /^\.hullcheck\.yaml:\d+:error:Invalid YAML: \S/);
    assert.match((await problemsOf({ '.hullcheck.yaml': '- rules\n' }))[0], /^\.hullcheck\.yaml:0:error:.*must be a mapping/);
  });
  it('says where a .hadolint.yaml stops being YAML, or that it is not a mapping', async () => {
    const [bad] = await problemsOf({ '.hadolint.yaml': 'ignored: [DL3008\n' });
    assert.match(bad, /^\.hadolint\.yaml:\d+:error:Invalid YAML: \S/);
    assert.match((await problemsOf({ '.hadolint.yaml': 'just a string\n' }))[0], /^\.hadolint\.yaml:0:error:A \.hadolint\.yaml must be a mapping/);
  });
});
