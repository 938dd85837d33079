// Trivy ignore files: parsing both formats as Trivy reads them, minimal edits that keep everything else byte for
// byte (comments, CRLF, YAML anchors), expiry handling with an injectable "today", and applying ignores to reports.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS } from '../helpers';
import { applyEdits } from '../../server/src/core/text';
import { parseTrivyignore, sniffFormat } from '../../server/src/parse/trivyignore';
import { addIgnoreEntry, yamlScalar, type AddIgnoreRequest } from '../../server/src/trivy/ignoreFile';
import { activeEntries, applyIgnores, pathGlob, purlMatches } from '../../server/src/trivy/applyIgnores';
import { todayIso } from '../../server/src/facts/trivyignoreFacts';
import { loadReport } from '../../server/src/trivy/report';

const IGNOREFILES = path.join(CORPUS, 'trivy', 'ignorefiles');
const corpus = (name: string) => fs.readFileSync(path.join(IGNOREFILES, name), 'utf8');

function edit(text: string, format: 'plain' | 'yaml', req: AddIgnoreRequest): string {
  const r = addIgnoreEntry(text, format, req);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return applyEdits(text, r.edits);
}

describe('parsing .trivyignore', () => {
  it('reads the corpus plain file as Trivy does: first field is the id, exp: among the fields', () => {
    const p = parseTrivyignore(corpus('testdata.trivyignore'));
    assert.equal(p.format, 'plain');
    assert.deepEqual(p.entries.map((e) => [e.id, e.expires?.value ?? null]), [
      ['CVE-2019-0001', null], ['CVE-2019-0002', null], ['CVE-2019-0004', '2020-01-01'], ['CVE-2019-0005', '9999-01-01'],
      ['CVE-2019-0006', '9999-01-01'], ['ID300', null], ['AVD-ID400', null], ['generic-unwanted-rule', null], ['GPL-3.0', null],
    ]);
    // `# vulnerabilities` explains the run of entries below it
    assert.equal(p.entries[0].reason, 'vulnerabilities');
    assert.equal(p.entries[6].reason, 'alias');
  });

  it('reads trailing comments, needs whitespace before #, and flags impossible dates', () => {
    const p = parseTrivyignore('CVE-1   exp:2024-02-30 # why\nCVE-2#x\n\n  CVE-3 exp:2024-02-29\n');
    assert.deepEqual(p.entries.map((e) => [e.id, e.reason ?? null, e.expires?.valid ?? null]), [
      ['CVE-1', 'why', false], ['CVE-2#x', null, null], ['CVE-3', null, true],
    ]);
    assert.deepEqual(p.entries[2].range, { start: { line: 3, character: 2 }, end: { line: 3, character: 7 } });
  });

  it('reads the corpus YAML files: sections, statements, paths, purls and expired_at', () => {
    const p = parseTrivyignore(corpus('docs-example.trivyignore.yaml'));
    assert.equal(p.format, 'yaml');
    const first = p.entries[0];
    assert.deepEqual([first.id, first.section, first.reason, first.paths], ['CVE-2022-40897', 'vulnerabilities', 'Accept the risk', ['usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA']]);
    assert.deepEqual(p.entries.find((e) => e.id === 'CVE-2023-3817')?.purls, ['pkg:deb/debian/libssl1.1']);
    assert.equal(p.entries.find((e) => e.id === 'CVE-2023-29491')?.expires?.value, '2023-09-01');
    assert.deepEqual(p.entries.filter((e) => e.section === 'licenses').map((e) => e.id), ['GPL-3.0', 'MIT AND GPL-2.0-or-later', 'Apache-2.0 WITH LLVM-exception', 'LLVM-exception']);
    assert.equal(parseTrivyignore(corpus('testdata.trivyignore.yaml')).entries.length, 19);
  });

  it('tells the formats apart by content', () => {
    assert.equal(sniffFormat('CVE-1\n# vulnerabilities: none\n'), 'plain');
    assert.equal(sniffFormat('# list\nsecrets:\n  - id: x\n'), 'yaml');
  });
});

