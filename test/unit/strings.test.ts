// core/strings.ts: the linear replacements for end-anchored and variable-stripping regular expressions.

import { it } from 'node:test';
import * as assert from 'node:assert/strict';
import { isBlank, replaceVariables, trimLeading, trimTrailing } from '../../server/src/core/strings';

it('trimTrailing drops only the run at the end', () => {
  assert.equal(trimTrailing('/app//', '/'), '/app');
  assert.equal(trimTrailing('///', '/'), '');
  assert.equal(trimTrailing('a/b', '/'), 'a/b');
  assert.equal(trimTrailing(`${'/'.repeat(100_000)}x`, '/'), `${'/'.repeat(100_000)}x`);
});

it('isBlank agrees with \\s', () => {
  for (const ch of [' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', 'a', '#', '\u0000']) assert.equal(isBlank(ch), /\s/.test(ch), JSON.stringify(ch));
  assert.equal(isBlank(''), false);
});

it('replaceVariables replaces ${…} up to the first } and, when asked, $NAME', () => {
  assert.equal(replaceVariables('${PORT:-80}:80', 'X'), 'X:80');
  assert.equal(replaceVariables('${A:-${B}}', 'X'), 'X}');
  assert.equal(replaceVariables('$A ${B', 'X'), '$A ${B');
  assert.equal(replaceVariables('$A-$_b1 ${C}x', '', true), '- x');
  assert.equal(replaceVariables('${'.repeat(50_000), 'X'), '${'.repeat(50_000));
});

it('trimTrailing and trimLeading take a set of characters', () => {
  assert.equal(trimTrailing('org.opencontainers.image.-.', '.-'), 'org.opencontainers.image');
  assert.equal(trimTrailing('a-b', '.-'), 'a-b');
  assert.equal(trimLeading('("exec', '"\'('), 'exec');
  assert.equal(trimLeading('exec', '"\'('), 'exec');
  assert.equal(trimLeading('((((', '('), '');
  assert.equal(trimTrailing('-'.repeat(50_000) + 'x', '-'), '-'.repeat(50_000) + 'x');
});
