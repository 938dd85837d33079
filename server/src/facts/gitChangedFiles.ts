// `lint --changed-since REF`: the files git reports as changed for a pull request, that is those changed on this
// branch since it left REF (`REF...HEAD`), plus uncommitted and untracked (not ignored) files.
// git is found through absolute PATH entries outside the repository only, so a project cannot plant its own `git`.

import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { resolveExecutable } from '../core/executables';
import { repositoryRoot } from '../core/projectScope';

function git(bin: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 60_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args[0]} failed: ${(stderr || err.message).trim().split('\n')[0]}`));
      else resolve(stdout);
    });
  });
}

/** Absolute paths of the existing files changed since `ref`, sorted; rejects with git's own message on a bad ref. */
export async function changedFiles(ref: string, cwd: string = process.cwd()): Promise<string[]> {
  if (ref.startsWith('-')) throw new Error(`--changed-since needs a git revision, got '${ref}'`);
  const bin = await resolveExecutable('git', { untrustedRoots: [(await repositoryRoot(cwd)) ?? cwd] });
  if (!bin) throw new Error('--changed-since needs git, which was not found on PATH');
  const top = (await git(bin, ['rev-parse', '--show-toplevel'], cwd)).trim();
  const lists = await Promise.all([
    git(bin, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', `${ref}...HEAD`, '--'], top),
    git(bin, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', 'HEAD', '--'], top),
    git(bin, ['ls-files', '--others', '--exclude-standard', '-z'], top),
  ]);
  const names = new Set(lists.flatMap((l) => l.split('\0').filter(Boolean)));
  return [...names].map((n) => path.join(top, n)).sort();
}
