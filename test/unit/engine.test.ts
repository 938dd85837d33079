// The engine around the rules: rule isolation, suppressions, config layering and hostile input.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { lintParsed, dockerfileFacts, effectiveSeverity, RULES_BY_ID } from '../../server/src/engine/linter';
import { emptyConfig, parseHullcheckConfig, loadConfigFor } from '../../server/src/config/hullcheckConfig';
import { parseHadolintConfig } from '../../server/src/config/hadolintConfig';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import type { DockerfileRule } from '../../server/src/rules/context';
import type { RuleMeta } from '../../server/src/core/ruleMeta';

function fakeRule(id: string, extra: Partial<Omit<RuleMeta, 'language'>>, check: DockerfileRule['check']): DockerfileRule {
  return {
    meta: { id, language: 'dockerfile', category: 'style', title: id, severity: 'warning', fix: 'none', docs: { rationale: '', invalid: '', valid: '' }, ...extra },
    check,
  };
}

/** A rule that flags every RUN instruction. */
const everyRun = (id: string, extra: Partial<Omit<RuleMeta, 'language'>> = {}) => fakeRule(id, extra, (ctx) => {
  for (const i of ctx.parsed.instructions) if (i.keyword === 'RUN') ctx.report({ range: i.range, message: `${id} here` });
});

const lintWith = (text: string, rules: DockerfileRule[], log?: (m: string) => void) =>
  lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), { config: emptyConfig(), rules, log });

describe('rule isolation', () => {
  it('turns a throwing rule into one internal-error finding and keeps the others', () => {
    const logs: string[] = [];
    const boom = fakeRule('boom', {}, () => { throw new Error('kaboom'); });
    const findings = lintWith('FROM alpine\nRUN true\n', [boom, everyRun('fine')], (m) => logs.push(m));
    assert.deepEqual(findings.map((f) => f.rule).sort(), ['fine', 'internal-error']);
    const internal = findings.find((f) => f.rule === 'internal-error')!;
    assert.match(internal.message, /boom: kaboom/);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /rule boom failed/);
  });
});

describe('suppressions', () => {
  // pragma-invalid is the registry rule that reports the pragmas the engine could not apply
  const rules = [everyRun('alpha', { hadolint: ['DL9999'] }), everyRun('beta', { buildkit: ['SomeCheck'] }), RULES_BY_ID.get('pragma-invalid') as DockerfileRule];
  const ids = (text: string) => lintWith(text, rules).map((f) => `${f.range.start.line}:${f.rule}`);

  it('ignores the next instruction for `# hullcheck ignore=`', () => {
    assert.deepEqual(ids('FROM a\n# hullcheck ignore=alpha\nRUN x \\\n  y\nRUN z\n'), ['2:beta', '4:alpha', '4:beta']);
  });
  it('skips comment lines between the pragma and the instruction', () => {
    assert.deepEqual(ids('FROM a\n# hullcheck ignore=alpha,beta\n# why: legacy\nRUN x\n'), []);
  });
  it('ignores in the whole file for `global ignore=`', () => {
    assert.deepEqual(ids('FROM a\nRUN x\n# hullcheck global ignore=beta\nRUN y\n'), ['1:alpha', '3:alpha']);
  });
  it('maps `# hadolint ignore=` through the rule\'s hadolint codes', () => {
    assert.deepEqual(ids('FROM a\n# hadolint ignore=DL9999\nRUN x\n'), ['2:beta']);
    assert.deepEqual(ids('# hadolint global ignore=DL9999\nFROM a\nRUN x\n'), ['2:beta']);
  });
  it('maps BuildKit `# check=skip=` to rules with that check, and skip=all to all of them', () => {
    assert.deepEqual(ids('# check=skip=SomeCheck\nFROM a\nRUN x\n'), ['2:alpha']);
    assert.deepEqual(ids('# check=skip=all\nFROM a\nRUN x\n'), ['2:alpha']);
    // as in BuildKit, a check comment among an instruction's comments applies to that instruction only
    assert.deepEqual(ids('FROM a\n# check=skip=SomeCheck\nRUN x\n'), ['2:alpha']);
    assert.deepEqual(ids('FROM a\n# check=skip=SomeCheck\nRUN x\nRUN y\n'), ['2:alpha', '3:alpha', '3:beta']);
    assert.deepEqual(ids('FROM a\n# check=skip=SomeCheck\n#\nRUN x\n'), ['3:alpha', '3:beta'], 'an empty # line starts the comments over');
  });
  it('ignores pragmas for other rules and malformed pragmas', () => {
    // an unknown name suppresses nothing and is itself reported (pragma-invalid, on the pragma's line)
    assert.deepEqual(ids('FROM a\n# hullcheck ignore=gamma\n# hullcheck ignore\nRUN x\n'), ['1:pragma-invalid', '3:alpha', '3:beta']);
  });
});

