// `.hadolint.yaml` honoured in full (keys, problems with ranges, lookup order, failure-threshold in the CLI),
// the `hadolintCompat` switch in `.hullcheck.yaml`, and pragmas that are malformed or name unknown rules.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emptyConfig, loadConfigFor, parseHullcheckConfig } from '../../server/src/config/hullcheckConfig';
import { parseHadolintConfig } from '../../server/src/config/hadolintConfig';
import { failLevelOf, userHadolintCandidates } from '../../server/src/config/hadolintConfig';
import { lintParsed, RULES_BY_ID } from '../../server/src/engine/linter';
import { nodeHost } from '../../server/src/core/fileHost';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { main } from '../../server/src/cli';

const known = new Set(RULES_BY_ID.keys());
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-hcfg-'));

describe('.hadolint.yaml keys', () => {
  it('reads every key hadolint documents', () => {
    const { hadolint, problems } = parseHadolintConfig('h', [
      'ignored: [DL3008, SC2086]', 'override:', '  error: [DL3015]', '  warning: [DL3009]', '  info: [DL3013]', '  style: [DL3059]',
      'trustedRegistries: [docker.io, my.reg:5000]', 'label-schema:', '  author: text', '  url: url', '  created: rfc3339',
      '  license: spdx', '  rev: hash', '  version: semver', '  contact: email', 'strict-labels: true',
      'failure-threshold: info', 'no-color: true', '',
    ].join('\n'));
    assert.deepEqual(problems, []);
    assert.deepEqual(hadolint.ignored, ['DL3008', 'SC2086']);
    assert.deepEqual(hadolint.override, { DL3015: 'error', DL3009: 'warning', DL3013: 'info', DL3059: 'hint' });
    assert.deepEqual(hadolint.trustedRegistries, ['docker.io', 'my.reg:5000']);
    assert.equal(Object.keys(hadolint.labelSchema).length, 7);
    assert.equal(hadolint.strictLabels, true);
    assert.equal(failLevelOf(hadolint), 'info');
  });

  it('maps failure-threshold and no-fail onto CLI fail levels', () => {
    const level = (y: string) => failLevelOf(parseHadolintConfig('h', y).hadolint);
    assert.equal(level('failure-threshold: style\n'), 'hint');
    assert.equal(level('failure-threshold: ignore\n'), 'none');
    assert.equal(level('failure-threshold: none\n'), 'none');
    assert.equal(level('failure-threshold: error\nno-fail: true\n'), 'none');
    assert.equal(level('ignored: []\n'), undefined);
  });

  it('reports each mistake with its range and keeps the rest', () => {
    const text = 'override:\n  fatal: [DL3008]\n  error: [DL3015, nonsense]\nlabel-schema:\n  owner: phone\nfailure-threshold: loud\nbogus: 1\nstrict-labels: maybe\n';
    const { hadolint, problems } = parseHadolintConfig('h', text);
    const at = (re: RegExp) => problems.find((p) => re.test(p.message));
    assert.deepEqual(at(/override\.fatal: unknown level/)!.range.start, { line: 1, character: 2 });
    assert.deepEqual(at(/`nonsense` is not a rule code/)!.range.start, { line: 2, character: 18 });
    assert.deepEqual(at(/label-schema\.owner: unknown type/)!.range.start, { line: 4, character: 9 });
    assert.deepEqual(at(/failure-threshold/)!.range.start, { line: 5, character: 19 });
    assert.equal(at(/Unknown .hadolint.yaml key `bogus`/)!.severity, 'warning');
    assert.ok(at(/strict-labels` must be true or false/));
    assert.deepEqual(hadolint.override, { DL3015: 'error' });
  });

  it('is found next to the project first, then in the user-level places hadolint searches', async () => {
    const home = tmp(), project = tmp();
    const env = { HOME: home, PATH: '' } as NodeJS.ProcessEnv;
    assert.deepEqual(userHadolintCandidates(env).map((f) => path.relative(home, f)), [
      '.config/hadolint.yaml', '.config/hadolint.yml', '.hadolint/hadolint.yaml', '.hadolint/hadolint.yml',
      '.hadolint/config.yaml', '.hadolint/config.yml', '.hadolint.yaml', '.hadolint.yml',
    ]);
    const file = path.join(project, 'Dockerfile');
    assert.equal((await loadConfigFor(nodeHost, file, known, undefined, env)).hadolint, undefined);
    fs.writeFileSync(path.join(home, '.hadolint.yaml'), 'ignored: [DL3001]\n');
    assert.deepEqual((await loadConfigFor(nodeHost, file, known, undefined, env)).hadolint?.ignored, ['DL3001']);
    fs.mkdirSync(path.join(home, '.config'));
    fs.writeFileSync(path.join(home, '.config', 'hadolint.yaml'), 'ignored: [DL3002]\n');
    assert.deepEqual((await loadConfigFor(nodeHost, file, known, undefined, env)).hadolint?.ignored, ['DL3002'], 'XDG comes before the home folder');
    const xdg = tmp();
    fs.writeFileSync(path.join(xdg, 'hadolint.yml'), 'ignored: [DL3004]\n');
    assert.deepEqual((await loadConfigFor(nodeHost, file, known, undefined, { ...env, XDG_CONFIG_HOME: xdg })).hadolint?.ignored, ['DL3004']);
    fs.writeFileSync(path.join(project, '.hadolint.yml'), 'ignored: [DL3003]\n');
    assert.deepEqual((await loadConfigFor(nodeHost, file, known, undefined, env)).hadolint?.ignored, ['DL3003'], 'the project wins');
    for (const d of [home, project, xdg]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('makes the CLI fail at the file\'s failure-threshold unless --fail-level says otherwise', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\nWORKDIR app\nUSER 10001\nHEALTHCHECK NONE\n');
    const run = (...args: string[]) => main(['lint', '--no-shellcheck', ...args, dir], { stdout: () => undefined, stderr: () => undefined }, async () => '');
    assert.equal(await run(), 1, 'warnings fail by default');
    fs.writeFileSync(path.join(dir, '.hadolint.yaml'), 'failure-threshold: error\n');
    assert.equal(await run(), 0);
    assert.equal(await run('--fail-level', 'warning'), 1);
    fs.writeFileSync(path.join(dir, '.hadolint.yaml'), 'override:\n  error: [DL3000]\nfailure-threshold: error\n');
    assert.equal(await run(), 1, 'DL3000 raised to error reaches the threshold');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('hadolintCompat switch', () => {
  it('is a boolean top-level key of .hullcheck.yaml', () => {
    assert.equal(parseHullcheckConfig('f', 'hadolintCompat: true\n', known).config.hadolintCompat, true);
    const bad = parseHullcheckConfig('f', 'hadolintCompat: yes please\n', known);
    assert.match(bad.problems[0].message, /hadolintCompat` must be true or false/);
    assert.deepEqual(bad.problems[0].range.start, { line: 0, character: 16 });
  });

  it('turns on each mapped rule\'s option, and a rule\'s own setting wins', () => {
    const text = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir \'flask>=2\'\nCMD ["flask"]\n';
    const run = (config: ReturnType<typeof emptyConfig>) => lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), { config, only: ['pip-version-range'] });
    assert.equal(run(emptyConfig()).length, 1);
    assert.equal(run({ ...emptyConfig(), hadolintCompat: true }).length, 0);
    assert.equal(run({ ...emptyConfig(), hadolintCompat: true, rules: { 'pip-version-range': { options: { hadolintCompat: false } } } }).length, 1);
  });
});

