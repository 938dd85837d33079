// Which findings Hullcheck hides beside Container Tools and Docker DX (hullcheck.duplicates): exactly those the other
// extension reports too, judged against the real dockerfile-utils where Container Tools reports only part of a rule.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { validate, ValidationCode } from 'dockerfile-utils';
import { filterDuplicates } from '../../server/src/features/peerDuplicates';
import { lint, tempTree } from '../helpers';

const TEXT = [
  'FROM alpine:3.20',
  'MAINTAINER someone@example.com',
  'EXPOSE 8080:80',
  'EXPOSE 127.0.0.1:80:80',
  'EXPOSE 1.2.3.4:80/udp',
  'EXPOSE 9000-9001:90',
  'ARG PORT=80',
  'EXPOSE ${PORT}:80',
  'CMD ["true"]',
  '',
].join('\n');

const CT = { dockerDx: false, containerTools: true };
const exposeLines = (fs: { rule: string; range: { start: { line: number } } }[]) =>
  fs.filter((f) => f.rule === 'expose-invalid-format').map((f) => f.range.start.line);

test('beside Container Tools, an EXPOSE finding is hidden exactly where dockerfile-utils reports INVALID_PORT', async () => {
  const dir = tempTree({ Dockerfile: TEXT });
  const findings = await lint(path.join(dir, 'Dockerfile'), { text: TEXT });
  const all = exposeLines(findings);
  assert.deepEqual(all, [2, 3, 4, 5, 7], 'every EXPOSE with a colon is reported');
  const peer = validate(TEXT).filter((d) => d.code === ValidationCode.INVALID_PORT).map((d) => d.range.start.line);
  assert.deepEqual(peer, [3, 4], 'dockerfile-utils reports the IP forms only');
  const kept = filterDuplicates(findings, 'auto', CT, TEXT);
  assert.deepEqual(exposeLines(kept), all.filter((l) => !peer.includes(l)));
  assert.ok(!kept.some((f) => f.rule === 'maintainer-deprecated'), 'a fully shared rule is hidden');
  // without the text, a partly shared rule keeps its findings: shown twice rather than lost
  assert.deepEqual(exposeLines(filterDuplicates(findings, 'auto', CT)), all);
  // Docker DX runs BuildKit's ExposeInvalidFormat, which reports them all
  assert.deepEqual(exposeLines(filterDuplicates(findings, 'auto', { dockerDx: true, containerTools: false }, TEXT)), []);
  // no peer active: nothing hidden; `show`: nothing hidden; `hide`: as if both were active
  assert.equal(filterDuplicates(findings, 'auto', { dockerDx: false, containerTools: false }, TEXT).length, findings.length);
  assert.equal(filterDuplicates(findings, 'show', CT, TEXT).length, findings.length);
  assert.deepEqual(exposeLines(filterDuplicates(findings, 'hide', { dockerDx: false, containerTools: false }, TEXT)), []);
});

test('a code turned off in Container Tools\' settings is not hidden: nobody else reports it', async () => {
  const dir = tempTree({ Dockerfile: TEXT });
  const findings = await lint(path.join(dir, 'Dockerfile'), { text: TEXT });
  const has = (fs: { rule: string }[]) => fs.some((f) => f.rule === 'maintainer-deprecated');
  assert.ok(has(findings));
  assert.equal(has(filterDuplicates(findings, 'auto', CT, TEXT)), false);
  assert.equal(has(filterDuplicates(findings, 'auto', { ...CT, containerToolsOff: ['DEPRECATED_MAINTAINER'] }, TEXT)), true);
  // another code off changes nothing for it; Docker DX reports it whatever Container Tools does
  assert.equal(has(filterDuplicates(findings, 'auto', { ...CT, containerToolsOff: ['CASING_INSTRUCTION'] }, TEXT)), false);
  assert.equal(has(filterDuplicates(findings, 'auto', { dockerDx: true, containerTools: true, containerToolsOff: ['DEPRECATED_MAINTAINER'] }, TEXT)), false);
});