describe('editing .trivyignore (plain)', () => {
  it('appends an entry with expiry and reason, keeping comments and CRLF, adding the missing final line break', () => {
    const text = '# Accepted risks\r\nCVE-2019-0001 # old\r\n\r\n# misconfig\r\nAVD-DS-0002';
    assert.equal(edit(text, 'plain', { id: 'CVE-2024-1234', expires: '2025-06-30', reason: 'not reachable from the API' }),
      '# Accepted risks\r\nCVE-2019-0001 # old\r\n\r\n# misconfig\r\nAVD-DS-0002\r\nCVE-2024-1234 exp:2025-06-30 # not reachable from the API\r\n');
  });

  it('updates an entry already present instead of duplicating it', () => {
    const text = corpus('testdata.trivyignore');
    const out = edit(text, 'plain', { id: 'CVE-2019-0004', expires: '2026-01-31', reason: 'vendor patch due in January' });
    assert.equal(out, text.replace('CVE-2019-0004 exp:2020-01-01', 'CVE-2019-0004 exp:2026-01-31 # vendor patch due in January'));
    // extra key:value fields and an existing comment stay where they are; only exp and the comment text change
    const kv = 'CVE-1   exp:2020-01-01 key2:value2   # old reason\n';
    assert.equal(edit(kv, 'plain', { id: 'CVE-1', expires: '2030-01-01', reason: 'new reason' }), 'CVE-1   exp:2030-01-01 key2:value2   # new reason\n');
    assert.equal(edit('CVE-1 # keep\n', 'plain', { id: 'CVE-1', expires: '2030-01-01' }), 'CVE-1 exp:2030-01-01 # keep\n');
    assert.equal(edit('CVE-1  \n', 'plain', { id: 'CVE-1', reason: 'r' }), 'CVE-1 # r\n');
    const same = addIgnoreEntry('CVE-1\n', 'plain', { id: 'CVE-1' });
    assert.deepEqual(same, { ok: true, updated: true, edits: [] });
  });

  it('writes into an empty file and refuses what the plain format cannot hold', () => {
    assert.equal(edit('', 'plain', { id: 'CVE-1' }), 'CVE-1\n');
    assert.equal(addIgnoreEntry('', 'plain', { id: 'Apache-2.0 WITH LLVM-exception' }).ok, false);
    assert.equal(addIgnoreEntry('', 'plain', { id: 'CVE-1', expires: '2025-13-01' }).ok, false);
    assert.equal(addIgnoreEntry('', 'plain', { id: 'CVE-1', reason: 'renew exp:2020-01-01' }).ok, false);
  });
});

