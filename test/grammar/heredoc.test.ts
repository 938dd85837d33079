// Dockerfile grammar: heredocs (end detection, <<-, quoted and multiple delimiters, shell vs plain bodies)
// and line continuations (backslash, comment and empty lines inside, the backtick escape directive).
//
// Known limitation: a TextMate grammar keeps no variables, so it cannot follow the `# escape=` parser
// directive in general. The grammar switches to the backtick escape only when `# escape=\`` is the FIRST
// line of the file (the usual place). When that directive comes after another directive (e.g. a
// `# syntax=` line), backslash stays the continuation character, so a Windows path ending in `\` continues
// the instruction onto the next line and backtick-continued lines are tokenized as new lines.
//
// Every test runs with the stub shell grammar and, when a local VS Code build provides it, with VS Code's
// real shell grammar, which has its own multi-line regions that must not swallow the heredoc end.

import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectNoScope, expectScope, hasScope, lines, realShellGrammarPath, tokenize, type ShellMode, type Tokenized } from './tokenize';

/** The first token of a 0-based line is a top-level instruction keyword (nothing left open above it). */
function assertTopLevelInstruction(t: Tokenized, line: number): void {
  const first = t.tokens[line].find((x) => x.text.trim() !== '');
  assert.ok(first, `line ${line + 1} is empty`);
  assert.deepEqual(first.scopes.filter((s) => !s.startsWith('meta.instruction.') && s !== 'source.hullcheck.dockerfile' && s !== 'meta.escape-backtick.dockerfile'),
    ['keyword.other.instruction.dockerfile'], t.describeLine(line));
  assert.equal(first.scopes.filter((s) => s.startsWith('meta.instruction.')).length, 1, t.describeLine(line));
}

const modes: { mode: ShellMode; skip: boolean }[] = [
  { mode: 'stub', skip: false },
  { mode: 'real', skip: !realShellGrammarPath() },
];

