// Dockerfile grammar: instructions, directives vs comments, suppression pragmas, flags, FROM parts,
// key=value instructions, variables, strings, exec form and EXPOSE ports.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectNoScope, expectScope, hasScope, lines, tokenize } from './tokenize';

test('instruction keywords are case-insensitive and ONBUILD wraps a nested instruction', async () => {
  const t = await tokenize('dockerfile', lines(
    'FROM alpine',
    'run echo hi',
    'Copy a b',
    'ONBUILD RUN make',
    'onbuild copy . /src',
    '  WORKDIR /app',
    'STOPSIGNAL SIGTERM',
    'MAINTAINER someone',
  ));
  for (const [kw, line] of [['FROM', 1], ['run', 2], ['Copy', 3], ['WORKDIR', 6], ['STOPSIGNAL', 7], ['MAINTAINER', 8]] as const) {
    expectScope(t, kw, 'keyword.other.instruction', { line });
  }
  expectScope(t, 'ONBUILD', 'keyword.other.instruction.onbuild');
  expectScope(t, 'RUN', 'keyword.other.instruction', { line: 4 });
  expectScope(t, 'RUN', 'meta.instruction.onbuild', { line: 4 });
  expectScope(t, 'make', 'meta.embedded.line.shellscript');
  expectScope(t, 'copy', 'keyword.other.instruction', { line: 5 });
  expectScope(t, 'SIGTERM', 'constant.language.signal');
  // a word that merely starts like an instruction is not one
  const u = await tokenize('dockerfile', 'RUNNER x');
  expectNoScope(u, 'RUNNER', 'keyword.other.instruction');
});

test('parser directives at the top are scoped apart from comments', async () => {
  const t = await tokenize('dockerfile', lines(
    '# syntax=docker/dockerfile:1.7',
    '#escape=\\',
    '# check=skip=JSONArgsRecommended,StageNameCasing;error=true',
    '# a plain comment',
    '# syntax=not/a/directive',
    'FROM scratch',
  ));
  for (const line of [1, 2, 3]) {
    expectScope(t, '#', 'punctuation.definition.directive', { line });
    expectNoScope(t, '#', 'comment', { line });
  }
  expectScope(t, 'syntax', 'keyword.other.directive', { line: 1 });
  expectScope(t, 'docker/dockerfile:1.7', 'string.unquoted.directive-value');
  expectScope(t, 'escape', 'keyword.other.directive');
  expectScope(t, '\\', 'constant.character.escape', { line: 2 });
  expectScope(t, 'check', 'keyword.other.directive');
  expectScope(t, 'skip', 'entity.other.attribute-name.check-option');
  expectScope(t, 'JSONArgsRecommended', 'constant.other.rule-id');
  expectScope(t, 'StageNameCasing', 'constant.other.rule-id');
  expectScope(t, ';', 'punctuation.separator.semicolon');
  expectScope(t, 'true', 'constant.language');
  // once a comment has been seen, directive syntax is only a comment
  expectScope(t, '# a plain comment', 'comment.line.number-sign');
  expectScope(t, '# syntax=not/a/directive', 'comment.line.number-sign');
  expectNoScope(t, 'syntax', 'keyword.other.directive', { line: 5 });
});

test('directives are only recognised on the leading lines', async () => {
  const t = await tokenize('dockerfile', lines('FROM scratch', '# syntax=docker/dockerfile:1', '# escape=`'));
  expectScope(t, '# syntax=docker/dockerfile:1', 'comment.line.number-sign');
  expectScope(t, '# escape=`', 'comment.line.number-sign');
  const blank = await tokenize('dockerfile', lines('', '# syntax=docker/dockerfile:1'));
  expectScope(blank, '# syntax=docker/dockerfile:1', 'comment.line.number-sign');
  // an unknown directive name ends the directive block (it is a comment)
  const unknown = await tokenize('dockerfile', lines('# foo=bar', '# syntax=docker/dockerfile:1'));
  expectScope(unknown, '# foo=bar', 'comment.line.number-sign');
  expectScope(unknown, '# syntax=docker/dockerfile:1', 'comment.line.number-sign');
});