describe('configured severities', () => {
  const graded = fakeRule('graded', {}, (ctx) => {
    for (const i of ctx.parsed.instructions) if (i.keyword === 'RUN') ctx.report({ range: i.range, message: 'graded here', severity: 'info' });
  });
  it('a finding keeps the severity its rule graded it with when the rule is not configured', () => {
    assert.deepEqual(lintWith('FROM alpine\nRUN true\n', [graded]).map((f) => f.severity), ['info']);
  });
  it('a severity set for the rule in configuration wins over the grade of each finding', () => {
    const config = emptyConfig();
    config.rules.graded = { severity: 'error', options: {} };
    const findings = lintParsed('dockerfile', 'Dockerfile', parseDockerfile('FROM alpine\nRUN true\n'), { config, rules: [graded] });
    assert.deepEqual(findings.map((f) => f.severity), ['error']);
  });
  it('user-non-root on an unknown base is info unless configured, then as configured', () => {
    const text = 'FROM quay.io/jupyter/base-notebook:2024-01-01\nCMD ["start.sh"]\n';
    const rule = RULES_BY_ID.get('user-non-root') as DockerfileRule;
    const plain = lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), { config: emptyConfig(), rules: [rule] });
    assert.deepEqual(plain.map((f) => f.severity), ['info']);
    const config = emptyConfig();
    config.rules['user-non-root'] = { severity: 'warning', options: {} };
    const configured = lintParsed('dockerfile', 'Dockerfile', parseDockerfile(text), { config, rules: [rule] });
    assert.deepEqual(configured.map((f) => f.severity), ['warning']);
  });
});

describe('configuration', () => {
  const known = new Set(['alpha', 'beta']);
  it('reads severities and options, and reports typos and bad values with ranges', () => {
    const text = 'rules:\n  alpha: error\n  beta: { severity: hint, max: 3 }\n  gamma: off\nrequiredLabels: [a.b]\nbogus: 1\n';
    const { config, problems } = parseHullcheckConfig('/x/.hullcheck.yaml', text, known);
    assert.equal(config.rules.alpha.severity, 'error');
    assert.deepEqual(config.rules.beta, { severity: 'hint', options: { max: 3 } });
    assert.deepEqual(config.requiredLabels, ['a.b']);
    assert.deepEqual(problems.map((p) => [p.range.start.line, p.severity]), [[3, 'warning'], [5, 'warning']]);
    assert.match(problems[0].message, /Unknown rule `gamma`/);
  });
  it('rejects invalid severities and non-mapping documents without throwing', () => {
    assert.match(parseHullcheckConfig('f', 'rules:\n  alpha: loud\n', known).problems[0].message, /rules.alpha: expected one of/);
    assert.match(parseHullcheckConfig('f', '- a\n- b\n', known).problems[0].message, /must be a mapping/);
    assert.match(parseHullcheckConfig('f', 'rules: {\n', known).problems[0].message, /Invalid YAML/);
    assert.match(parseHullcheckConfig('f', '\u0000\u0001binary', known).problems[0].message, /Invalid YAML|must be a mapping/);
    assert.equal(parseHullcheckConfig('f', '', known).problems.length, 0);
  });
  it('maps .hadolint.yaml ignored and override onto rules with those codes', () => {
    const { hadolint } = parseHadolintConfig('h', 'ignored: [DL3015]\noverride:\n  error: [DL9999]\n  style: [DL8888]\n');
    const meta = RULES_BY_ID.get('apt-no-install-recommends')!.meta;
    assert.equal(effectiveSeverity(meta, emptyConfig(), hadolint), undefined);
    const fake = { ...meta, id: 'x', hadolint: ['DL9999'] };
    assert.equal(effectiveSeverity(fake, emptyConfig(), hadolint), 'error');
    assert.equal(effectiveSeverity({ ...fake, hadolint: ['DL8888'] }, emptyConfig(), hadolint), 'hint');
    // .hullcheck.yaml takes precedence where both speak
    const cfg = { ...emptyConfig(), rules: { 'apt-no-install-recommends': { severity: 'info' as const, options: {} } } };
    assert.equal(effectiveSeverity(meta, cfg, hadolint), 'info');
  });
  it('finds the nearest config upward and prefers an explicit one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-cfg-'));
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.hullcheck.yaml'), 'rules:\n  apt-no-install-recommends: error\n');
    fs.writeFileSync(path.join(dir, 'a', '.hullcheck.yml'), 'rules:\n  apt-no-install-recommends: info\n');
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'rules:\n  apt-no-install-recommends: hint\n');
    const known = new Set(RULES_BY_ID.keys());
    const near = await loadConfigFor(nodeHost, path.join(dir, 'a', 'b', 'Dockerfile'), known);
    assert.equal(near.config.rules['apt-no-install-recommends'].severity, 'info');
    const explicit = await loadConfigFor(nodeHost, path.join(dir, 'a', 'b', 'Dockerfile'), known, path.join(dir, 'other.yaml'));
    assert.equal(explicit.config.rules['apt-no-install-recommends'].severity, 'hint');
    const missing = await loadConfigFor(nodeHost, path.join(dir, 'Dockerfile'), known, path.join(dir, 'nope.yaml'));
    assert.match(missing.problems[0].message, /not found/);
  });
});

