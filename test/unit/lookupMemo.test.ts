// One analysis's remembered disk lookups (core/fileHost.ts memoizedLookups): each question is asked once, a path below
// a folder that does not resolve is not asked at all, and an analysis through it finds exactly what one through the
// disk finds, confinement notices included, on every corpus Dockerfile in its own folder and on links out of the project.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoizedLookups, nodeHost, type FileHost } from '../../server/src/core/fileHost';
import { lintFile } from '../../server/src/engine/lintFile';
import { FILE_NOT_READ_RULE } from '../../server/src/core/findings';
import { corpusDockerfiles, CORPUS } from '../bench/corpus';

function counting(inner: FileHost): FileHost & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    read: (f, k, o) => { asked.push(`read ${f}`); return inner.read(f, k, o); },
    kind: (f, o) => { asked.push(`kind ${f}`); return inner.kind(f, o); },
    realpath: (f) => { asked.push(`realpath ${f}`); return inner.realpath!(f); },
    list: (d) => { asked.push(`list ${d}`); return inner.list!(d); },
  };
}

async function lintWith(host: FileHost, file: string, workspaceFolder: string) {
  const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host, enableAll: true, workspaceFolder });
  return { findings: r.findings, configProblems: r.configProblems, configFiles: r.configFiles };
}

describe('remembered lookups of one analysis', () => {
  it('asks each question once, never below a folder that does not resolve, and reads every time', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-memo-')));
    fs.writeFileSync(path.join(dir, 'a'), 'x');
    const inner = counting(nodeHost);
    const host = memoizedLookups(inner);
    for (let i = 0; i < 3; i++) {
      assert.equal(await host.kind(path.join(dir, 'a')), 'file');
      assert.equal(await host.realpath!(path.join(dir, 'a')), path.join(dir, 'a'));
      assert.equal(await host.realpath!(path.join(dir, 'gone')), undefined);
      assert.equal(await host.realpath!(path.join(dir, 'gone', 'deeper', 'file')), undefined);
      assert.deepEqual(await host.list!(dir), ['a']);
      assert.equal((await host.read(path.join(dir, 'a'), 'other')).ok, true);
    }
    const names = await host.list!(dir);
    names!.push('changed by a caller');
    assert.deepEqual(await host.list!(dir), ['a'], 'each caller gets its own copy of a listing');
    assert.deepEqual(inner.asked.filter((q) => !q.startsWith('read')).sort(), [
      `kind ${dir}/a`, `list ${dir}`, `realpath ${dir}/a`, `realpath ${dir}/gone`,
    ]);
    assert.equal(inner.asked.filter((q) => q.startsWith('read')).length, 3, 'reads are not remembered');
  });

  it('the kind of a path is asked again when the caller chose the path itself', async () => {
    const seen: string[] = [];
    const host = memoizedLookups({ read: nodeHost.read, kind: async (f, o) => { seen.push(`${f}${o?.userChosen ? ' (chosen)' : ''}`); return 'file'; } });
    await host.kind('/x');
    await host.kind('/x', { userChosen: true });
    await host.kind('/x');
    assert.deepEqual(seen, ['/x', '/x (chosen)']);
  });

  it('finds the same as the disk on every corpus Dockerfile in its own folder', async () => {
    const files = corpusDockerfiles();
    assert.ok(files.length > 400, 'the corpus is there');
    for (const { file } of files) {
      const folder = path.join(CORPUS, 'dockerfiles', path.relative(path.join(CORPUS, 'dockerfiles'), file).split(path.sep)[0]);
      const memo = await lintWith(memoizedLookups(nodeHost), file, folder);
      const disk = await lintWith(nodeHost, file, folder);
      assert.deepEqual(memo, disk, file);
    }
  });

  it('finds the build context where the same names are missing in one folder and present in the one above', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-memo-')));
    fs.mkdirSync(path.join(root, '.git'));
    fs.mkdirSync(path.join(root, 'svc'));
    fs.writeFileSync(path.join(root, 'main.py'), 'print(1)\n');
    fs.writeFileSync(path.join(root, '.dockerignore'), 'main.py\n');
    fs.writeFileSync(path.join(root, 'svc', 'Dockerfile'), 'FROM python:3.12-slim\nCOPY main.py /app/\nCMD ["python", "/app/main.py"]\n');
    const file = path.join(root, 'svc', 'Dockerfile');
    const memo = await lintWith(memoizedLookups(nodeHost), file, root);
    assert.deepEqual(memo, await lintWith(nodeHost, file, root));
    assert.ok(memo.findings.some((f) => f.rule === 'copy-ignored-file'), 'the context above was found through its main.py');
  });

  it('keeps a link out of the project out, with the same notice', async () => {
    const outer = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-memo-')));
    const root = path.join(outer, 'project');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(path.join(outer, 'private'));
    fs.writeFileSync(path.join(outer, 'private', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
    fs.symlinkSync(path.join(outer, 'private'), path.join(root, 'keys'));
    fs.writeFileSync(path.join(root, '.dockerignore'), '.git\n');
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM alpine:3.20\nCOPY keys/id_rsa /root/.ssh/id_rsa\nCOPY keys/missing/deeper /x\nCOPY gone/a gone/b /y/\n');
    const file = path.join(root, 'Dockerfile');
    const memo = await lintWith(memoizedLookups(nodeHost), file, root);
    assert.deepEqual(memo, await lintWith(nodeHost, file, root));
    const notices = memo.findings.filter((f) => f.rule === FILE_NOT_READ_RULE).map((f) => f.message);
    assert.ok(notices.some((m) => m.includes('keys/id_rsa') && m.includes('outside the project')), JSON.stringify(notices));
  });
});