test('suppression pragmas highlight the pragma keyword and the ids', async () => {
  const t = await tokenize('dockerfile', lines(
    'FROM debian',
    '# hullcheck ignore=apt-no-install-recommends,pin-apt-versions',
    '# hullcheck global ignore=latest-tag',
    '# hadolint ignore=DL3008',
    '#hadolint global ignore=DL3059, DL4006',
    '# hadolint shell=powershell',
    '# ignore=not-a-pragma',
  ));
  for (const line of [2, 3, 4, 5, 6]) {
    expectScope(t, line === 2 || line === 3 ? 'hullcheck' : 'hadolint', 'keyword.other.pragma', { line });
    assert.ok(hasScope(t.lineScopes(line - 1), 'comment.line.number-sign.pragma'), t.describeLine(line - 1));
  }
  expectScope(t, 'ignore', 'keyword.other.pragma.ignore', { line: 2 });
  expectScope(t, 'apt-no-install-recommends', 'constant.other.rule-id');
  expectScope(t, 'pin-apt-versions', 'constant.other.rule-id');
  expectScope(t, 'global', 'storage.modifier.pragma.global', { line: 3 });
  expectScope(t, 'latest-tag', 'constant.other.rule-id');
  expectScope(t, 'DL3008', 'constant.other.rule-id');
  expectScope(t, 'global', 'storage.modifier.pragma.global', { line: 5 });
  expectScope(t, 'DL3059', 'constant.other.rule-id');
  expectScope(t, 'DL4006', 'constant.other.rule-id');
  expectScope(t, ',', 'punctuation.separator.comma', { line: 5 });
  expectScope(t, 'shell', 'entity.other.attribute-name.pragma');
  expectScope(t, 'powershell', 'string.unquoted.pragma-value');
  expectNoScope(t, '# ignore=not-a-pragma', 'comment.line.number-sign.pragma');
  expectScope(t, '# ignore=not-a-pragma', 'comment.line.number-sign');
});

test('FROM: platform flag, image, registry port, tag, digest and stage name', async () => {
  const t = await tokenize('dockerfile', lines(
    'FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS builder',
    'FROM localhost:5000/team/app:${TAG:-latest} as Final',
    'FROM nginx@sha256:0123abcd',
    'FROM ${BASE_IMAGE}',
  ));
  expectScope(t, '--platform', 'variable.parameter.flag');
  expectScope(t, '$BUILDPLATFORM', 'variable.other');
  expectScope(t, 'golang', 'entity.name.type.image');
  expectScope(t, '1.22-alpine', 'entity.name.tag.image-tag');
  expectScope(t, 'AS', 'keyword.other.as', { line: 1 });
  expectScope(t, 'builder', 'entity.name.function.stage');
  expectScope(t, 'localhost:5000/team/app', 'entity.name.type.image');
  expectScope(t, 'TAG', 'variable.other', { line: 2 });
  expectScope(t, 'latest', 'string.unquoted.expansion');
  expectScope(t, 'as', 'keyword.other.as', { line: 2 });
  expectScope(t, 'Final', 'entity.name.function.stage');
  expectScope(t, 'nginx', 'entity.name.type.image');
  expectScope(t, '@', 'punctuation.separator.digest');
  expectScope(t, 'sha256:0123abcd', 'constant.other.digest');
  expectScope(t, 'BASE_IMAGE', 'variable.other');
  expectScope(t, '${BASE_IMAGE}', 'entity.name.type.image');
});

