// VEX in the editor: "Export VEX from Ignore File" writes a folder's reviewed entries for corpus reports, and the
// documents of `hullcheck.trivy.vex` (read inside the folder only) mark the same findings in the Vulnerabilities
// view's data and leave them out of what the Dockerfile lenses count.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS } from '../helpers';
import { groupReport, keptVulnerabilities } from '../../server/src/features/trivy';
import { exportFolderVex, folderVex } from '../../server/src/features/trivyVex';
import { nodeHost } from '../../server/src/core/fileHost';
import { loadReport, type TrivyReport } from '../../server/src/trivy/report';
import { findingLabel } from '../../client/src/views/trivyModel';

const DIR = path.join(CORPUS, 'trivy', 'reports');

async function corpus(name: string): Promise<TrivyReport> {
  const r = await loadReport(path.join(DIR, name));
  assert.ok(r.ok);
  return r.report;
}

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-vexview-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('VEX in the Vulnerabilities view', () => {
  it('exports the folder ignore file, and the document marks the same findings not affected until it expires', async () => {
    const alpine = await corpus('alpine-310.json');
    const ignoreText = 'CVE-2019-1551 exp:2099-01-01 # no TLS server: vulnerable code not in execute path\nCVE-2019-1549\n';
    const root = folder({ '.trivyignore': ignoreText });
    const ignore = { file: path.join(root, '.trivyignore'), text: ignoreText };
    const r = await exportFolderVex(ignore, root, [alpine], path.join(root, 'security', 'x.json'), '1.0.0');
    assert.equal(r.ok, false, 'the folder of the target must exist');
    fs.mkdirSync(path.join(root, 'security'));
    const ok = await exportFolderVex(ignore, root, [alpine], path.join(root, 'security', 'vex.json'), '1.0.0');
    assert.deepEqual(ok, { ok: true, statements: 1, skipped: ['.trivyignore:2: CVE-2019-1549 is not exported: it has no reason (a comment, or a statement in YAML), so it was never reviewed'] });
    assert.deepEqual(fs.readdirSync(path.join(root, 'security')), ['vex.json'], 'no temporary file is left');

    const { statements, errors } = await folderVex(nodeHost, root, ['security/vex.json']);
    assert.deepEqual(errors, []);
    const image = groupReport(alpine, 'file', [], undefined, statements);
    const vulns = image.severities.flatMap((g) => g.findings);
    const marked = vulns.filter((f) => f.vex).map((f) => `${f.id} ${f.pkg}`).sort();
    assert.deepEqual(marked, ['CVE-2019-1551 libcrypto1.1', 'CVE-2019-1551 libssl1.1']);
    const f = vulns.find((x) => x.vex)!;
    assert.deepEqual(f.vex, { status: 'not_affected', summary: 'not affected (vulnerable_code_not_in_execute_path): no TLS server: vulnerable code not in execute path', source: 'security/vex.json' });
    assert.match(findingLabel(f).description, /^not affected \(VEX\) · libcrypto1\.1|^not affected \(VEX\) · libssl1\.1/);
    assert.equal(vulns.filter((x) => x.ignored).length, 0, 'VEX is not the ignore file');
    assert.deepEqual(keptVulnerabilities(alpine, undefined, statements).map((v) => v.id), ['CVE-2019-1549', 'CVE-2019-1549']);

    const before = process.env.HULLCHECK_TODAY;
    process.env.HULLCHECK_TODAY = '2099-01-01';
    try {
      assert.equal(groupReport(alpine, 'file', [], undefined, statements).severities.flatMap((g) => g.findings).filter((x) => x.vex).length, 0);
    } finally {
      if (before === undefined) delete process.env.HULLCHECK_TODAY; else process.env.HULLCHECK_TODAY = before;
    }
  });

  it('reads documents inside the workspace folder only, and says which could not be used', async () => {
    const outside = folder({ 'vex.json': '{}' });
    const root = folder({ 'bad.json': '{"statements": []}' });
    fs.symlinkSync(path.join(outside, 'vex.json'), path.join(root, 'linked.json'));
    const { statements, errors } = await folderVex(nodeHost, root, [path.join(outside, 'vex.json'), '../x.json', 'linked.json', 'bad.json', 'none.json']);
    assert.deepEqual(statements, []);
    assert.equal(errors.length, 5);
    assert.match(errors[0], /vex\.json: cannot read: it is outside the project/);
    assert.match(errors[1], /\.\.\/x\.json: cannot read: it is outside the project/);
    assert.match(errors[2], /linked\.json: cannot read: it is outside the project/);
    assert.match(errors[3], /bad\.json is not an OpenVEX document/);
    assert.match(errors[4], /none\.json: no such VEX document/);
  });

  it('refuses to export without an ignore file or without reports', async () => {
    const root = folder({});
    assert.deepEqual(await exportFolderVex(undefined, root, [], path.join(root, 'v.json'), '1'), { ok: false, error: 'This folder has no .trivyignore or .trivyignore.yaml to export.', skipped: [] });
    const r = await exportFolderVex({ file: path.join(root, '.trivyignore'), text: 'CVE-1 # why\n' }, root, [], path.join(root, 'v.json'), '1');
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /No Trivy reports are loaded/);
    assert.equal(fs.existsSync(path.join(root, 'v.json')), false);
  });
});
