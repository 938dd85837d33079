// Where lines added by a fix would land: exec-form arrays never open a heredoc (as in BuildKit), and a last
// instruction left open at the end of the text (dangling continuation, unterminated heredoc) gets no fix that adds
// text after it, while fixes inside it are still offered.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emptyConfig } from '../../server/src/config/hullcheckConfig';
import { lintParsed } from '../../server/src/engine/linter';
import { openTailOffset } from '../../server/src/engine/openTail';
import { heredocsOf, parseDockerfile } from '../../server/src/parse/dockerfile';
import { isExecForm } from '../../server/src/parse/astParser';

const keywords = (text: string) => parseDockerfile(text).instructions.map((i) => i.keyword);

describe('heredocs and exec form', () => {
  it('does not open a heredoc in an exec-form RUN, COPY, ADD or ONBUILD RUN', () => {
    for (const line of ['RUN ["sh", "-c", "cat <<EOF"]', 'COPY ["<<EOF", "/tmp/"]', 'ADD ["<<EOF", "/tmp/"]',
      'ONBUILD RUN ["sh", "-c", "cat <<EOF"]', 'RUN --network=none ["sh", "-c", "cat <<EOF"]', 'RUN [ "sh", \\\n  "-c", "cat <<EOF" ]']) {
      const p = parseDockerfile(`FROM a\n${line}\nUSER app\n`);
      assert.equal(p.instructions[p.instructions.length - 1].keyword, 'USER', line);
      const instr = p.instructions[1];
      assert.deepEqual(heredocsOf(instr.onbuild ?? instr), [], line);
      assert.deepEqual(heredocsOf(instr), [], line);
    }
  });
  it('still opens one in shell form, including shell text that starts with a bracket', () => {
    const p = parseDockerfile('FROM a\nRUN [ -f x ] && cat <<EOF\nUSER app\nEOF\nUSER b\n');
    assert.deepEqual(p.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'USER']);
    assert.equal(heredocsOf(p.instructions[1]).length, 1);
    assert.deepEqual(keywords('FROM a\nONBUILD RUN <<EOF\nUSER app\nEOF\nUSER b\n'), ['FROM', 'ONBUILD', 'USER']);
  });
  it('decides exec form after the flags, on the joined logical line', () => {
    assert.equal(isExecForm('RUN ["a", "b"]', '\\'), true);
    assert.equal(isExecForm('RUN --mount=type=cache,target=/c ["a"]', '\\'), true);
    assert.equal(isExecForm('RUN ["a", \\\n "b"]', '\\'), true);
    assert.equal(isExecForm('RUN ["a", `\n "b"]', '`'), true);
    assert.equal(isExecForm('RUN [ -f x ]', '\\'), false);
    assert.equal(isExecForm("RUN ['a']", '\\'), false);
    assert.equal(isExecForm('RUN ["a", 1]', '\\'), false);
  });
});

describe('open last instruction', () => {
  const open = (text: string) => openTailOffset(parseDockerfile(text)) !== undefined;

  it('is found for a dangling continuation and an unterminated heredoc', () => {
    assert.equal(open('FROM a\nRUN x \\\n'), true);
    assert.equal(open('FROM a\nRUN x \\'), true);
    assert.equal(open('FROM a\nRUN x \\\n  y \\\n# note\n\n'), true);
    assert.equal(open('# escape=`\r\nFROM a\r\nRUN x `\r\n'), true);
    assert.equal(open('FROM a\nRUN <<EOF\necho\n'), true);
    assert.equal(open('FROM a\nONBUILD RUN <<EOF\necho\n'), true);
    assert.equal(open('FROM a\nRUN <<EOF\necho\n# still the body\n'), true);
    assert.equal(open('FROM a\nCOPY <<A <<B /x/\na\nA\nb\n'), true);
    assert.equal(open('FROM a\nRUN <<EOF\necho\n\tEOF\n'), true, 'a tab-indented delimiter ends only <<- heredocs');
    assert.equal(open('FROM a\nRUN <<EOF'), true);
  });
  it('is not found for complete files', () => {
    assert.equal(open(''), false);
    assert.equal(open('FROM a\nRUN x\n'), false);
    assert.equal(open('FROM a\nRUN x \\\n  y\n# trailing \\\n'), false);
    assert.equal(open('FROM a\nRUN <<EOF\necho \\\nEOF\n'), false);
    assert.equal(open('FROM a\nRUN <<-EOF\n\techo\n\tEOF\n# after it\n\n'), false);
    assert.equal(open('FROM a\nCOPY <<A <<B /x/\na\nA\nb\nB\n'), false);
    assert.equal(open('FROM a\nRUN ["sh", "-c", "cat <<EOF"]\n'), false);
    assert.equal(open('# escape=`\nFROM a\nRUN x \\\n'), false, 'a backslash is not the escape character here');
  });
  it('drops fixes that add text after it and keeps fixes inside it', () => {
    const titles = (text: string) => lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), {
      config: emptyConfig(), only: ['healthcheck-missing', 'apk-no-cache'],
    }).map((f) => `${f.rule}:${f.fixes.length}`);
    assert.deepEqual(titles('FROM alpine:3.20\nRUN apk add tini\n'), ['healthcheck-missing:1', 'apk-no-cache:1']);
    assert.deepEqual(titles('FROM alpine:3.20\nRUN apk add tini \\\n'), ['healthcheck-missing:0', 'apk-no-cache:1']);
  });
});