test('BuildKit flags: name, option key and value scopes', async () => {
  const t = await tokenize('dockerfile', lines(
    'RUN --mount=type=cache,target=/root/.cache,sharing=locked --network=none --security=insecure pip install -r r.txt',
    'COPY --link --from=builder --chmod=0755 --chown=app:app --parents --exclude=*.md --checksum=sha256:abc /a /b/',
    'ADD --checksum=sha256:24454f8 https://example.com/x.tgz /x/',
    'HEALTHCHECK --interval=30s --timeout=1m30s --start-period=5s --retries=3 CMD curl -f http://localhost/ || exit 1',
    'RUN apt-get install --no-install-recommends -y curl',
  ));
  expectScope(t, '--mount', 'variable.parameter.flag');
  expectScope(t, '--', 'punctuation.definition.flag', { line: 1 });
  expectScope(t, 'type', 'entity.other.attribute-name.flag-option');
  expectScope(t, 'cache', 'constant.language.flag-value', { line: 1 });
  expectScope(t, 'target', 'entity.other.attribute-name.flag-option');
  expectScope(t, '/root/.cache', 'string.unquoted.flag-value');
  expectScope(t, 'locked', 'constant.language.flag-value');
  expectScope(t, ',', 'punctuation.separator.comma', { line: 1 });
  expectScope(t, '--network', 'variable.parameter.flag');
  expectScope(t, 'none', 'constant.language.flag-value');
  expectScope(t, '--security', 'variable.parameter.flag');
  expectScope(t, 'insecure', 'constant.language.flag-value');
  expectScope(t, 'pip install -r r.txt', 'meta.embedded.line.shellscript');
  expectScope(t, '--link', 'variable.parameter.flag');
  expectScope(t, '--from', 'variable.parameter.flag');
  expectScope(t, 'builder', 'entity.name.function.stage');
  expectScope(t, '--chmod', 'variable.parameter.flag');
  expectScope(t, '0755', 'constant.numeric');
  expectScope(t, '--chown', 'variable.parameter.flag');
  expectScope(t, 'app:app', 'string.unquoted.flag-value');
  expectScope(t, '--parents', 'variable.parameter.flag');
  expectScope(t, '--exclude', 'variable.parameter.flag');
  expectScope(t, '*.md', 'string.unquoted.flag-value');
  expectScope(t, '--checksum', 'variable.parameter.flag', { line: 3 });
  expectScope(t, '--interval', 'variable.parameter.flag');
  expectScope(t, '30s', 'constant.numeric.duration');
  expectScope(t, '1m30s', 'constant.numeric.duration');
  expectScope(t, '3', 'constant.numeric', { line: 4, nth: 0 });
  expectScope(t, 'CMD', 'keyword.other.instruction', { line: 4 });
  expectScope(t, 'curl -f http://localhost/ || exit 1', 'meta.embedded.line.shellscript');
  // options of the program run by RUN are shell text, not BuildKit flags
  expectNoScope(t, '--no-install-recommends', 'variable.parameter.flag');
  expectScope(t, '--no-install-recommends', 'meta.embedded.line.shellscript');
});

test('ARG, ENV and LABEL key=value pairs, legacy ENV, strings and variables', async () => {
  const t = await tokenize('dockerfile', lines(
    'ARG VERSION=1.2.3',
    'ARG TARGETARCH',
    'ENV PATH=/opt/bin:$PATH LANG="C.UTF-8" EMPTY= QUOTED=\'no $expansion\'',
    'ENV LEGACY_KEY some value here',
    'LABEL org.opencontainers.image.source="https://x" "quoted.key"=v',
    'ENV A=${B:-fallback} C=\\$literal',
  ));
  expectScope(t, 'VERSION', 'variable.other.arg');
  expectScope(t, '=', 'keyword.operator.assignment', { line: 1 });
  expectScope(t, '1.2.3', 'string.unquoted.value');
  expectScope(t, 'TARGETARCH', 'variable.other.arg');
  expectScope(t, 'PATH', 'variable.other.env', { line: 3 });
  expectScope(t, '/opt/bin:', 'string.unquoted.value');
  expectScope(t, '$PATH', 'variable.other');
  expectScope(t, 'LANG', 'variable.other.env');
  expectScope(t, '"C.UTF-8"', 'string.quoted.double');
  expectScope(t, 'EMPTY', 'variable.other.env');
  expectScope(t, "'no $expansion'", 'string.quoted.single');
  expectNoScope(t, '$expansion', 'variable.other');
  expectScope(t, 'LEGACY_KEY', 'variable.other.env');
  expectScope(t, 'some value here', 'string.unquoted.value');
  expectScope(t, 'org.opencontainers.image.source', 'entity.other.attribute-name.label');
  expectScope(t, '"https://x"', 'string.quoted.double');
  expectScope(t, '"quoted.key"', 'entity.other.attribute-name.label');
  expectScope(t, '${', 'punctuation.definition.variable.begin', { line: 6 });
  expectScope(t, 'B', 'variable.other', { line: 6 });
  expectScope(t, ':-', 'keyword.operator.expansion');
  expectScope(t, 'fallback', 'string.unquoted.expansion');
  expectScope(t, '}', 'punctuation.definition.variable.end', { line: 6 });
  expectScope(t, '\\$', 'constant.character.escape', { line: 6 });
  expectNoScope(t, 'literal', 'variable.other');
});

