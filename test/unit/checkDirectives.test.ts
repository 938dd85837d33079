// BuildKit's `# check=` options on the directive fixtures (test/fixtures/buildkit), with the findings BuildKit v0.35.1
// reports for each file (the conformance test re-checks them against BuildKit itself when it is installed): a file
// directive skips checks file-wide, a `# check=` comment among one instruction's comments only there, `skip=all`
// only on its own, `experimental=` turns InvalidDefinitionDescription on, and `error=true` makes every finding an error.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { parseCheckOptions } from '../../server/src/parse/checkDirectives';
import { FIXTURES } from '../helpers';

const DIR = path.join(FIXTURES, 'buildkit');
const CHECK = new Map(RULES.flatMap((r) => (r.meta.buildkit ?? []).map((n) => [r.meta.id, n] as const)));

/** BuildKit's warnings, `Check:line`, per fixture. */
const EXPECTED: Record<string, string[]> = {
  'empty-continuation.Dockerfile': ['NoEmptyContinuation:5', 'NoEmptyContinuation:10'],
  'error-false.Dockerfile': ['LegacyKeyValueFormat:3'],
  'error.Dockerfile': ['FromAsCasing:2', 'LegacyKeyValueFormat:3'],
  'experimental-all.Dockerfile': ['InvalidDefinitionDescription:3', 'LegacyKeyValueFormat:4'],
  'experimental.Dockerfile': ['InvalidDefinitionDescription:4', 'InvalidDefinitionDescription:12'],
  'skip-all.Dockerfile': [],
  'skip-file.Dockerfile': ['LegacyKeyValueFormat:3'],
  'skip-instruction.Dockerfile': ['LegacyKeyValueFormat:4', 'MaintainerDeprecated:13'],
  'skip-not-directive.Dockerfile': ['FromAsCasing:4'],
};

async function checks(name: string) {
  const file = path.join(DIR, name);
  const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, language: 'dockerfile' });
  return r.findings.filter((f) => CHECK.has(f.rule));
}

describe('BuildKit check directives', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`reports what BuildKit reports on ${name}`, async () => {
      const found = await checks(name);
      assert.deepEqual(found.map((f) => `${CHECK.get(f.rule)}:${f.range.start.line + 1}`).sort(), [...expected].sort());
    });
  }

  it('makes the findings errors only under check=error=true', async () => {
    assert.deepEqual((await checks('error.Dockerfile')).map((f) => f.severity), ['error', 'error']);
    assert.ok((await checks('error-false.Dockerfile')).every((f) => f.severity !== 'error'));
  });

  it('covers every fixture', () => {
    assert.deepEqual(fs.readdirSync(DIR).filter((n) => n.endsWith('Dockerfile')).sort(), Object.keys(EXPECTED).sort());
  });

  it('reads check options as BuildKit does', () => {
    assert.deepEqual(parseCheckOptions('skip=A, B;error=true'), { skipAll: false, skip: ['A', 'B'], experimentalAll: false, experimental: [], error: true });
    assert.equal(parseCheckOptions('skip=all')?.skipAll, true);
    assert.deepEqual(parseCheckOptions('skip=A,all')?.skip, ['A', 'all'], '`all` inside a list names no check');
    assert.equal(parseCheckOptions('experimental=all')?.experimentalAll, true);
    assert.equal(parseCheckOptions('Skip=A'), undefined, 'keys are case-sensitive');
    assert.equal(parseCheckOptions('error=maybe'), undefined);
    assert.equal(parseCheckOptions('skip'), undefined);
  });
});
