// Baselines: fingerprints survive edits elsewhere in the file, `lint --baseline` reports only new findings and the
// entries that are fixed, `hullcheck baseline` writes the file atomically and never grows an existing one.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../server/src/cli';
import { tempTree } from '../helpers';
import { BASELINE_FILE, BaselineMatcher, baselineEntries, parseBaseline, renderBaseline } from '../../server/src/core/findingBaseline';
import type { Finding } from '../../server/src/core/findings';
import { RULES_BY_ID } from '../../server/src/engine/linter';

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => '');
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}


const at = (line: number, rule: string): Finding => ({
  rule, severity: 'warning', message: rule, fixes: [], range: { start: { line, character: 0 }, end: { line, character: 5 } },
});

const DOCKERFILE = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nCMD ["sleep", "1"]\n';

describe('baseline fingerprints', () => {
  it('survive lines inserted above and keep two equal instructions apart', () => {
    const text = 'FROM a\nRUN x\nRUN x\n';
    const before = baselineEntries('/p', '/p/Dockerfile', text, 'dockerfile', [at(1, 'r'), at(2, 'r')]);
    const moved = 'FROM a\n# a comment\nENV A=1\n\nRUN x\nRUN x\n';
    const after = baselineEntries('/p', '/p/Dockerfile', moved, 'dockerfile', [at(4, 'r'), at(5, 'r')]);
    assert.deepEqual(after.map((e) => e.fingerprint), before.map((e) => e.fingerprint));
    assert.notEqual(before[0].fingerprint, before[1].fingerprint);
    assert.equal(before[0].file, 'Dockerfile');
  });

  it('change when the instruction itself changes, or the rule or file differs', () => {
    const base = baselineEntries('/p', '/p/Dockerfile', 'FROM a\nRUN x\n', 'dockerfile', [at(1, 'r')])[0];
    assert.notEqual(baselineEntries('/p', '/p/Dockerfile', 'FROM a\nRUN y\n', 'dockerfile', [at(1, 'r')])[0].fingerprint, base.fingerprint);
    assert.notEqual(baselineEntries('/p', '/p/Dockerfile', 'FROM a\nRUN x\n', 'dockerfile', [at(1, 's')])[0].fingerprint, base.fingerprint);
    assert.notEqual(baselineEntries('/p', '/p/b/Dockerfile', 'FROM a\nRUN x\n', 'dockerfile', [at(1, 'r')])[0].fingerprint, base.fingerprint);
  });

  it('match each entry once and report the ones left in linted or deleted files as fixed', () => {
    const entries = [
      ...baselineEntries('/p', '/p/Dockerfile', 'FROM a\nRUN x\nRUN y\n', 'dockerfile', [at(1, 'r'), at(2, 'r')]),
      ...baselineEntries('/p', '/p/gone/Dockerfile', 'FROM a\n', 'dockerfile', [at(0, 'r')]),
      ...baselineEntries('/p', '/p/other/Dockerfile', 'FROM a\n', 'dockerfile', [at(0, 'r')]),
    ];
    const parsed = parseBaseline(renderBaseline(entries));
    assert.ok(typeof parsed !== 'string');
    const m = new BaselineMatcher(parsed, '/p');
    // RUN y was fixed; RUN x now appears twice, only one of which the baseline holds
    assert.deepEqual(m.match('/p/Dockerfile', 'FROM a\nRUN x\nRUN x\n', 'dockerfile', [at(1, 'r'), at(2, 'r')]), [true, false]);
    const fixed = m.fixed((rel) => rel !== 'gone/Dockerfile');
    assert.deepEqual(fixed.map((e) => e.file).sort(), ['Dockerfile', 'gone/Dockerfile']);
  });

  it('refuses malformed baselines with a reason', () => {
    assert.match(String(parseBaseline('{')), /not valid JSON/);
    assert.match(String(parseBaseline('[]')), /JSON object/);
    assert.match(String(parseBaseline('{"findings":[{"rule":1}]}')), /entry 1/);
    assert.match(String(parseBaseline('{"fingerprints":"other/v9","findings":[]}')), /--reset/);
  });
});

