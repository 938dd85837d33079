// ShellCheck integration: where SC findings land inside a RUN (continuations, heredocs, CRLF), how scripts are
// prepared (shell, declared names), the runner's cache, batching, cancellation, timeouts and broken binaries,
// a missing binary, and pragmas/config that silence SC codes. Tests that need the real binary skip without it.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { emptyConfig } from '../../server/src/config/hullcheckConfig';
import { parseHadolintConfig } from '../../server/src/config/hadolintConfig';
import { ShellcheckRunner } from '../../server/src/shellcheck/shellcheck';
import { rangeOf, shellcheckFindings, shellcheckSeverity } from '../../server/src/shellcheck/shellcheckLint';
import { dialectOf, shellScripts } from '../../server/src/shellcheck/shellScripts';
import type { Finding } from '../../server/src/core/findings';
import type { ResolvedConfig } from '../../server/src/config/resolvedConfig';
import { FIXTURES } from '../helpers';

const FAKES = path.join(FIXTURES, 'shellcheck');
const real = new ShellcheckRunner({ log: () => undefined });
const haveReal = (async () => !!(await real.binary()))();
after(() => real.dispose());

/** The document text a finding covers. */
function covered(text: string, f: Pick<Finding, 'range'>): string {
  const lines = text.split('\n');
  const { start, end } = f.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

async function sc(text: string, runner = real, config: ResolvedConfig = emptyConfig(), hadolintYaml?: string): Promise<Finding[]> {
  const hadolint = hadolintYaml ? parseHadolintConfig('h', hadolintYaml).hadolint : undefined;
  return shellcheckFindings(parseDockerfile(text), { runner, config, hadolint });
}

describe('script preparation', () => {
  it('takes the shell from SHELL (inherited through FROM <stage>) and the pragma, and skips non-POSIX shells', () => {
    const text = 'FROM a AS base\nSHELL ["/bin/bash", "-c"]\nRUN one\nFROM base\nRUN two\nFROM b\nRUN three\n' +
      '# hadolint shell=pwsh\nRUN four\nSHELL ["/bin/sh", "-c"]\nRUN five\n';
    const p = parseDockerfile(text);
    const scripts = shellScripts(p);
    assert.deepEqual(scripts.map((s) => [s.mapped.text, s.shell]), [['one', '/bin/bash'], ['two', '/bin/bash'], ['three', '/bin/sh'], ['five', '/bin/sh']]);
    assert.equal(dialectOf('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'), undefined);
    assert.equal(dialectOf('cmd.exe'), undefined);
    assert.equal(dialectOf('/usr/bin/env bash'), 'bash');
  });

  it('declares the ARGs and ENVs of the stage and its FROM <stage> chain and the proxy variables; ARGs do not reach ONBUILD', () => {
    const p = parseDockerfile('ARG GLOBAL\nFROM a AS base\nENV FROM_BASE=1\nARG base_arg\nFROM base\nARG mine=1\nENV e1=1 e2=2\nRUN x\nONBUILD RUN y\n');
    const [run, onbuild] = shellScripts(p);
    // a stage built FROM another inherits its ARGs as BuildKit does; a global ARG needs re-declaring
    for (const n of ['FROM_BASE', 'base_arg', 'mine', 'e1', 'e2', 'HTTP_PROXY', 'no_proxy', 'ALL_PROXY']) assert.ok(run.names.includes(n), n);
    for (const n of ['GLOBAL']) assert.ok(!run.names.includes(n), n);
    assert.ok(!onbuild.names.includes('mine') && onbuild.names.includes('e1'));
    assert.ok(run.input.startsWith('#!/bin/sh\nexport ALL_PROXY=1\nexport FROM_BASE=1\nexport FTP_PROXY=1\n'), run.input);
    assert.equal(run.input.split('\n').length - 1, run.prefixLines);
  });

  it('uses a heredoc body as the script, with its own shebang, and checks `cmd <<EOF` whole', () => {
    const p = parseDockerfile('FROM a\nRUN <<EOF\n#!/bin/bash\necho $RANDOM\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nRUN cat <<EOF > /f\nhello\nEOF\n');
    const scripts = shellScripts(p);
    assert.equal(scripts.length, 2, 'the python heredoc is skipped');
    assert.equal(scripts[0].shell, '/bin/bash');
    assert.equal(scripts[0].mapped.text, '#!/bin/bash\necho $RANDOM\n');
    assert.match(scripts[0].input, /\n {11}\necho \$RANDOM\n$/, 'the body shebang is blanked in place');
    assert.equal(scripts[1].mapped.text, 'cat <<EOF > /f\nhello\nEOF');
  });

  it('takes the shell named on the heredoc line (`RUN <<EOF bash`, `RUN bash <<EOF`) as the interpreter of the body', () => {
    const p = parseDockerfile('FROM a\nRUN <<EOF bash\necho $RANDOM\nEOF\nRUN /bin/bash -e <<EOF\nset -o pipefail\nEOF\nRUN <<EOF python3\nprint(1)\nEOF\n');
    const scripts = shellScripts(p);
    assert.deepEqual(scripts.map((s) => [s.shell, s.mapped.text]), [
      ['/bin/bash', 'echo $RANDOM\n'],
      ['/bin/bash', 'set -o pipefail\n'],
      ['/bin/sh', '<<EOF python3\nprint(1)\nEOF'],
    ]);
  });
});

describe('positions of SC findings', () => {
  // synthetic comments: the mapping alone, no binary needed
  const at = (text: string, line: number, column: number, endColumn: number, endLine = line) => {
    const p = parseDockerfile(text);
    const [s] = shellScripts(p);
    const r = rangeOf(p, s, { line: line + s.prefixLines, column, endLine: endLine + s.prefixLines, endColumn })!;
    return covered(text, { range: r });
  };

  it('maps through continuations and comment lines inside them', () => {
    const text = 'FROM a\nRUN echo one \\\n  # a comment\n    && echo $two \\\n    && cd /x\n';
    // the joined script: "echo one     && echo $two     && cd /x"
    const script = shellScripts(parseDockerfile(text))[0].mapped.text;
    const col = script.indexOf('$two') + 1;
    assert.equal(at(text, 1, col, col + 4), '$two');
    const cd = script.indexOf('cd /x') + 1;
    assert.equal(at(text, 1, cd, cd + 5), 'cd /x');
  });

  it('maps heredoc lines and CRLF files', () => {
    const text = 'FROM a\r\nRUN <<EOF\r\nset -e\r\necho $x\r\nEOF\r\n';
    const p = parseDockerfile(text);
    const [s] = shellScripts(p);
    const r = rangeOf(p, s, { line: 2 + s.prefixLines, column: 6, endLine: 2 + s.prefixLines, endColumn: 8 })!;
    assert.deepEqual(r, { start: { line: 3, character: 5 }, end: { line: 3, character: 7 } });
  });

  it('counts columns in code points and drops comments on the declaration lines', () => {
    const text = 'FROM a\nRUN echo "😀" $y\n';
    const script = shellScripts(parseDockerfile(text))[0].mapped.text;
    const col = [...script].indexOf('$') + 1;
    assert.equal(at(text, 1, col, col + 2), '$y');
    const p = parseDockerfile(text);
    const [s] = shellScripts(p);
    assert.equal(rangeOf(p, s, { line: 1, column: 1, endLine: 1, endColumn: 2 }), undefined);
  });

  it('reports real ShellCheck findings at their exact places', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    const text = 'FROM debian\r\nRUN echo ok && \\\r\n    echo $bar \\\r\n  # note\r\n  && cd /x\r\nRUN <<EOF\r\necho $baz\r\nEOF\r\n';
    const found = await sc(text);
    const lf = text.replace(/\r/g, '');
    assert.deepEqual(found.map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.character} ${covered(lf, f)}`), [
      'SC2086@2:9 $bar', 'SC2154@2:9 $bar', 'SC2164@4:5 cd /x', 'SC2086@6:5 $baz', 'SC2154@6:5 $baz',
    ]);
    assert.equal(found.find((f) => f.rule === 'SC2086')!.severity, 'info');
    assert.equal(found.find((f) => f.rule === 'SC2154')!.severity, 'warning');
  });
});

describe('severities under the presets', () => {
  const cfg = (name?: 'recommended' | 'strict' | 'hadolint') => ({ ...emptyConfig(), ...(name ? { preset: { name } } : {}) }) as ResolvedConfig;

  it('ShellCheck errors are warnings except in the hadolint preset; splitting and declare-assign codes are info in recommended', () => {
    assert.equal(shellcheckSeverity('SC1105', 'error', cfg()), 'info');
    assert.equal(shellcheckSeverity('SC1105', 'error', cfg('strict')), 'warning');
    assert.equal(shellcheckSeverity('SC1105', 'error', cfg('hadolint')), 'error');
    assert.equal(shellcheckSeverity('SC1009', 'error', cfg()), 'warning');
    for (const code of ['SC2046', 'SC2155', 'SC2164']) {
      assert.equal(shellcheckSeverity(code, 'warning', cfg('recommended')), 'info', code);
      assert.equal(shellcheckSeverity(code, 'warning', cfg('strict')), 'warning', code);
      assert.equal(shellcheckSeverity(code, 'warning', cfg('hadolint')), 'warning', code);
    }
    assert.equal(shellcheckSeverity('SC2154', 'warning', cfg()), 'warning');
    assert.equal(shellcheckSeverity('SC2086', 'info', cfg()), 'info');
    assert.equal(shellcheckSeverity('SC2250', 'style', cfg()), 'hint');
  });

  it('a real parse error and $(nproc) splitting come out as a warning and info', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    const found = await sc('FROM debian\nRUN ((cat /a) && echo x)\nRUN make -j $(nproc)\n');
    const sev = (rule: string) => found.find((f) => f.rule === rule)?.severity;
    assert.ok(found.every((f) => f.severity !== 'error'), JSON.stringify(found.map((f) => [f.rule, f.severity])));
    assert.equal(sev('SC2046'), 'info');
  });
});

describe('the shell of a RUN on a base whose /bin/sh is bash', () => {
  const shells = (text: string, compat = false) => shellScripts(parseDockerfile(text), { compat }).map((s) => s.shell);

  it('is bash on the RHEL family, Amazon Linux and openSUSE, through stage chains and variable stage names', () => {
    for (const base of ['rockylinux:9', 'almalinux:8', 'fedora:41', 'quay.io/centos/centos:stream9', 'registry.access.redhat.com/ubi9/ubi-minimal',
      'amazonlinux:2023', 'opensuse/leap:15.6', 'rocm/dev-almalinux-8:7.2.1-complete', 'nvidia/cuda:12.4.1-devel-ubi9', 'nvidia/cuda:12.8.0-devel-rockylinux9']) {
      assert.deepEqual(shells(`FROM ${base}\nRUN echo {a,b}\n`), ['/bin/bash'], base);
    }
    assert.deepEqual(shells('FROM rockylinux:9 AS base\nFROM base\nRUN x\n'), ['/bin/bash']);
    const variable = 'ARG TARGETARCH\nARG V=7\nFROM rocm/dev-almalinux-8:${V}-complete AS base-amd64\nFROM rockylinux:8 AS base-arm64\nFROM base-${TARGETARCH} AS base\nRUN x\n';
    assert.deepEqual(shells(variable), ['/bin/bash']);
  });

  it('stays sh on Debian, Alpine and unknown bases, when one candidate stage is not bash, under SHELL, and in hadolint compatibility', () => {
    for (const base of ['debian:12', 'alpine:3.20', 'python:3.12', 'example/app:1', 'ubuntu:24.04']) {
      assert.deepEqual(shells(`FROM ${base}\nRUN x\n`), ['/bin/sh'], base);
    }
    assert.deepEqual(shells('ARG A\nFROM almalinux:8 AS b-1\nFROM debian:12 AS b-2\nFROM b-${A}\nRUN x\n'), ['/bin/sh']);
    assert.deepEqual(shells('FROM rockylinux:9\nSHELL ["/bin/sh", "-c"]\nRUN x\n'), ['/bin/sh']);
    assert.deepEqual(shells('FROM rockylinux:9\nRUN x\n', true), ['/bin/sh']);
  });

  it('lets ShellCheck accept bash expansions there', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    const rules = async (base: string) => (await sc(`FROM ${base}\nRUN V=1.2; echo "\${V//./-}" {a,b}\n`)).map((f) => f.rule);
    assert.deepEqual(await rules('rockylinux:9'), []);
    assert.ok((await rules('debian:12')).includes('SC3060'));
  });
});

describe('a POSIX-undefined feature the stage\'s shell supports', () => {
  it('notes `^` in a bracket glob on Alpine and BusyBox (ash accepts it) and warns on Debian (dash does not)', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    const sc3026 = async (base: string, config?: ResolvedConfig) => (await sc(`FROM ${base}\nRUN rm -rf .[^.]*\n`, real, config)).filter((f) => f.rule === 'SC3026');
    for (const base of ['alpine:3.20', 'python:3-alpine', 'busybox:1.36']) {
      const [f] = await sc3026(base);
      assert.equal(f?.severity, 'info', base);
      assert.match(f!.message, /BusyBox ash, this stage's \/bin\/sh, accepts it\.$/);
    }
    assert.equal((await sc3026('debian:12'))[0]?.severity, 'warning');
    assert.equal((await sc3026('alpine:3.20', { ...emptyConfig(), preset: { name: 'hadolint' } } as ResolvedConfig))[0]?.severity, 'warning');
  });
});

describe('runner', () => {
  const picky = path.join(FAKES, 'picky');

  it('caches by script: a second run spawns nothing; several RUNs share one process', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    const r = new ShellcheckRunner({ log: () => undefined });
    t.after(() => r.dispose());
    const text = 'FROM a\nRUN echo $a1\nRUN echo $a2\nRUN echo $a3\n';
    const first = await sc(text, r);
    assert.equal(r.spawns, 1, 'three scripts, one process');
    assert.equal(first.filter((f) => f.rule === 'SC2154').length, 3);
    const again = await sc(text, r);
    assert.equal(r.spawns, 1, 'the cache answered');
    assert.deepEqual(again, first);
    // the same script elsewhere in another file is a cache hit too, mapped to its new place
    const moved = await sc('FROM a\n\n\nRUN echo $a1\n', r);
    assert.equal(r.spawns, 1);
    assert.equal(moved[0].range.start.line, 3);
  });

  it('a crash or garbage output loses only the scripts it happened on', async (t) => {
    const logs: string[] = [];
    const r = new ShellcheckRunner({ binary: picky, log: (m) => logs.push(m) });
    t.after(() => r.dispose());
    const res = await r.check(['#!/bin/sh\necho fine\n', '#!/bin/sh\necho CRASH\n', '#!/bin/sh\necho also fine\n']);
    assert.deepEqual(res, [[], undefined, []]);
    assert.equal(r.spawns, 4, 'the batch failed, then each script ran alone');
    assert.equal(logs.length, 2);
    for (const fake of ['crash', 'garbage']) {
      const l: string[] = [];
      const broken = new ShellcheckRunner({ binary: path.join(FAKES, fake), log: (m) => l.push(m) });
      assert.deepEqual(await sc('FROM a\nRUN echo $x\n', broken), []);
      assert.match(l.join('\n'), fake === 'crash' ? /exit code 3/ : /unreadable output/);
    }
    // failures are not cached: a later run tries again
    await r.check(['#!/bin/sh\necho CRASH\n']);
    assert.equal(r.spawns, 5);
  });

  it('times out one process at the limit', async (t) => {
    const logs: string[] = [];
    const r = new ShellcheckRunner({ binary: path.join(FAKES, 'slow'), timeoutMs: 300, log: (m) => logs.push(m) });
    t.after(() => r.dispose());
    const t0 = Date.now();
    assert.deepEqual(await r.check(['#!/bin/sh\necho a\n']), [undefined]);
    assert.ok(Date.now() - t0 < 5000);
    assert.match(logs.join('\n'), /timed out after 300 ms/);
  });

  it('cancels: an abort kills the process and rejects at once', async (t) => {
    const r = new ShellcheckRunner({ binary: path.join(FAKES, 'slow'), timeoutMs: 60000, log: () => undefined });
    t.after(() => r.dispose());
    const ac = new AbortController();
    const t0 = Date.now();
    const p = r.check(['#!/bin/sh\necho a\n', '#!/bin/sh\necho b\n'], ac.signal);
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(p, /aborted/);
    assert.ok(Date.now() - t0 < 5000, 'did not wait for the process');
    assert.equal(r.spawns, 1, 'no fallback run after an abort');
  });

  it('without a binary: no findings and exactly one log line', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-nopath-'));
    const logs: string[] = [];
    const r = new ShellcheckRunner({ env: { PATH: empty }, log: (m) => logs.push(m) });
    assert.deepEqual(await sc('FROM a\nRUN echo $x\n', r), []);
    assert.deepEqual(await sc('FROM a\nRUN echo $y\n', r), []);
    assert.equal(r.spawns, 0);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /not found on PATH/);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

describe('pragmas and configuration', () => {
  const run = 'RUN echo $x\n';
  it('honours hadolint and hullcheck ignore pragmas (per instruction and global)', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    const codes = async (text: string) => (await sc(text)).map((f) => `${f.range.start.line}:${f.rule}`);
    assert.deepEqual(await codes(`FROM a\n${run}`), ['1:SC2086', '1:SC2154']);
    assert.deepEqual(await codes(`FROM a\n# hadolint ignore=SC2086\n${run}${run}`), ['2:SC2154', '3:SC2086', '3:SC2154']);
    assert.deepEqual(await codes(`FROM a\n# hullcheck ignore=SC2086,SC2154\n${run}`), []);
    assert.deepEqual(await codes(`# hadolint global ignore=SC2154\nFROM a\n${run}`), ['2:SC2086']);
    // a malformed pragma suppresses nothing
    assert.deepEqual(await codes(`FROM a\n# hadolint ignore=SC2086,bogus\n${run}`), ['2:SC2086', '2:SC2154']);
  });

  it('honours .hadolint.yaml ignored and override, and the .hullcheck.yaml shellcheck section', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    const text = `FROM a\n${run}`;
    assert.deepEqual((await sc(text, real, emptyConfig(), 'ignored: [SC2154]\n')).map((f) => f.rule), ['SC2086']);
    const over = await sc(text, real, emptyConfig(), 'override:\n  error: [SC2086]\n');
    assert.equal(over.find((f) => f.rule === 'SC2086')!.severity, 'error');
    const cfg = (section: unknown) => ({ ...emptyConfig(), shellcheck: section }) as ResolvedConfig;
    assert.deepEqual((await sc(text, real, cfg({ exclude: ['SC2086', 2154] }))).map((f) => f.rule), ['SC2154'], 'numbers are not codes');
    assert.deepEqual((await sc(text, real, cfg({ exclude: ['2154'] }))).map((f) => f.rule), ['SC2086']);
    assert.deepEqual(await sc(text, real, cfg({ enable: false })), []);
  });

  it('skips RUNs under a PowerShell or cmd shell, from SHELL or the shell pragma', async (t) => {
    if (!(await haveReal)) { t.skip('shellcheck is not on PATH'); return; }
    assert.deepEqual(await sc(`# hadolint shell=powershell\nFROM a\nRUN Get-Item $env:x | Out-Null\n`), []);
    assert.deepEqual(await sc(`FROM a\nSHELL ["cmd.exe", "/c"]\nRUN echo %x% $y\n`), []);
  });
});