describe('pragma problems', () => {
  const problems = (text: string) => lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), { config: emptyConfig() })
    .filter((f) => f.rule === 'pragma-invalid').map((f) => `${f.range.start.line}:${f.severity}:${f.message}`);

  it('reports an empty list, a malformed name, an unknown code and a bad shell pragma', () => {
    assert.deepEqual(problems('FROM a\n# hadolint ignore=\nRUN x\n'), ['1:info:This hadolint ignore pragma names no rule; list the rules after `ignore=`, separated by commas.']);
    assert.match(problems('FROM a\n# hadolint ignore=crazy,DL3002\nUSER root\n')[0], /^1:info:`crazy` is not a rule code/);
    assert.match(problems('FROM a\n# hadolint ignore=DL9999\nRUN x\n')[0], /No rule answers to `DL9999`/);
    assert.match(problems('# hadolint shell=\nFROM a\n')[0], /shell pragma is not understood/);
    assert.deepEqual(problems('FROM a\n# hadolint ignore=DL3002 # because\n# hullcheck ignore=user-non-root,SC2086\nUSER root\n'), []);
  });

  it('does not apply a malformed pragma, and disable-ignore-pragma turns hadolint pragmas off', () => {
    const text = 'FROM a\n# hadolint ignore=crazy,DL3002\nUSER root\n';
    const ids = (t: string, disable = false) => lintParsed('dockerfile', 'Dockerfile', parseDockerfile(t), {
      config: emptyConfig(), only: ['user-non-root'], hadolint: disable ? parseHadolintConfig('h', 'disable-ignore-pragma: true\n').hadolint : undefined,
    }).map((f) => f.rule);
    assert.deepEqual(ids(text), ['user-non-root']);
    assert.deepEqual(ids('FROM a\n# hadolint ignore=DL3002\nUSER root\n'), []);
    assert.deepEqual(ids('FROM a\n# hadolint ignore=DL3002\nUSER root\n', true), ['user-non-root']);
  });
});
