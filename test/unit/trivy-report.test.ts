// Trivy report parsing: every real report of the corpus, checked against two independent sources (a generic
// walk of the raw JSON and the table in the corpus's SOURCE.md), plus malformed, partial, newer and huge reports.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS } from '../helpers';
import { emptyCounts, loadReport, parseReport, reportIds, SEVERITIES, type SeverityCounts } from '../../server/src/trivy/report';

const DIR = path.join(CORPUS, 'trivy', 'reports');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

/** Independent count: visit every key of the raw JSON and tally the Severity of each item of any `Vulnerabilities` array. */
function walkCount(raw: unknown, acc = emptyCounts(), key = ''): SeverityCounts {
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (key === 'Vulnerabilities') {
        const sev = String((item as { Severity?: unknown }).Severity ?? 'UNKNOWN') as keyof SeverityCounts;
        acc[sev in acc ? sev : 'UNKNOWN']++;
      } else walkCount(item, acc, '');
    }
  } else if (raw && typeof raw === 'object') {
    // suppressed findings are not entries of the report's results
    for (const [k, v] of Object.entries(raw)) if (k !== 'ExperimentalModifiedFindings') walkCount(v, acc, k);
  }
  return acc;
}

/** The corpus table: file -> vulns, secrets, misconfs and the severities column. */
function sourceTable(): Map<string, { vulns: number; secrets: number; misconfs: number; severities: Partial<SeverityCounts> }> {
  const md = fs.readFileSync(path.join(CORPUS, 'trivy', 'SOURCE.md'), 'utf8');
  const rows = new Map<string, { vulns: number; secrets: number; misconfs: number; severities: Partial<SeverityCounts> }>();
  for (const line of md.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`([^`]+\.json)`$/.exec(cells[1] ?? '')?.[1];
    if (!file) continue;
    const severities: Partial<SeverityCounts> = {};
    for (const m of cells[9].matchAll(/(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN):(\d+)/g)) severities[m[1] as keyof SeverityCounts] = Number(m[2]);
    rows.set(file, { vulns: Number(cells[5]), secrets: Number(cells[6]), misconfs: Number(cells[7]), severities });
  }
  return rows;
}

const nonZero = (c: Partial<SeverityCounts>) => Object.fromEntries(Object.entries(c).filter(([, n]) => n));

describe('Trivy reports from the corpus', () => {
  const table = sourceTable();

  it('covers every report of the corpus', () => {
    assert.equal(FILES.length, 21);
    assert.deepEqual([...table.keys()].sort(), FILES);
  });

  for (const file of FILES) {
    it(`parses ${file} with the right counts`, async () => {
      const r = await loadReport(path.join(DIR, file));
      assert.ok(r.ok, r.ok ? '' : r.error);
      const raw = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
      assert.deepEqual(r.report.counts, walkCount(raw));
      assert.equal(SEVERITIES.reduce((n, s) => n + r.report.counts[s], 0), r.report.vulnerabilities.length);
      const row = table.get(file)!;
      assert.equal(r.report.vulnerabilities.length, row.vulns, 'vulnerabilities vs SOURCE.md');
      assert.equal(r.report.secrets.length, row.secrets, 'secrets vs SOURCE.md');
      assert.equal(r.report.misconfigurations.length, row.misconfs, 'misconfigurations vs SOURCE.md');
      // the severities column describes whichever kind of finding the report has
      const kindSeverities = row.vulns ? r.report.counts
        : row.secrets ? tally(r.report.secrets.map((s) => s.severity)) : tally(r.report.misconfigurations.map((m) => m.severity));
      assert.deepEqual(nonZero(kindSeverities), row.severities);
      assert.equal(r.report.artifact.name, typeof raw.ArtifactName === 'string' ? raw.ArtifactName : '');
      assert.equal(r.report.artifact.type, typeof raw.ArtifactType === 'string' ? raw.ArtifactType : '');
      assert.deepEqual(r.warnings, []);
      for (const v of r.report.vulnerabilities) assert.ok(v.id && v.pkg && v.installed, `incomplete ${JSON.stringify(v)}`);
    });
  }

  it('reads the fields of a vulnerability, a secret and a misconfiguration', async () => {
    const alpine = await loadReport(path.join(DIR, 'alpine-310.json'));
    assert.ok(alpine.ok);
    assert.deepEqual({ ...alpine.report.vulnerabilities[0] }, {
      id: 'CVE-2019-1549', pkg: 'libcrypto1.1', installed: '1.1.1c-r0', fixed: '1.1.1d-r0', severity: 'MEDIUM',
      title: 'openssl: information disclosure in fork()', url: 'https://avd.aquasec.com/nvd/cve-2019-1549',
      target: 'testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)',
      purl: 'pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2',
    });
    const secrets = await loadReport(path.join(DIR, 'secrets.json'));
    assert.ok(secrets.ok);
    assert.deepEqual(secrets.report.secrets.map((s) => [s.id, s.severity, s.target, s.startLine]), [['aws-access-key-id', 'CRITICAL', 'deploy.sh', 3], ['mysecret', 'HIGH', 'deploy.sh', 7]]);
    // masked secret text never enters the model
    assert.doesNotMatch(JSON.stringify(secrets.report), /\*{5}|ghp_/);
    const policies = await loadReport(path.join(DIR, 'dockerfile-custom-policies.json'));
    assert.ok(policies.ok);
    assert.ok(policies.report.misconfigurations.every((m) => m.avdId && m.status === 'FAIL' && m.severity === 'LOW'));
    const suppressed = await loadReport(path.join(DIR, 'npm-with-suppressed.json'));
    assert.ok(suppressed.ok);
    assert.deepEqual(suppressed.report.suppressed, [{ id: 'CVE-2017-16137', kind: 'vulnerability', status: 'not_affected' }]);
    assert.ok(reportIds(suppressed.report).has('CVE-2017-16137'));
  });

  it('treats a report without a Results key as a report with no findings', async () => {
    const r = await loadReport(path.join(DIR, 'alpine-39-skip.json'));
    assert.ok(r.ok);
    assert.deepEqual(r.report.counts, emptyCounts());
    assert.deepEqual([r.report.vulnerabilities.length, r.report.secrets.length, r.report.misconfigurations.length], [0, 0, 0]);
  });
});

function tally(sevs: string[]): Partial<SeverityCounts> {
  const c: Partial<SeverityCounts> = {};
  for (const s of sevs) c[s as keyof SeverityCounts] = (c[s as keyof SeverityCounts] ?? 0) + 1;
  return c;
}

describe('Trivy report edge cases', () => {
  it('returns an error value for malformed JSON, empty text and non-reports', () => {
    for (const text of ['{"SchemaVersion": 2, "Results": [', '', '   ', 'null', '42', '"text"', '{"foo": 1}']) {
      const r = parseReport(text, 'bad.json');
      assert.equal(r.ok, false, `accepted ${JSON.stringify(text)}`);
      if (!r.ok) assert.match(r.error, /^bad\.json is not a Trivy JSON report/);
    }
  });

  it('parses a newer schema best-effort with a warning', () => {
    const r = parseReport(JSON.stringify({
      SchemaVersion: 3, ArtifactName: 'x:1', NewTopLevel: { a: 1 },
      Results: [{ Target: 't', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'HIGH', Extra: [1, 2] }] }],
    }), 'new.json');
    assert.ok(r.ok);
    assert.equal(r.report.counts.HIGH, 1);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /schema 3, newer than the 2/);
  });

  it('ignores unknown fields, skips malformed entries with a warning and maps odd severities to UNKNOWN', () => {
    const r = parseReport('\uFEFF' + JSON.stringify({
      SchemaVersion: 2, Whatever: true,
      Results: [
        null, 'x',
        { Target: 'a', Class: 'os-pkgs', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'high' }, { Severity: 'LOW' }, { VulnerabilityID: 'CVE-2', Severity: 'SEVERE' }, { VulnerabilityID: 'CVE-3' }] },
        { Target: 'b', Vulnerabilities: null, Secrets: 'nope', Misconfigurations: [{ AVDID: 'AVD-X-1' }] },
      ],
    }), 'odd.json');
    assert.ok(r.ok);
    assert.deepEqual(r.report.counts, { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 2 });
    assert.deepEqual(r.report.misconfigurations.map((m) => [m.id, m.status]), [['AVD-X-1', 'FAIL']]);
    assert.deepEqual(r.warnings, ['odd.json: 3 malformed entries were skipped.']);
  });

  it('reads the pre-schema-2 layout (a bare list of results) with a warning', () => {
    const r = parseReport(JSON.stringify([{ Target: 't', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'LOW' }] }]), 'old.json');
    assert.ok(r.ok);
    assert.equal(r.report.counts.LOW, 1);
    assert.match(r.warnings[0], /old report layout/);
  });

  it('reports a missing file as an error value', async () => {
    const r = await loadReport('/nonexistent/report.json');
    assert.deepEqual(r, { ok: false, error: '/nonexistent/report.json: no such file.' });
  });

  it('parses a 50 MB report within time and memory bounds', (t) => {
    const entry = (i: number) => JSON.stringify({
      VulnerabilityID: `CVE-2024-${i}`, PkgName: `pkg${i % 500}`, InstalledVersion: '1.0.0', FixedVersion: '1.0.1',
      Severity: SEVERITIES[i % 5], Title: 'A generated vulnerability with a title of ordinary length',
      Description: 'x'.repeat(300), PrimaryURL: `https://avd.aquasec.com/nvd/cve-2024-${i}`, References: ['https://example.com/a', 'https://example.com/b'],
    });
    const parts: string[] = [];
    let size = 0, n = 0;
    while (size < 50 * 1024 * 1024) { const e = entry(n++); parts.push(e); size += e.length + 1; }
    const text = `{"SchemaVersion":2,"ArtifactName":"big:1","ArtifactType":"container_image","Results":[{"Target":"big","Class":"os-pkgs","Vulnerabilities":[${parts.join(',')}]}]}`;
    parts.length = 0;
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = parseReport(text, 'big.json');
    const ms = performance.now() - t0;
    const rssGrowth = (process.memoryUsage().rss - rss0) / 1024 / 1024;
    assert.ok(r.ok);
    assert.equal(r.report.vulnerabilities.length, n);
    for (const s of SEVERITIES) assert.equal(r.report.counts[s], Math.floor(n / 5) + (SEVERITIES.indexOf(s) < n % 5 ? 1 : 0));
    t.diagnostic(`50 MB report: ${(text.length / 1024 / 1024).toFixed(1)} MB, ${n} entries, parsed in ${ms.toFixed(0)} ms, RSS growth ${rssGrowth.toFixed(0)} MB`);
    assert.ok(ms < 20000, `took ${ms} ms`);
    // JSON.parse of 50 MB needs a few times its size transiently; a leak of copies would show as far more
    assert.ok(rssGrowth < 800, `RSS grew by ${rssGrowth} MB`);
  });
});
