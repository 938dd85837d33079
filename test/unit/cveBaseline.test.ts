// `hullcheck scan --write-baseline` / `--baseline` on corpus reports: the accepted vulnerabilities stop gating,
// a vulnerability the baseline does not hold still fails, and the image tag does not matter.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanMain } from '../../server/src/cli/scan';
import { artifactKey } from '../../server/src/trivy/cveBaseline';
import type { TrivyReport } from '../../server/src/trivy/report';
import { CORPUS } from '../helpers';

const REPORTS = path.join(CORPUS, 'trivy', 'reports');

async function run(args: string[], cwd: string) {
  let stdout = '', stderr = '';
  const code = await scanMain(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, { cwd, env: { ...process.env }, version: '9.9.9' });
  return { code, stdout, stderr };
}

describe('CVE baseline', () => {
  it('fails only on vulnerabilities new since the baseline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-cvebase-'));
    const raw = JSON.parse(fs.readFileSync(path.join(REPORTS, 'debian-buster.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'r.json'), JSON.stringify(raw));
    const written = await run(['r.json', '--write-baseline', 'cves.json', '--fail-on', 'none'], dir);
    assert.equal(written.code, 0, written.stderr);
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'cves.json'), 'utf8'));
    assert.deepEqual(file.findings.map((f: { rule: string }) => f.rule).sort(), ['CVE-2019-18224', 'CVE-2019-18276']);
    assert.equal((await run(['r.json', '--fail-on', 'LOW'], dir)).code, 1);
    const accepted = await run(['r.json', '--baseline', 'cves.json', '--fail-on', 'LOW', '--format', 'json'], dir);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.deepEqual(JSON.parse(accepted.stdout).reports[0].vulnerabilities, []);
    // a new vulnerability (another id in the same package) fails the gate; the accepted ones stay out
    const vulns = raw.Results[0].Vulnerabilities;
    vulns.push({ ...vulns[0], VulnerabilityID: 'CVE-2099-0001', Severity: 'HIGH' });
    fs.writeFileSync(path.join(dir, 'r.json'), JSON.stringify(raw));
    const fresh = await run(['r.json', '--baseline', 'cves.json', '--format', 'json'], dir);
    assert.equal(fresh.code, 1);
    assert.deepEqual(JSON.parse(fresh.stdout).reports[0].vulnerabilities.map((v: { id: string }) => v.id), ['CVE-2099-0001']);
    const missing = await run(['r.json', '--baseline', 'nope.json'], dir);
    assert.equal(missing.code, 2);
  });

  it('keys images by repository, whatever the tag or digest', () => {
    const r = (name: string, type = 'container_image') => ({ artifact: { name, type }, source: 'x' }) as TrivyReport;
    assert.equal(artifactKey(r('ghcr.io/acme/api:1.2.3')), 'ghcr.io/acme/api');
    assert.equal(artifactKey(r('localhost:5000/api@sha256:abcdef')), 'localhost:5000/api');
    assert.equal(artifactKey(r('localhost:5000/api')), 'localhost:5000/api');
    assert.equal(artifactKey(r('.', 'repository')), '.');
  });
});