test('JSON exec form versus shell form', async () => {
  const t = await tokenize('dockerfile', lines(
    'CMD ["node", "server.js", "--port=\\"80\\""]',
    'ENTRYPOINT []',
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    'RUN [ -f /etc/os-release ] && echo ok',
    'VOLUME ["/data"]',
    'COPY ["a b.txt", "/dst/"]',
  ));
  expectScope(t, '[', 'punctuation.definition.array.begin', { line: 1 });
  expectScope(t, '"node"', 'string.quoted.double');
  expectScope(t, ',', 'punctuation.separator.array', { line: 1 });
  expectScope(t, '\\"', 'constant.character.escape', { line: 1 });
  expectScope(t, ']', 'punctuation.definition.array.end', { line: 1, nth: 0 });
  expectScope(t, '[]', 'meta.exec-form', { line: 2 });
  expectScope(t, '"pipefail"', 'string.quoted.double');
  // `[ -f x ]` is the test command, not JSON
  expectNoScope(t, '[ -f', 'meta.exec-form');
  expectScope(t, '[ -f /etc/os-release ] && echo ok', 'meta.embedded.line.shellscript');
  expectScope(t, '"/data"', 'string.quoted.double');
  expectScope(t, '"a b.txt"', 'meta.exec-form');
});

test('EXPOSE ports, ranges and protocols', async () => {
  const t = await tokenize('dockerfile', 'EXPOSE 80 443/tcp 53/udp 8000-8010/tcp ${PORT}/sctp');
  expectScope(t, '80', 'constant.numeric.port', { line: 1, nth: 0 });
  expectScope(t, '443', 'constant.numeric.port');
  expectScope(t, 'tcp', 'constant.language.protocol', { line: 1, nth: 0 });
  expectScope(t, '/', 'punctuation.separator.protocol', { line: 1, nth: 0 });
  expectScope(t, 'udp', 'constant.language.protocol');
  expectScope(t, '8000', 'constant.numeric.port');
  expectScope(t, '-', 'punctuation.separator.range');
  expectScope(t, '8010', 'constant.numeric.port');
  expectScope(t, 'PORT', 'variable.other');
  expectScope(t, 'sctp', 'constant.language.protocol');
});

test('comments are whole lines; # inside arguments is not a comment', async () => {
  const t = await tokenize('dockerfile', lines('# top', '  # indented', 'RUN echo "#not" # nor this', 'ENV A=b#c'));
  expectScope(t, '# top', 'comment.line.number-sign');
  expectScope(t, '#', 'punctuation.definition.comment', { line: 1 });
  expectScope(t, '# indented', 'comment.line.number-sign');
  expectNoScope(t, '# nor this', 'comment.line.number-sign.dockerfile');
  expectNoScope(t, 'b#c', 'comment');
  expectScope(t, 'b#c', 'string.unquoted.value');
});