describe('editing .trivyignore.yaml', () => {
  const anchored = [
    '# Platform team decisions',
    'x-common: &reviewed Reviewed by the platform team',
    'vulnerabilities:',
    '  - id: CVE-2019-0001 # first',
    '    statement: *reviewed',
    '    paths: &lockfiles',
    '      - "**/*-lock.json"',
    '  - id: CVE-2019-0002',
    '    paths: *lockfiles',
    '',
    'secrets: []',
    '',
  ].join('\n');

  it('adds an item after the last one with the file\'s indentation, keeping anchors and aliases', () => {
    assert.equal(edit(anchored, 'yaml', { id: 'CVE-2024-1234', expires: '2025-06-30', reason: 'Not reachable: the parser is unused' }),
      anchored.replace('    paths: *lockfiles\n', '    paths: *lockfiles\n  - id: CVE-2024-1234\n    statement: "Not reachable: the parser is unused"\n    expired_at: 2025-06-30\n'));
  });

  it('updates the entry already present and keeps an anchor defined on the replaced value\'s key line', () => {
    assert.equal(edit(anchored, 'yaml', { id: 'CVE-2019-0001', expires: '2025-06-30', reason: 'Renewed after review' }),
      anchored.replace('    statement: *reviewed\n', '    statement: Renewed after review\n').replace('      - "**/*-lock.json"\n', '      - "**/*-lock.json"\n    expired_at: 2025-06-30\n'));
    const defining = 'vulnerabilities:\n  - id: CVE-1\n    statement: &why "Old"\n  - id: CVE-2\n    statement: *why\n';
    assert.equal(edit(defining, 'yaml', { id: 'CVE-1', reason: 'New' }), 'vulnerabilities:\n  - id: CVE-1\n    statement: &why New\n  - id: CVE-2\n    statement: *why\n');
  });

  it('turns an empty flow list into a block list and creates missing sections', () => {
    assert.equal(edit(anchored, 'yaml', { id: 'aws-access-key-id', section: 'secrets', reason: 'Test fixture' }),
      anchored.replace('secrets: []', 'secrets:\n  - id: aws-access-key-id\n    statement: Test fixture'));
    assert.equal(edit(anchored, 'yaml', { id: 'AVD-DS-0002', section: 'misconfigurations' }), `${anchored}misconfigurations:\n  - id: AVD-DS-0002\n`);
  });

  it('keeps CRLF and the file\'s own indentation (items not indented under the key)', () => {
    const text = 'vulnerabilities:\r\n- id: CVE-1\r\n  statement:\r\nmisconfigurations:\r\n';
    assert.equal(edit(text, 'yaml', { id: 'CVE-1', reason: 'r', expires: '2030-01-01' }), 'vulnerabilities:\r\n- id: CVE-1\r\n  statement: r\r\n  expired_at: 2030-01-01\r\nmisconfigurations:\r\n');
    assert.equal(edit(text, 'yaml', { id: 'DS-0002', section: 'misconfigurations', reason: 'r' }), `${text}- id: DS-0002\r\n  statement: r\r\n`);
  });

  it('edits the corpus YAML files without touching anything else', () => {
    const docs = corpus('docs-example.trivyignore.yaml');
    assert.equal(edit(docs, 'yaml', { id: 'CVE-2023-2650', expires: '2025-01-31', reason: 'Accept the risk' }),
      docs.replace('  - id: CVE-2023-2650\n', '  - id: CVE-2023-2650\n    statement: Accept the risk\n    expired_at: 2025-01-31\n'));
    const testdata = corpus('testdata.trivyignore.yaml');
    assert.equal(edit(testdata, 'yaml', { id: 'CVE-2019-0005', expires: '2027-01-01' }), testdata.replace('expired_at: 2023-01-01', 'expired_at: 2027-01-01'));
    assert.equal(edit(testdata, 'yaml', { id: 'BSD-3-Clause', section: 'licenses', reason: 'Permissive' }), `${testdata}  - id: BSD-3-Clause\n    statement: Permissive\n`);
    assert.deepEqual(addIgnoreEntry(testdata, 'yaml', { id: 'MIT', section: 'licenses' }), { ok: true, updated: true, edits: [] });
  });

  it('refuses to edit through an alias or a broken file', () => {
    assert.equal(addIgnoreEntry('base: &l []\nvulnerabilities: *l\n', 'yaml', { id: 'CVE-1' }).ok, false);
    assert.equal(addIgnoreEntry('vulnerabilities: [\n', 'yaml', { id: 'CVE-1' }).ok, false);
  });

  it('writes plain scalars only when they read back as the same string', () => {
    assert.equal(yamlScalar('Accept the risk'), 'Accept the risk');
    for (const s of ['yes', '2024-01-01', '12', 'a: b', 'x # y', '-dash', 'trailing ']) assert.equal(yamlScalar(s), JSON.stringify(s));
  });
});

