// The RUN-script tokenizer: commands, words, quoting, continuations, heredocs and exact offsets.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { hasFlag, positionals, programArgs, programName } from '../../server/src/parse/shell';
import { LineIndex, applyEdits } from '../../server/src/core/text';
import { selectFixes } from '../../server/src/core/fixes';

const cmds = (text: string, n = 0) => parseDockerfile(text).instructions.filter((i) => i.keyword === 'RUN')[n].commands();
const words = (text: string, n = 0) => cmds(text, n).map((c) => c.words.map((w) => w.value));

describe('shell tokenizer', () => {
  it('splits on operators and removes quotes', () => {
    assert.deepEqual(words('FROM a\nRUN apt-get update && apt-get install -y "curl" \'git\' || true; echo a|wc -l &\n'),
      [['apt-get', 'update'], ['apt-get', 'install', '-y', 'curl', 'git'], ['true'], ['echo', 'a'], ['wc', '-l']]);
  });
  it('joins continuations and drops comment lines inside them', () => {
    assert.deepEqual(words('FROM a\nRUN apt-get install \\\n  # the tools\n  curl \\\n\n  git\n'), [['apt-get', 'install', 'curl', 'git']]);
  });
  it('keeps substitutions inside one word', () => {
    assert.deepEqual(words('FROM a\nRUN echo "$(uname -m)" $(dpkg --print-architecture) ${A:-b c}\n'), [['echo', '$(uname -m)', '$(dpkg --print-architecture)', '${A:-b c}']]);
  });
  it('maps each word to its exact place in the document, CRLF included', () => {
    const text = 'FROM a\r\nRUN apt-get \\\r\n    install curl\r\n';
    const w = cmds(text)[0].words[1];
    assert.equal(text.slice(w.start, w.end), 'install');
    const idx = new LineIndex(text);
    assert.deepEqual(idx.positionAt(w.start), { line: 2, character: 4 });
  });
  it('uses the body of a RUN heredoc as the script, and not a heredoc fed to another program', () => {
    assert.deepEqual(words('FROM a\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nRUN echo after\n'), [['apt-get', 'update'], ['apt-get', 'install', '-y', 'curl']]);
    assert.deepEqual(words('FROM a\nRUN python3 <<EOF\nimport os\nEOF\n'), [['python3']]);
  });
  it('reads case patterns as patterns, not pipes or subshells', () => {
    const parsed = cmds('FROM a\nRUN case "$V" in dev|beta) echo x | wc -l ;; (prod) echo y ;; *) true;; esac && echo done\n');
    assert.deepEqual(parsed.map((c) => [c.words.map((w) => w.value).join(' '), c.sep]),
      [['case $V in', '\n'], ['echo x', '|'], ['wc -l', ';'], ['echo y', ';'], ['true', ';'], ['esac', '&&'], ['echo done', '']]);
    assert.deepEqual(words('FROM a\nRUN echo case in | wc\n'), [['echo', 'case', 'in'], ['wc']]);
  });
  it('records how many subshells enclose each command', () => {
    const parsed = cmds('FROM a\nRUN (cd /src && make) && make install; echo "$(cd /tmp && pwd)"\n');
    assert.deepEqual(parsed.map((c) => [c.words[0].value, c.depth]), [['cd', 1], ['make', 1], ['make', 0], ['echo', 0]]);
  });
  it('reads exec form as one command', () => {
    assert.deepEqual(words('FROM a\nRUN ["apt-get", "install", "-y", "curl"]\n'), [['apt-get', 'install', '-y', 'curl']]);
  });
  it('honours the backtick escape directive', () => {
    assert.deepEqual(words('# escape=`\nFROM a\nRUN echo a `\n    b\n'), [['echo', 'a', 'b']]);
  });
  it('finds the program behind wrappers and assignments, and flags in any spelling', () => {
    const [c] = cmds('FROM a\nRUN DEBIAN_FRONTEND=noninteractive sudo -E /usr/bin/apt-get -yq install --no-install-recommends=true x\n');
    assert.equal(programName(c), 'apt-get');
    const args = programArgs(c);
    assert.ok(hasFlag(args, '-y'));
    assert.ok(hasFlag(args, '-q'));
    assert.ok(hasFlag(args, '--no-install-recommends'));
    assert.ok(!hasFlag(args, '--yes'));
    assert.deepEqual(positionals(args).map((w) => w.value), ['install', 'x']);
  });
  it('finds the program that a condition or loop keyword starts', () => {
    const parsed = cmds('FROM a\nRUN if ! apt-get install -s x; then apk add y; elif pip install z; then :; fi; while read l; do echo "$l"; done; until curl -f h; do sleep 1; done\n');
    assert.deepEqual(parsed.map(programName), ['apt-get', 'apk', 'pip', ':', 'fi', 'read', 'echo', 'done', 'curl', 'sleep', 'done']);
  });
  it('never loops or throws on unterminated quotes', () => {
    assert.deepEqual(words('FROM a\nRUN echo "abc\n'), [['echo', 'abc']]);
    assert.deepEqual(words('FROM a\nRUN echo $(abc\n'), [['echo', '$(abc']]);
  });
});

describe('edits', () => {
  it('applies non-overlapping edits and refuses overlapping ones', () => {
    const r = (l: number, a: number, b: number) => ({ start: { line: l, character: a }, end: { line: l, character: b } });
    assert.equal(applyEdits('abc\ndef\n', [{ range: r(1, 0, 1), newText: 'X' }, { range: r(0, 3, 3), newText: '!' }]), 'abc!\nXef\n');
    assert.throws(() => applyEdits('abcdef', [{ range: r(0, 0, 3), newText: '' }, { range: r(0, 2, 4), newText: '' }]));
    const fixes = [
      { title: 'a', safety: 'safe' as const, edits: [{ range: r(0, 0, 3), newText: 'x' }] },
      { title: 'b', safety: 'safe' as const, edits: [{ range: r(0, 2, 4), newText: 'y' }] },
      { title: 'c', safety: 'safe' as const, edits: [{ range: r(0, 4, 4), newText: 'z' }] },
      { title: 'd', safety: 'safe' as const, edits: [{ range: r(0, 4, 4), newText: 'w' }] },
    ];
    assert.deepEqual(selectFixes('abcdef', fixes).map((f) => f.title), ['a', 'c']);
  });
});
