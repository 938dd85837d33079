// .dockerignore and .trivyignore grammars: comments, negation, glob operators, ids, expiry dates.

import { test } from 'node:test';
import { expectNoScope, expectScope, lines, tokenize } from './tokenize';

test('dockerignore: comments, negation and glob operators', async () => {
  const t = await tokenize('dockerignore', lines(
    '# build output',
    '**/node_modules',
    '*.log',
    '!important.log',
    '  ! keep/this?.txt',
    'docs/[a-c]*.md',
    'data/[!x]',
    'weird\\*name',
    'path/with#hash',
  ));
  expectScope(t, '# build output', 'comment.line.number-sign');
  expectScope(t, '#', 'punctuation.definition.comment', { line: 1 });
  expectScope(t, '**', 'keyword.operator.glob.globstar');
  expectScope(t, '/', 'punctuation.separator.path', { line: 2 });
  expectNoScope(t, 'node_modules', 'keyword.operator');
  expectScope(t, '*', 'keyword.operator.glob.wildcard', { line: 3 });
  expectScope(t, '!', 'keyword.operator.negation', { line: 4 });
  expectScope(t, 'important.log', 'meta.pattern.negated');
  expectScope(t, '!', 'keyword.operator.negation', { line: 5 });
  expectScope(t, '?', 'keyword.operator.glob.wildcard');
  expectScope(t, '[', 'punctuation.definition.character-class.begin', { line: 6 });
  expectScope(t, 'a-c', 'constant.other.character-class.set');
  expectScope(t, '-', 'punctuation.separator.range', { line: 6 });
  expectScope(t, ']', 'punctuation.definition.character-class.end', { line: 6 });
  expectScope(t, '!', 'keyword.operator.negation', { line: 7 });
  expectScope(t, '\\*', 'constant.character.escape');
  expectNoScope(t, '\\*', 'keyword.operator.glob');
  // `#` only starts a comment at the beginning of a line
  expectNoScope(t, '#hash', 'comment');
  expectScope(t, 'path/with#hash', 'meta.pattern');
});

test('trivyignore: ids by kind, exp: dates, comments and trailing reasons', async () => {
  const t = await tokenize('trivyignore', lines(
    '# Accept the risk until the vendor ships a fix',
    'CVE-2023-12345',
    'CVE-2019-14697 exp:2023-01-01',
    'GHSA-abcd-1234-wxyz exp:2024-13-01 # bad month',
    'AVD-DS-0002   # runs as root on purpose',
    'generic-unwanted-rule',
    'CVE-2019-0006 exp:9999-01-01 key2:value2',
  ));
  expectScope(t, '# Accept the risk until the vendor ships a fix', 'comment.line.number-sign');
  expectScope(t, 'CVE-2023-12345', 'constant.other.id.cve');
  expectScope(t, 'CVE-2019-14697', 'constant.other.id.cve');
  expectScope(t, 'exp', 'keyword.other.expiry', { line: 3 });
  expectScope(t, ':', 'punctuation.separator.key-value', { line: 3 });
  expectScope(t, '2023-01-01', 'constant.numeric.date');
  expectScope(t, 'GHSA-abcd-1234-wxyz', 'constant.other.id.ghsa');
  expectScope(t, '2024-13-01', 'invalid.illegal.date');
  expectScope(t, '# bad month', 'comment.line.number-sign');
  expectScope(t, 'AVD-DS-0002', 'constant.other.id.avd');
  expectScope(t, '# runs as root on purpose', 'comment.line.number-sign');
  expectScope(t, 'generic-unwanted-rule', 'constant.other.id');
  expectNoScope(t, 'generic-unwanted-rule', 'constant.other.id.cve');
  expectScope(t, '9999-01-01', 'constant.numeric.date');
  expectScope(t, 'key2', 'entity.other.attribute-name');
  expectScope(t, 'value2', 'string.unquoted.attribute-value');
});