describe('build context facts', () => {
  it('prefers <Dockerfile>.dockerignore over the context .dockerignore', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-ctx-'));
    fs.writeFileSync(path.join(dir, '.dockerignore'), 'root\n');
    fs.writeFileSync(path.join(dir, 'api.Dockerfile.dockerignore'), 'specific\n');
    const specific = await dockerfileFacts(nodeHost, path.join(dir, 'api.Dockerfile'));
    assert.equal(specific.dockerignore?.text, 'specific\n');
    const plain = await dockerfileFacts(nodeHost, path.join(dir, 'Dockerfile'));
    assert.equal(plain.dockerignore?.text, 'root\n');
    const none = await dockerfileFacts(nodeHost, path.join(dir, 'sub', 'Dockerfile'));
    assert.equal(none.dockerignore, null);
  });
});

describe('hostile input', () => {
  const inputs: Record<string, string> = {
    'binary garbage': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    'empty file': '',
    'only comments': '# nothing\n# here\n',
    'CRLF line endings': 'FROM debian:bookworm\r\nRUN apt-get update && \\\r\n    apt-get install -y curl\r\nCMD ["sh"]\r\n',
    'a BOM': '\uFEFFFROM alpine:3.20\nRUN apk add curl\n',
    'escape directive with a backtick': '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host hi\nCOPY . C:\\app\n',
    'unterminated heredoc': 'FROM alpine\nRUN <<EOF\napk add curl\n',
    'unterminated continuation': 'FROM alpine\nRUN apk add curl \\\n',
    'unknown instructions': 'FROM alpine\nFROBNICATE now\nRUN echo hi\n',
    'instruction without arguments': 'FROM\nRUN\nCOPY\nHEALTHCHECK\nUSER\nLABEL\nENV\nARG\n',
    'nested quotes and substitutions': 'FROM alpine\nRUN echo "$(echo \'a" b\' `date`)" && x=${Y:-"z"} ; echo \'unterminated\n',
    'a 5 MB file': 'FROM debian:bookworm\n' + 'RUN apt-get install -y curl && echo "padding padding padding padding"\n'.repeat(70000),
  };
  for (const [name, text] of Object.entries(inputs)) {
    it(`lints ${name} without crashing or internal errors`, async () => {
      const r = await lintFile('/nonexistent-dir/Dockerfile', text, { host: nodeHost, enableAll: true });
      assert.equal(r.findings.filter((f) => f.rule === 'internal-error').length, 0, JSON.stringify(r.findings.filter((f) => f.rule === 'internal-error')));
      for (const f of r.findings) {
        assert.ok(f.range.start.line >= 0 && f.range.end.line >= f.range.start.line, `bad range from ${f.rule}`);
      }
    });
  }
  it('keeps linting after a syntax problem', async () => {
    const r = await lintFile('Dockerfile', 'FROM debian\nFROBNICATE\nRUN apt-get install -y curl\n', { host: nodeHost, enableAll: true });
    assert.ok(r.findings.some((f) => f.rule === 'apt-no-install-recommends' && f.range.start.line === 2));
  });
});