for (const { mode, skip } of modes) {
  describe(`heredocs (${mode} shell grammar)`, { skip: skip && 'VS Code shell grammar not found' }, () => {
    test('RUN <<EOF: shell body, recognised end delimiter, Dockerfile scopes afterwards', async () => {
      const t = await tokenize('dockerfile', lines(
        'RUN <<EOF',
        'set -e',
        'if [ -n "$X" ]; then echo "it\'s"; fi',
        'FROM not-an-instruction-here',
        'EOF',
        'FROM alpine AS next',
      ), mode);
      expectScope(t, '<<', 'keyword.operator.heredoc', { line: 1 });
      expectScope(t, 'EOF', 'keyword.control.heredoc-token', { line: 1 });
      expectScope(t, 'set -e', 'meta.embedded.block.shellscript');
      expectScope(t, 'echo', 'meta.embedded.block.shellscript', { line: 3 });
      expectNoScope(t, 'FROM', 'keyword.other.instruction', { line: 4 });
      expectScope(t, 'FROM not-an-instruction-here', 'meta.heredoc');
      expectScope(t, 'EOF', 'keyword.control.heredoc-token', { line: 5 });
      expectNoScope(t, 'EOF', 'meta.embedded.block.shellscript', { line: 5 });
      assertTopLevelInstruction(t, 5);
      expectScope(t, 'alpine', 'entity.name.type.image', { line: 6 });
      expectNoScope(t, 'FROM alpine AS next', 'meta.heredoc');
      if (mode === 'stub') expectScope(t, '$X', 'variable.other.normal.shell');
    });

    test('<<-EOF ends at a tab-indented delimiter, <<EOF does not', async () => {
      const t = await tokenize('dockerfile', lines(
        'RUN <<-EOT',
        '\techo one',
        '\tEOT',
        'RUN <<EOT',
        '\techo two',
        '\tEOT',
        'EOT',
        'USER app',
      ), mode);
      expectScope(t, '<<-', 'keyword.operator.heredoc');
      expectScope(t, 'EOT', 'keyword.control.heredoc-token', { line: 3 });
      assertTopLevelInstruction(t, 3);
      expectScope(t, 'EOT', 'meta.embedded.block.shellscript', { line: 6 });
      expectScope(t, 'EOT', 'keyword.control.heredoc-token', { line: 7 });
      assertTopLevelInstruction(t, 7);
    });

    test('quoted delimiters', async () => {
      const t = await tokenize('dockerfile', lines(
        'RUN <<"EOF"',
        'echo "$HOME"',
        'EOF',
        "RUN <<'END_OF_SCRIPT'",
        'echo hi',
        'END_OF_SCRIPT',
        'WORKDIR /app',
      ), mode);
      expectScope(t, '"', 'punctuation.definition.string.heredoc', { line: 1, nth: 0 });
      expectScope(t, 'EOF', 'keyword.control.heredoc-token', { line: 1 });
      expectScope(t, 'EOF', 'keyword.control.heredoc-token', { line: 3 });
      expectScope(t, "'", 'punctuation.definition.string.heredoc', { line: 4, nth: 0 });
      expectScope(t, 'END_OF_SCRIPT', 'keyword.control.heredoc-token', { line: 6 });
      assertTopLevelInstruction(t, 6);
    });

    test('COPY heredoc bodies are file contents; RUN program <<EOF is stdin, RUN bash <<EOF is a script', async () => {
      const t = await tokenize('dockerfile', lines(
        'COPY --chmod=0644 <<EOF /etc/app.conf',
        'key = $value',
        'EOF',
        'RUN python3 <<EOF',
        'print("hi")',
        'EOF',
        'RUN --network=none bash -e <<EOF',
        'echo script',
        'EOF',
        'LABEL done=yes',
      ), mode);
      expectScope(t, '--chmod', 'variable.parameter.flag');
      expectScope(t, 'key = $value', 'string.unquoted.heredoc');
      expectNoScope(t, 'key = $value', 'meta.embedded');
      expectNoScope(t, '/etc/app.conf', 'string.unquoted.heredoc');
      expectScope(t, 'python3 ', 'meta.embedded.line.shellscript');
      expectScope(t, 'print("hi")', 'string.unquoted.heredoc');
      expectScope(t, '--network', 'variable.parameter.flag');
      expectScope(t, 'bash -e ', 'meta.embedded.line.shellscript');
      expectScope(t, 'echo script', 'meta.embedded.block.shellscript');
      assertTopLevelInstruction(t, 9);
    });

    test('two heredocs on one line', async () => {
      const t = await tokenize('dockerfile', lines(
        'COPY <<a.txt <<b.txt /dst/',
        'first body',
        'a.txt',
        'second body',
        'b.txt',
        'RUN <<FILE1 cat > file1 && <<FILE2 cat > file2',
        'I am first',
        'FILE1',
        'I am second',
        'FILE2',
        'ENV X=1',
      ), mode);
      expectScope(t, 'a.txt', 'keyword.control.heredoc-token', { line: 1 });
      expectScope(t, 'b.txt', 'keyword.control.heredoc-token', { line: 1 });
      expectScope(t, 'first body', 'string.unquoted.heredoc');
      expectScope(t, 'a.txt', 'keyword.control.heredoc-token', { line: 3 });
      expectScope(t, 'second body', 'string.unquoted.heredoc');
      expectNoScope(t, 'second body', 'keyword.control.heredoc-token');
      expectScope(t, 'b.txt', 'keyword.control.heredoc-token', { line: 5 });
      assertTopLevelInstruction(t, 5);
      expectScope(t, 'FILE2', 'keyword.control.heredoc-token', { line: 6 });
      expectScope(t, ' cat > file1 && ', 'meta.embedded.line.shellscript');
      expectScope(t, 'I am first', 'string.unquoted.heredoc');
      expectScope(t, 'I am second', 'string.unquoted.heredoc');
      expectScope(t, 'FILE2', 'keyword.control.heredoc-token', { line: 10 });
      assertTopLevelInstruction(t, 10);
      expectNoScope(t, 'ENV X=1', 'meta.heredoc');
    });

    test('heredoc after flags on continuation lines', async () => {
      const t = await tokenize('dockerfile', lines(
        'RUN --mount=type=cache,target=/go/pkg/mod \\',
        '    --mount=target=.,type=tmpfs <<EOT',
        '  go build ./...',
        'EOT',
        'CMD ["app"]',
      ), mode);
      expectScope(t, '--mount', 'variable.parameter.flag', { line: 2 });
      expectScope(t, 'tmpfs', 'constant.language.flag-value');
      expectScope(t, 'EOT', 'keyword.control.heredoc-token', { line: 2 });
      expectScope(t, 'go build ./...', 'meta.embedded.block.shellscript');
      assertTopLevelInstruction(t, 4);
    });

    test('a here-string <<< is not a heredoc', async () => {
      const t = await tokenize('dockerfile', lines('RUN cat <<<"hello"', 'USER root'), mode);
      expectNoScope(t, '<<<"hello"', 'meta.heredoc');
      assertTopLevelInstruction(t, 1);
    });
  });
}

