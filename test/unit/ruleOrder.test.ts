// Rule ids are ordered without ICU (core/findings.ts compareRuleIds) exactly as localeCompare orders them, so findings
// keep their order while the language server never loads the collation data.

import { it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareRuleIds } from '../../server/src/core/findings';
import { RULES } from '../../server/src/rules/index';

const sign = (n: number) => Math.sign(n);

it('agrees with localeCompare on every rule id, ShellCheck codes and the special ids', () => {
  const ids = [...RULES.map((r) => r.meta.id), 'SC2086', 'SC1091', 'SC3026', 'DL3008', 'config-error', 'internal-error', 'file-skipped', 'file-not-read'];
  const wrong: string[] = [];
  for (const a of ids) for (const b of ids) if (sign(compareRuleIds(a, b)) !== sign(a.localeCompare(b))) wrong.push(`${a} ${b}`);
  assert.deepEqual(wrong, []);
  assert.ok(ids.length > 100);
});

it('agrees with localeCompare on random ids of letters of both cases, digits and dashes', () => {
  const id = fc.stringMatching(/^[A-Za-z0-9-]{0,8}$/);
  fc.assert(fc.property(id, id, (a, b) => sign(compareRuleIds(a, b)) === sign(a.localeCompare(b))), { numRuns: 20_000 });
  // the cases where code-unit order and localeCompare differ
  assert.ok(compareRuleIds('apt-get', 'SC2086') < 0);
  assert.ok(compareRuleIds('ab', 'Ab') < 0);
  assert.ok(compareRuleIds('Ab', 'ac') < 0);
});
