// One implementation per concept: the repository root (the project boundary, the trust boundary for executables,
// the top of the gitignore files, the top of the build-context search) is found by one function, and every walk of
// the workspace skips the same folders.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { holdsRepository, projectScope, repositoryRoot } from '../../server/src/core/projectScope';
import { nodeHost } from '../../server/src/core/fileHost';
import { discover } from '../../server/src/facts/discoverFiles';
import { findLintableFiles } from '../../server/src/features/workspaceFindings';
import { tempTree } from '../helpers';

const DOCKERFILE = 'FROM alpine:3.20\n';

describe('repositoryRoot', () => {
  it('finds the nearest folder holding .git, a folder or a worktree file', async () => {
    const dir = tempTree({ 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/a/b/Dockerfile': DOCKERFILE, 'repo/wt/.git': 'gitdir: ../.git/worktrees/wt\n', 'repo/wt/c/Dockerfile': DOCKERFILE });
    assert.equal(await repositoryRoot(path.join(dir, 'repo/a/b')), path.join(dir, 'repo'));
    assert.equal(await repositoryRoot(path.join(dir, 'repo')), path.join(dir, 'repo'));
    assert.equal(await repositoryRoot(path.join(dir, 'repo/wt/c')), path.join(dir, 'repo/wt'));
    assert.equal(await holdsRepository(path.join(dir, 'repo/wt')), true);
    assert.equal(await holdsRepository(path.join(dir, 'repo/a')), false);
  });

  it('finds none outside a repository, or above the folder that bounds the search', async () => {
    const dir = tempTree({ 'plain/x/Dockerfile': DOCKERFILE, 'repo/.git/HEAD': '', 'repo/ws/x/Dockerfile': DOCKERFILE });
    // the temp folder holds no repository (a .git above it would make this test meaningless)
    if (await repositoryRoot(path.dirname(dir))) return;
    assert.equal(await repositoryRoot(path.join(dir, 'plain/x')), undefined);
    assert.equal(await repositoryRoot(path.join(dir, 'repo/ws/x'), nodeHost, path.join(dir, 'repo/ws')), undefined);
    assert.equal(await repositoryRoot(path.join(dir, 'repo/ws/x'), nodeHost, path.join(dir, 'elsewhere')), path.join(dir, 'repo'));
  });

  it('bounds the project as before: the workspace folder first, a repository below it next', async () => {
    const dir = tempTree({ 'ws/.git/HEAD': '', 'ws/sub/.git': 'gitdir: x\n', 'ws/sub/x/Dockerfile': DOCKERFILE, 'ws/y/Dockerfile': DOCKERFILE });
    const ws = path.join(dir, 'ws');
    assert.deepEqual(await projectScope(nodeHost, path.join(ws, 'sub/x'), ws), { root: ws, stop: path.join(ws, 'sub') });
    assert.deepEqual(await projectScope(nodeHost, path.join(ws, 'y'), ws), { root: ws, stop: ws });
    assert.deepEqual(await projectScope(nodeHost, path.join(ws, 'sub/x')), { root: path.join(ws, 'sub'), stop: path.join(ws, 'sub') });
  });
});

describe('skipped folders', () => {
  const tree = {
    'Dockerfile': DOCKERFILE,
    'app/Dockerfile': DOCKERFILE,
    'target/docker/Dockerfile': DOCKERFILE,
    '.pytest_cache/Dockerfile': DOCKERFILE,
    'node_modules/pkg/Dockerfile': DOCKERFILE,
    'dist-newstyle/Dockerfile': DOCKERFILE,
    '.venv/lib/Dockerfile': DOCKERFILE,
  };

  it('the CLI walk and the editor walk skip the same folders and keep the same files', async () => {
    const dir = tempTree(tree);
    fs.writeFileSync(path.join(dir, '.gitignore'), ''); // nothing left out by git rules: only the skip list decides
    const cli = (await discover([dir])).files.map((f) => path.relative(dir, path.resolve(f))).sort();
    const editor = (await findLintableFiles(dir)).files.map((f) => path.relative(dir, f)).sort();
    assert.deepEqual(cli, ['Dockerfile', 'app/Dockerfile']);
    assert.deepEqual(editor, cli);
  });
});
