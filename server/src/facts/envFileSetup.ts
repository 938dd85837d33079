// Why a missing `env_file` is the usual setup step rather than a defect: each machine makes it, and the project says
// how. A template beside it (`.env.example`, `app.env.sample`), a `.gitignore` that keeps it out of the repository,
// Portainer's `stack.env` (written from the stack's variables) or a README beside the compose file (or above it, up
// to the repository root) that names the file.

import * as path from 'node:path';
import ignore from 'ignore';
import type { FileHost } from '../core/fileHost';

/** Suffixes of the template an env file is made from (`.env.example` for `.env`). */
const ENV_TEMPLATE_SUFFIXES = ['.example', '.sample', '.template', '.dist', '.defaults', '.tmpl'];
const READMES = ['README.md', 'readme.md', 'README.rst', 'README.txt', 'README'];

export type EnvFileSetup =
  | { kind: 'template'; template: string }
  | { kind: 'portainer' }
  | { kind: 'gitignored'; file: string }
  | { kind: 'readme'; file: string };

/**
 * Whether `text` names the file `name` as a word of its own: not inside a longer name (`app.env` in `myapp.env` or
 * `.env` in `.env.local`).
 */
export function mentionsFile(text: string, name: string): boolean {
  const word = (c: string | undefined) => c !== undefined && /[\w-]/.test(c);
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1], after = text[at + name.length];
    if (word(before) || before === '.') continue;
    if (word(after) || (after === '.' && word(text[at + name.length + 1]))) continue;
    return true;
  }
  return false;
}

async function text(host: FileHost, file: string): Promise<string | undefined> {
  const r = await host.read(file, 'ignore', { quiet: true });
  return r.ok ? r.text : undefined;
}

/**
 * How the missing env file `abs` is made, or undefined when nothing says so. `folders` are the compose file's folder
 * and those above it up to the repository root, nearest first.
 */
export async function envFileSetup(host: FileHost, abs: string, folders: string[]): Promise<EnvFileSetup | undefined> {
  for (const suffix of ENV_TEMPLATE_SUFFIXES) {
    if (await host.kind(abs + suffix, { quiet: true }) === 'file') return { kind: 'template', template: path.basename(abs) + suffix };
  }
  const name = path.basename(abs);
  if (name === 'stack.env') return { kind: 'portainer' };
  const up = [path.dirname(abs), ...folders.filter((f) => !path.relative(f, path.dirname(abs)).startsWith('..') && f !== path.dirname(abs))];
  for (const dir of up) {
    const t = await text(host, path.join(dir, '.gitignore'));
    if (t === undefined) continue;
    const rel = path.relative(dir, abs).split(path.sep).join('/');
    if (ignore().add(t).ignores(rel)) return { kind: 'gitignored', file: path.join(dir, '.gitignore') };
  }
  for (const dir of [...new Set([...folders, ...up])]) {
    for (const r of READMES) {
      const t = await text(host, path.join(dir, r));
      if (t !== undefined && mentionsFile(t, name)) return { kind: 'readme', file: path.join(dir, r) };
    }
  }
  return undefined;
}
