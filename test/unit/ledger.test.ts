// The exception ledger: reasons and expiry on inline ignores, the `suppressions:` policy, unused ignores in
// Dockerfiles and compose files (and their fixes), and `hullcheck exceptions` listing every kind of exception.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseIgnoreTail } from '../../server/src/parse/pragma';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { applyEdits } from '../../server/src/core/text';
import { main } from '../../server/src/cli';
import { tempTree } from '../helpers';
import type { Finding } from '../../server/src/core/findings';


async function lintIn(name: string, text: string, config?: string, only?: string[]) {
  const dir = tempTree(config ? { '.hullcheck.yaml': config } : {});
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return lintFile(file, text, { host: nodeHost, only });
}

const rules = (fs_: Finding[]) => fs_.map((f) => `${f.range.start.line + 1} ${f.rule}`);

let savedToday: string | undefined;
before(() => { savedToday = process.env.HULLCHECK_TODAY; process.env.HULLCHECK_TODAY = '2026-06-15'; });
after(() => { if (savedToday === undefined) delete process.env.HULLCHECK_TODAY; else process.env.HULLCHECK_TODAY = savedToday; });

describe('ignore reason and expiry', () => {
  it('reads the list, until= and the reason', () => {
    const t = parseIgnoreTail(' apt-pin-versions, DL3008  until=2027-03-31 -- vendor image -- see #1');
    assert.deepEqual([t.list, t.until, t.reason, t.problem], ['apt-pin-versions, DL3008', '2027-03-31', 'vendor image -- see #1', undefined]);
    assert.equal(' apt-pin-versions, DL3008  until'.indexOf('apt'), t.listStart);
    assert.equal(parseIgnoreTail('a until=2027-02-30').problem?.includes('not a date'), true);
    assert.match(String(parseIgnoreTail('a until=2027-02-03 because').problem), /after ` -- `/);
    assert.deepEqual([parseIgnoreTail('a-b').list, parseIgnoreTail('a-b').reason], ['a-b', undefined]);
  });

  const APK = 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache until=DATE -- vendor image\nRUN apk add curl\nUSER 1000\n';

  it('suppresses through its until day, then stops and is reported itself', async () => {
    const valid = await lintIn('Dockerfile', APK.replace('DATE', '2026-06-15'));
    assert.ok(!rules(valid.findings).some((r) => /apk-no-cache|suppression-/.test(r)), rules(valid.findings).join());
    const expired = await lintIn('Dockerfile', APK.replace('DATE', '2026-06-14'));
    assert.ok(rules(expired.findings).includes('3 apk-no-cache'));
    assert.ok(rules(expired.findings).includes('2 suppression-expired'));
    assert.equal(expired.exceptions?.[0].reason, 'vendor image');
  });

  it('follows the suppressions: policy; a refused ignore suppresses nothing and says why', async () => {
    const bare = 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache\nRUN apk add curl\nUSER 1000\n';
    const r = await lintIn('Dockerfile', bare, 'suppressions: { requireReason: true }\n');
    assert.ok(rules(r.findings).includes('3 apk-no-cache'));
    assert.match(r.findings.find((f) => f.rule === 'pragma-invalid')?.message ?? '', /requireReason/);
    const reasoned = await lintIn('Dockerfile', bare.replace('apk-no-cache', 'apk-no-cache -- pruned later'), 'suppressions: { requireReason: true }\n');
    assert.ok(!rules(reasoned.findings).includes('3 apk-no-cache'));
    const hadolintReason = await lintIn('Dockerfile', bare.replace('hullcheck ignore=apk-no-cache', 'hadolint ignore=DL3019 # pruned later'), 'suppressions: { requireReason: true }\n');
    assert.ok(!rules(hadolintReason.findings).includes('3 apk-no-cache'));
    const noExpiry = await lintIn('Dockerfile', bare.replace('apk-no-cache', 'apk-no-cache -- pruned'), 'suppressions: { requireExpiry: true }\n');
    assert.match(noExpiry.findings.find((f) => f.rule === 'pragma-invalid')?.message ?? '', /until=YYYY-MM-DD/);
    const noInline = await lintIn('Dockerfile', bare, 'suppressions:\n  allowInline: false\n');
    assert.ok(rules(noInline.findings).includes('3 apk-no-cache'));
    const bad = await lintIn('Dockerfile', bare, 'suppressions: { requireReason: yes please }\n');
    assert.match(bad.configProblems.map((p) => p.message).join(), /requireReason` must be true or false/);
  });
});

describe('suppression-unused', () => {
  it('never calls an ignore of a rule that did not run unused, nor judges a partial run', async () => {
    const text = 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache\nRUN apk add --no-cache curl\nUSER 1000\n';
    const off = await lintIn('Dockerfile', text, 'rules: { apk-no-cache: off }\n');
    assert.ok(!rules(off.findings).some((r) => r.includes('suppression-unused')));
    const partial = await lintIn('Dockerfile', text, undefined, ['suppression-unused']);
    assert.deepEqual(rules(partial.findings).filter((r) => r.includes('suppression-')), []);
    const full = await lintIn('Dockerfile', text);
    assert.ok(rules(full.findings).includes('2 suppression-unused'));
  });

  it('covers compose ignores, with a fix that removes only the unused id', async () => {
    const compose = 'services:\n  web:\n    # hullcheck ignore=compose-image-latest,compose-privileged -- pinned in CI\n    image: nginx:latest\n';
    const r = await lintIn('compose.yaml', compose);
    const f = r.findings.find((x) => x.rule === 'suppression-unused');
    assert.ok(f, rules(r.findings).join());
    assert.match(f.message, /`compose-privileged`/);
    assert.ok(!rules(r.findings).some((x) => x.includes('compose-image-latest')), 'the used id still suppresses');
    assert.equal(applyEdits(compose, f.fixes[0].edits), compose.replace('compose-image-latest,compose-privileged', 'compose-image-latest'));
    const expired = await lintIn('compose.yaml', compose.replace('-- pinned', 'until=2020-01-01 -- pinned'));
    assert.ok(rules(expired.findings).includes('3 suppression-expired'));
    assert.ok(rules(expired.findings).includes('4 compose-image-latest'));
  });

  it('lint --fix removes unused hullcheck ignores but leaves hadolint ones, which hadolint itself may still need', async () => {
    // hadolint reports DL3059 on each RUN after the first; run-consecutive reports the group once, on its second RUN
    const text = 'FROM debian:bookworm-slim\nRUN echo a\nRUN echo b\n# hadolint ignore=DL3059\nRUN echo c\n# hullcheck ignore=apk-no-cache -- old\nUSER 1000\n';
    const dir = tempTree({ Dockerfile: text });
    const r = await lintIn('Dockerfile', text);
    const hadolint = r.findings.find((x) => x.rule === 'suppression-unused' && x.range.start.line === 3);
    assert.ok(hadolint, rules(r.findings).join());
    assert.ok(hadolint.fixes.length > 0 && hadolint.fixes.every((x) => x.safety === 'unsafe'), 'offered, but not applied by --fix');
    const before = process.cwd();
    process.chdir(dir);
    try {
      await main(['lint', '--fix', '--no-shellcheck', '--fail-level', 'none', 'Dockerfile'], { stdout: () => undefined, stderr: () => undefined }, async () => '');
    } finally {
      process.chdir(before);
    }
    const fixed = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    assert.match(fixed, /# hadolint ignore=DL3059\n/);
    assert.doesNotMatch(fixed, /hullcheck ignore=apk-no-cache/);
  });
});

describe('hullcheck exceptions', () => {
  it('lists inline ignores, config offs, hadolint ignores, baseline and .trivyignore entries with reason, expiry and place', async () => {
    const dir = tempTree({
      '.hullcheck.yaml': 'rules:\n  apk-pin-versions: off   # we track alpine edge\n  # base images pinned by digest instead\n  image-tag-latest: { severity: off }\n  exec-form: warning\n',
      '.hadolint.yaml': 'ignored:\n  - DL3059\n',
      'Dockerfile': 'FROM alpine:3.20\n# hullcheck ignore=apk-no-cache until=2027-03-31 -- vendor image\nRUN apk add curl\nUSER 1000\n',
      '.trivyignore': '# accepted until the base moves\nCVE-2024-0001 exp:2026-01-01\n',
      '.hullcheck-baseline.json': JSON.stringify({ fingerprints: 'hullcheck/v1', findings: [{ file: 'Dockerfile', rule: 'healthcheck-missing', fingerprint: 'abc', message: 'no HEALTHCHECK' }] }),
    });
    let stdout = '';
    const before = process.cwd();
    process.chdir(dir);
    try {
      const code = await main(['exceptions', '--format', 'json'], { stdout: (s) => { stdout += s; }, stderr: () => undefined }, async () => '');
      assert.equal(code, 0);
    } finally {
      process.chdir(before);
    }
    const rows = (JSON.parse(stdout) as { exceptions: { kind: string; file: string; line?: number; ids: string[]; reason?: string; expires?: string; status: string }[] }).exceptions;
    const by = (kind: string, id: string) => rows.find((r) => r.kind === kind && r.ids.includes(id));
    assert.deepEqual(by('inline', 'apk-no-cache'), { kind: 'inline', file: 'Dockerfile', line: 2, ids: ['apk-no-cache'], scope: 'next instruction', reason: 'vendor image', expires: '2027-03-31', status: 'active' });
    assert.equal(by('config', 'apk-pin-versions')?.reason, 'we track alpine edge');
    assert.equal(by('config', 'apk-pin-versions')?.line, 2);
    assert.equal(by('config', 'image-tag-latest')?.reason, 'base images pinned by digest instead');
    assert.equal(by('config', 'exec-form'), undefined, 'a severity change is not an exception');
    assert.ok(by('config', 'DL3059'));
    assert.equal(by('baseline', 'healthcheck-missing')?.file, 'Dockerfile');
    assert.deepEqual([by('trivyignore', 'CVE-2024-0001')?.expires, by('trivyignore', 'CVE-2024-0001')?.status], ['2026-01-01', 'expired']);
  });
});