describe('expiry and applying ignores', () => {
  it('takes today from HULLCHECK_TODAY when set, else the UTC date', () => {
    assert.equal(todayIso({ HULLCHECK_TODAY: '2031-05-06' }), '2031-05-06');
    assert.equal(todayIso({ HULLCHECK_TODAY: 'tomorrow' }, new Date('2024-03-01T23:30:00Z')), '2024-03-01');
    assert.equal(todayIso({}, new Date('2024-03-01T00:00:00Z')), '2024-03-01');
  });

  it('stops applying an entry on its expiry day, and never applies an unreadable date', () => {
    const p = parseTrivyignore('CVE-1 exp:2024-05-01\nCVE-2 exp:2024-02-30\nCVE-3\n');
    assert.deepEqual(activeEntries(p, '2024-04-30').map((e) => e.id), ['CVE-1', 'CVE-3']);
    assert.deepEqual(activeEntries(p, '2024-05-01').map((e) => e.id), ['CVE-3']);
  });

  it('matches YAML paths globs and purls, plain ids for every kind, and misconfigurations by ID or AVDID', async () => {
    assert.ok(pathGlob('**/*-lock.json').test('package-lock.json'));
    assert.ok(pathGlob('**/*-lock.json').test('a/b/yarn-lock.json'));
    assert.equal(pathGlob('app/*.json').test('app/x/y.json'), false);
    assert.ok(purlMatches('pkg:apk/alpine/libssl1.1', 'pkg:apk/alpine/libssl1.1@1.1.1c-r0?arch=x86_64'));
    assert.equal(purlMatches('pkg:apk/alpine/libssl1.1@9.9', 'pkg:apk/alpine/libssl1.1@1.1.1c-r0'), false);

    const alpine = await loadReport(path.join(CORPUS, 'trivy', 'reports', 'alpine-310.json'));
    assert.ok(alpine.ok);
    const yaml = parseTrivyignore('vulnerabilities:\n  - id: CVE-2019-1549\n    purls: ["pkg:apk/alpine/libssl1.1"]\nsecrets:\n  - id: CVE-2019-1551\n');
    const kept = applyIgnores(alpine.report, yaml.entries);
    // only the libssl1.1 entry of CVE-2019-1549 goes; CVE-2019-1551 is listed under secrets, so it stays
    assert.deepEqual(kept.vulnerabilities.map((v) => `${v.id} ${v.pkg}`), ['CVE-2019-1549 libcrypto1.1', 'CVE-2019-1551 libcrypto1.1', 'CVE-2019-1551 libssl1.1']);
    assert.equal(kept.ignored, 1);
    const plain = applyIgnores(alpine.report, parseTrivyignore('CVE-2019-1551\n').entries);
    assert.equal(plain.vulnerabilities.length, 2);

    const policies = await loadReport(path.join(CORPUS, 'trivy', 'reports', 'dockerfile-custom-policies.json'));
    assert.ok(policies.ok);
    assert.equal(applyIgnores(policies.report, parseTrivyignore('misconfigurations:\n  - id: AVD-FOO-0001\n').entries).misconfigurations.length, 1);
  });
});

describe('trivyignore-expired with a pinned today', () => {
  it('follows HULLCHECK_TODAY: the same entry is fine the day before and expired on its date', async () => {
    const { lintFile } = await import('../../server/src/engine/lintFile');
    const { nodeHost } = await import('../../server/src/core/fileHost');
    const lintOn = async (today: string) => {
      const saved = process.env.HULLCHECK_TODAY;
      process.env.HULLCHECK_TODAY = today;
      try {
        const r = await lintFile('/nonexistent/.trivyignore', 'CVE-1 exp:2024-05-01 # waiting for 2.0\n', { host: nodeHost });
        return r.findings.filter((f) => f.rule === 'trivyignore-expired').map((f) => f.message);
      } finally {
        if (saved === undefined) delete process.env.HULLCHECK_TODAY; else process.env.HULLCHECK_TODAY = saved;
      }
    };
    assert.deepEqual(await lintOn('2024-04-30'), []);
    assert.deepEqual(await lintOn('2024-05-01'), ['The ignore entry for `CVE-1` expired on 2024-05-01, so Trivy reports it again; fix the finding, or renew the date with a reason.']);
  });
});
