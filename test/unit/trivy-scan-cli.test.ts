// `hullcheck scan`: loading corpus reports and scanning through the Trivy stand-in, the ignore file found upward
// or given, expiry dates, exit codes 0/1/2, and the JSON and SARIF shapes.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { main } from '../../server/src/cli';
import { scanMain, parseFailOn } from '../../server/src/cli/scan';
import { CORPUS, FIXTURES } from '../helpers';

const REPORTS = path.join(CORPUS, 'trivy', 'reports');
const FAKE_TRIVY = path.join(FIXTURES, 'trivy', 'fake-trivy');

type Result = { code: number; stdout: string; stderr: string };

async function scan(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  let stdout = '', stderr = '';
  const code = await scanMain(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, { cwd, env: { ...process.env, ...env }, version: '9.9.9' });
  return { code, stdout, stderr };
}

/** A project folder with copies of corpus reports and an optional ignore file, nested one level deep. */
function project(files: Record<string, string>): { root: string; sub: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-scan-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const sub = path.join(root, 'services', 'api');
  fs.mkdirSync(sub, { recursive: true });
  return { root, sub };
}
const report = (name: string) => fs.readFileSync(path.join(REPORTS, name), 'utf8');

describe('hullcheck scan', () => {
  it('prints the JSON shape with counts of every vulnerability entry and exits 1 at or above --fail-on', async () => {
    const { root } = project({ 'debian.json': report('debian-buster.json'), 'secrets.json': report('secrets.json') });
    const r = await scan(['debian.json', 'secrets.json', '--format', 'json'], root);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['reports']);
    const [debian, secrets] = json.reports;
    assert.deepEqual(Object.keys(debian), ['source', 'artifact', 'counts', 'vulnerabilities', 'secrets', 'misconfigurations']);
    assert.equal(debian.source, 'debian.json');
    assert.deepEqual(debian.artifact, { name: 'testdata/fixtures/images/debian-buster.tar.gz', type: 'container_image' });
    assert.deepEqual(debian.counts, { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0 });
    assert.deepEqual(Object.keys(debian.vulnerabilities[0]), ['id', 'pkg', 'installed', 'fixed', 'severity', 'title', 'url']);
    assert.deepEqual(secrets.secrets.map((s: { id: string }) => s.id), ['aws-access-key-id', 'mysecret']);
    assert.equal((await scan(['debian.json', '--fail-on', 'none'], root)).code, 0);
  });

  it('applies the nearest .trivyignore above the working folder, honouring exp dates', async () => {
    const ignore = '# accepted\nCVE-2019-18276 exp:2020-01-01\nCVE-2019-18224 exp:2099-01-01 # libidn2, not reachable\n';
    const { root, sub } = project({ 'debian.json': report('debian-buster.json'), '.trivyignore': ignore });
    const file = path.join(root, 'debian.json');
    // CVE-2019-18224 (CRITICAL) is ignored; CVE-2019-18276 (LOW) stays because its entry expired
    const r = await scan([file, '--format', 'json', '--fail-on', 'CRITICAL'], sub);
    assert.equal(r.code, 0, r.stderr);
    const [d] = JSON.parse(r.stdout).reports;
    assert.deepEqual(d.vulnerabilities.map((v: { id: string }) => v.id), ['CVE-2019-18276']);
    assert.equal(d.counts.CRITICAL, 1, 'counts are the report\'s own, before ignores');
    assert.equal((await scan([file, '--fail-on', 'LOW'], sub)).code, 1);
    // with today pinned before the first date, both entries apply
    const early = await scan([file, '--format', 'json', '--fail-on', 'LOW'], sub, { HULLCHECK_TODAY: '2019-12-31' });
    assert.equal(early.code, 0);
    assert.deepEqual(JSON.parse(early.stdout).reports[0].vulnerabilities, []);
    const text = await scan([file, '--fail-on', 'LOW'], sub);
    assert.match(text.stderr, /applying \.\.\/\.\.\/\.trivyignore \(1 active entry, 1 expired or unreadable\)/);
    assert.match(text.stdout, /1 finding, 1 ignored by the ignore file\./);
  });

  it('uses --ignorefile (YAML too) instead of searching, and fails with 2 when it is missing', async () => {
    const { root } = project({
      'debian.json': report('debian-buster.json'),
      'policy/ignore.yaml': 'vulnerabilities:\n  - id: CVE-2019-18224\n    statement: Not reachable\n',
      '.trivyignore': 'CVE-2019-18276\n',
    });
    const r = await scan(['debian.json', '--ignorefile', 'policy/ignore.yaml', '--format', 'json'], root);
    assert.deepEqual(JSON.parse(r.stdout).reports[0].vulnerabilities.map((v: { id: string }) => v.id), ['CVE-2019-18276']);
    assert.equal(r.code, 0);
    const missing = await scan(['debian.json', '--ignorefile', 'nope'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: no such ignore file/);
  });

  it('scans image references with the given trivy executable', async () => {
    const { root } = project({});
    const r = await scan(['fluentd:v2.9.0', '--trivy', FAKE_TRIVY, '--format', 'json', '--fail-on', 'HIGH'], root, { FAKE_TRIVY_REPORT: path.join(REPORTS, 'fluentd-gems.json') });
    assert.equal(r.code, 1, r.stderr);
    const [f] = JSON.parse(r.stdout).reports;
    assert.equal(f.source, 'trivy image fluentd:v2.9.0');
    assert.deepEqual(f.counts, { CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 });
  });

  it('exits 2 on Trivy and IO errors but still prints what it could load', async () => {
    const { root } = project({ 'alpine.json': report('alpine-310.json'), 'broken.json': '{"SchemaVersion": 2, "Results": [' });
    const r = await scan(['alpine.json', 'broken.json', 'gone.json', 'alpine:3.10', '--trivy', '/nonexistent/trivy', '--format', 'json', '--fail-on', 'none'], root);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).reports.length, 1);
    assert.match(r.stderr, /broken\.json is not a Trivy JSON report/);
    assert.match(r.stderr, /gone\.json: no such file/);
    assert.match(r.stderr, /Trivy is not installed \(no executable at \/nonexistent\/trivy\)/);
    const failing = await scan(['alpine:3.10', '--trivy', FAKE_TRIVY], root, { FAKE_TRIVY_MODE: 'fail' });
    assert.equal(failing.code, 2);
    assert.match(failing.stderr, /Trivy exited with code 1 .*failed to download vulnerability DB/);
  });

  it('exits 2 on usage errors', async () => {
    const { root } = project({ 'a.json': report('alpine-310.json') });
    for (const args of [[], ['a.json', '--format', 'xml'], ['a.json', '--fail-on', 'SEVERE'], ['a.json', '--nope']]) {
      assert.equal((await scan(args, root)).code, 2, args.join(' '));
    }
    assert.deepEqual(parseFailOn('critical,high'), { threshold: 'HIGH' });
    assert.deepEqual(parseFailOn('none'), { threshold: null });
  });

  it('warns about a newer schema on stderr and still gates on it', async () => {
    const newer = JSON.stringify({ SchemaVersion: 3, ArtifactName: 'x', Results: [{ Target: 't', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'CRITICAL' }] }] });
    const { root } = project({ 'new.json': newer });
    const r = await scan(['new.json'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /warning: new\.json uses report schema 3/);
  });

  it('writes SARIF 2.1.0 that validates against the schema', async () => {
    const { root } = project({ 'alpine.json': report('alpine-310.json'), 'df.json': report('dockerfile.json'), 's.json': report('secrets.json') });
    const r = await scan(['alpine.json', 'df.json', 's.json', '--format', 'sarif'], root);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    assert.ok(ajv.validate(schema, sarif), JSON.stringify(ajv.errors?.slice(0, 3)));
    const results = sarif.runs[0].results as { ruleId: string; level: string }[];
    assert.equal(results.length, 4 + 1 + 2);
    assert.deepEqual(results.find((x) => x.ruleId === 'aws-access-key-id')?.level, 'error');
    assert.deepEqual(results.find((x) => x.ruleId === 'CVE-2019-1549')?.level, 'warning');
  });

  it('is reachable as `hullcheck scan` from the main CLI', async () => {
    let stdout = '';
    const code = await main(['scan', path.join(REPORTS, 'alpine-310.json'), '--format', 'json', '--fail-on', 'MEDIUM', '--ignorefile', path.join(CORPUS, 'trivy', 'ignorefiles', 'docs-example.trivyignore')],
      { stdout: (s) => { stdout += s; }, stderr: () => {} }, async () => '');
    assert.equal(code, 1);
    assert.equal(JSON.parse(stdout).reports[0].vulnerabilities.length, 4);
  });
});