describe('line continuations', () => {
  test('backslash continues RUN through comment and empty lines', async () => {
    const t = await tokenize('dockerfile', lines(
      'RUN apt-get update \\',
      '    # a comment inside the instruction',
      '',
      '    && apt-get install -y curl \\   ',
      '    && rm -rf /var/lib/apt/lists/*',
      'COPY . /src',
      '  indented text after a finished instruction',
    ));
    expectScope(t, '\\', 'constant.character.escape.line-continuation', { line: 1 });
    expectScope(t, '# a comment inside the instruction', 'comment.line.number-sign');
    expectScope(t, '# a comment inside the instruction', 'meta.instruction.run');
    expectScope(t, '&& apt-get install -y curl ', 'meta.embedded.line.shellscript');
    expectScope(t, '\\', 'constant.character.escape.line-continuation', { line: 4 });
    expectScope(t, '&& rm -rf /var/lib/apt/lists/*', 'meta.instruction.run');
    assertTopLevelInstruction(t, 5);
    expectNoScope(t, 'indented text after a finished instruction', 'meta.instruction');
  });

  test('continued ENV with a quoted value spanning lines, and continued exec form', async () => {
    const t = await tokenize('dockerfile', lines(
      'ENV A="one \\',
      'two" \\',
      '    B=3',
      'CMD ["a", \\',
      '     "b"]',
      'EXPOSE 80',
    ));
    expectScope(t, 'two"', 'string.quoted.double');
    expectScope(t, 'B', 'variable.other.env');
    expectScope(t, '"b"', 'meta.exec-form');
    expectScope(t, ']', 'punctuation.definition.array.end', { line: 5 });
    assertTopLevelInstruction(t, 5);
  });

  test('without the escape directive a trailing backtick does not continue', async () => {
    const t = await tokenize('dockerfile', lines('RUN echo `date`', 'USER app'));
    assertTopLevelInstruction(t, 1);
  });

  test('# escape=` on the first line: backtick continues, a trailing backslash is literal', async () => {
    const t = await tokenize('dockerfile', lines(
      '# escape=`',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'RUN powershell -Command `',
      '    Write-Host hello',
      'COPY app C:\\app\\',
      'WORKDIR C:\\app',
    ));
    expectScope(t, 'escape', 'keyword.other.directive');
    expectScope(t, '`', 'constant.character.escape', { line: 1 });
    expectScope(t, '`', 'constant.character.escape.line-continuation', { line: 3 });
    expectScope(t, 'Write-Host hello', 'meta.instruction.run');
    expectNoScope(t, 'C:\\app\\', 'constant.character.escape.line-continuation');
    assertTopLevelInstruction(t, 5);
    assert.ok(!hasScope(t.lineScopes(5), 'meta.instruction.copy'), t.describeLine(5));
  });
});