describe('hullcheck baseline and lint --baseline', () => {
  it('accepts today\'s findings, reports new ones and fixed entries, and only ever shrinks', async () => {
    const dir = tempTree({ 'svc/Dockerfile': DOCKERFILE });
    const w = await run(['baseline', '--no-shellcheck'], dir);
    assert.equal(w.code, 0, w.stderr);
    const file = path.join(dir, BASELINE_FILE);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: { file: string; rule: string }[] };
    assert.ok(written.findings.some((e) => e.file === 'svc/Dockerfile' && e.rule === 'apt-no-install-recommends'));
    assert.ok(!fs.readdirSync(dir).some((f) => f.includes('.tmp')), 'no temporary file is left behind');

    const clean = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    assert.equal(clean.code, 0, clean.stdout);
    assert.deepEqual(JSON.parse(clean.stdout).findings, []);

    // lines inserted above keep the accepted findings; a new problem is reported; a removed one is fixed
    fs.writeFileSync(path.join(dir, 'svc/Dockerfile'),
      'FROM debian:bookworm-slim\n# build deps\nARG X=1\nRUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nUSER root\n');
    const r = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    const out = JSON.parse(r.stdout) as { findings: { rule: string }[]; baseline: { fixed: { rule: string }[]; matched: number } };
    assert.ok(!out.findings.some((f) => f.rule === 'apt-no-install-recommends'), 'accepted finding stays accepted after the edit');
    assert.ok(out.findings.some((f) => f.rule === 'user-non-root'), 'the new finding is reported');
    // the entry for "no USER at all" is gone: USER root is a different finding
    assert.deepEqual(out.baseline.fixed.map((f) => f.rule), ['user-non-root']);
    const text = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE], dir);
    assert.match(text.stdout, /fixed .*\(in the baseline, no longer found\)/);
    assert.match(text.stdout, /entr(y is|ies are) fixed/);

    // re-running baseline drops fixed entries and does not add the new finding
    const before = written.findings.length;
    const again = await run(['baseline', '--no-shellcheck'], dir);
    assert.match(again.stdout, /not added/);
    const shrunk = JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: { rule: string }[] };
    assert.ok(shrunk.findings.length < before);
    assert.equal(shrunk.findings.length, before - 1);
    assert.ok(!shrunk.findings.some((e) => e.rule === 'user-non-root'));
    const reset = await run(['baseline', '--no-shellcheck', '--reset'], dir);
    assert.equal(reset.code, 0);
    const after = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(after.stdout).findings, []);
  });

  it('keeps the entries of files a narrower run did not lint, and drops those of deleted files', async () => {
    const dir = tempTree({ 'a/Dockerfile': DOCKERFILE, 'b/Dockerfile': DOCKERFILE, 'c/Dockerfile': DOCKERFILE });
    assert.equal((await run(['baseline', '--no-shellcheck'], dir)).code, 0);
    const file = path.join(dir, BASELINE_FILE);
    const files = () => (JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: { file: string }[] }).findings.map((e) => e.file);
    const before = files();
    assert.ok(before.includes('b/Dockerfile') && before.includes('c/Dockerfile'));
    fs.rmSync(path.join(dir, 'c'), { recursive: true });
    // only a/ is linted: b/'s accepted findings were not looked at, so they are not fixed; c/ is gone, so its are
    const narrow = await run(['baseline', '--no-shellcheck', 'a'], dir);
    assert.equal(narrow.code, 0, narrow.stderr);
    assert.deepEqual(files(), before.filter((f) => f !== 'c/Dockerfile'));
    const lint = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    assert.equal(lint.code, 0, lint.stdout);
    assert.deepEqual(JSON.parse(lint.stdout).findings, []);
  });

  it('--reset PATH starts over only the entries of the files it lints', async () => {
    const dir = tempTree({ 'a/Dockerfile': DOCKERFILE, 'b/Dockerfile': DOCKERFILE });
    assert.equal((await run(['baseline', '--no-shellcheck'], dir)).code, 0);
    const file = path.join(dir, BASELINE_FILE);
    const entries = () => (JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: { file: string; rule: string }[] }).findings;
    const ofB = entries().filter((e) => e.file === 'b/Dockerfile');
    assert.ok(ofB.length > 0);
    // both files gain a new finding; only a/ is reset, so only a/'s new finding is accepted
    for (const d of ['a', 'b']) fs.writeFileSync(path.join(dir, d, 'Dockerfile'), DOCKERFILE + 'USER root\n');
    const reset = await run(['baseline', '--no-shellcheck', '--reset', 'a'], dir);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, new RegExp(`\\(${ofB.length} entr(y|ies) of files not linted in this run kept\\)`));
    assert.deepEqual(entries().filter((e) => e.file === 'b/Dockerfile'), ofB);
    assert.ok(entries().some((e) => e.file === 'a/Dockerfile' && e.rule === 'user-non-root'));
    const lint = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    const left = (JSON.parse(lint.stdout) as { findings: { file: string; rule: string }[] }).findings;
    assert.deepEqual(left.map((f) => `${f.file} ${f.rule}`), ['b/Dockerfile user-non-root']);
  });

  it('--reset starts over a baseline that cannot be read; without it the run stops', async () => {
    const dir = tempTree({ Dockerfile: DOCKERFILE, [BASELINE_FILE]: '{"findings": 3}' });
    assert.equal((await run(['baseline', '--no-shellcheck'], dir)).code, 2);
    const reset = await run(['baseline', '--no-shellcheck', '--reset'], dir);
    assert.equal(reset.code, 0);
    assert.match(reset.stderr, /--reset starts it over/);
    const lint = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(lint.stdout).findings, []);
  });

  it('keeps the entries of a file a rule failed on, and exits 3', async () => {
    const dir = tempTree({ 'a/Dockerfile': DOCKERFILE, 'b/Dockerfile': DOCKERFILE });
    assert.equal((await run(['baseline', '--no-shellcheck'], dir)).code, 0);
    const file = path.join(dir, BASELINE_FILE);
    const before = fs.readFileSync(file, 'utf8');
    const rule = RULES_BY_ID.get('apt-no-install-recommends') as { check: unknown };
    const check = rule.check;
    let calls = 0;
    // the rule fails on the first file only; the other's accepted apt finding is judged as usual
    const original = check as (ctx: unknown) => void;
    rule.check = (ctx: unknown) => { if (calls++ === 0) throw new Error('kaboom'); original(ctx); };
    try {
      const r = await run(['baseline', '--no-shellcheck', '--reset'], dir);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /rule apt-no-install-recommends failed on/);
    } finally {
      rule.check = check;
    }
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    const lint = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(lint.stdout).findings, []);
  });

  it('keeps accepted ShellCheck findings when a run does not check scripts', { skip: !spawnSync('sh', ['-c', 'command -v shellcheck']).stdout.length && 'needs shellcheck' }, async () => {
    const dir = tempTree({ Dockerfile: 'FROM debian:12\nRUN echo $HOME\nUSER 1000\n' });
    assert.equal((await run(['baseline'], dir)).code, 0);
    const file = path.join(dir, BASELINE_FILE);
    const rules = () => (JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: { rule: string }[] }).findings.map((e) => e.rule).sort();
    const before = rules();
    assert.ok(before.includes('SC2086'), before.join());
    // without ShellCheck its entries are neither fixed nor dropped
    const lint = await run(['lint', '--no-shellcheck', '--baseline', BASELINE_FILE, '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(lint.stdout).baseline.fixed, []);
    assert.equal((await run(['baseline', '--no-shellcheck'], dir)).code, 0);
    assert.deepEqual(rules(), before);
  });

  it('exits 2 on a missing or broken baseline', async () => {
    const dir = tempTree({ Dockerfile: DOCKERFILE, 'bad.json': '{"findings": 3}' });
    assert.equal((await run(['lint', '--no-shellcheck', '--baseline', 'nope.json'], dir)).code, 2);
    const bad = await run(['lint', '--no-shellcheck', '--baseline', 'bad.json'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /findings/);
  });
});
