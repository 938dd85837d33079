// The one place executables (shellcheck, docker, docker-compose, trivy) are found. Only absolute PATH entries
// outside the workspace count: a relative entry (`node_modules/.bin`, `.`, `bin`) or a folder inside the project
// would let a repository run its own program under a trusted name. For ShellCheck the newest version wins.

import { spawn } from 'node:child_process';
import { constants as FS } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface ResolveOptions {
  /** Folders whose content is the workspace's, not the machine's (workspace folders; the project for the CLI). */
  untrustedRoots?: string[];
  /** Environment whose PATH is searched (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/** PATH entries that may hold executables: absolute, existing, and not inside an untrusted root. */
export async function trustedPathEntries(opts: ResolveOptions = {}): Promise<string[]> {
  const env = opts.env ?? process.env;
  const raw = (env.PATH ?? env.Path ?? '').split(path.delimiter);
  const roots = await Promise.all((opts.untrustedRoots ?? []).map(real));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of raw) {
    if (!entry || !path.isAbsolute(entry)) continue;
    const dir = await real(entry);
    if (seen.has(dir) || roots.some((r) => inside(dir, r))) continue;
    seen.add(dir);
    out.push(entry);
  }
  return out;
}

/** Every trusted executable named `name`, in PATH order. A name with a slash must be an absolute path (a user setting). */
export async function executableCandidates(name: string, opts: ResolveOptions = {}): Promise<string[]> {
  const wanted = name.trim();
  if (!wanted) return [];
  if (/[\\/]/.test(wanted)) {
    // a relative path would resolve against the working folder, which is the workspace
    if (!path.isAbsolute(wanted)) return [];
    return (await isExecutable(wanted)) ? [wanted] : [];
  }
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd'] : [''];
  const found: string[] = [];
  for (const dir of await trustedPathEntries(opts)) {
    for (const e of exts) {
      const c = path.join(dir, wanted + e);
      if (await isExecutable(c)) { found.push(c); break; }
    }
  }
  return found;
}

/** The first trusted executable named `name`, or undefined. */
export async function resolveExecutable(name: string, opts: ResolveOptions = {}): Promise<string | undefined> {
  return (await executableCandidates(name, opts))[0];
}

/**
 * The newest ShellCheck among the trusted candidates (`--version` of each; 0.11 from pip may sit beside Debian's
 * 0.9). With `needVersion` false a single candidate is taken without asking it (version `unknown`).
 */
export async function resolveShellcheck(name: string, opts: ResolveOptions & { needVersion?: boolean } = {}): Promise<{ path: string; version: string } | undefined> {
  const candidates = await executableCandidates(name, opts);
  if (candidates.length === 1 && !opts.needVersion) return { path: candidates[0], version: 'unknown' };
  let best: { path: string; version: string } | undefined;
  for (const c of candidates) {
    const version = await shellcheckVersion(c);
    if (version === undefined) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { path: c, version };
  }
  // a user-named wrapper that does not answer `--version` is still what the user asked for
  return best ?? (candidates.length && /[\\/]/.test(name) ? { path: candidates[0], version: 'unknown' } : undefined);
}

/** `version: 0.9.0` from `shellcheck --version`, or undefined when it does not answer like ShellCheck within 3 s. */
export function shellcheckVersion(bin: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let out = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    } catch { resolve(undefined); return; }
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(undefined); }, 3000);
    child.on('error', () => { clearTimeout(timer); resolve(undefined); });
    child.stdout?.on('data', (d: Buffer) => { if (out.length < 4096) out += d.toString('utf8'); });
    child.on('close', (code) => { clearTimeout(timer); resolve(code === 0 ? /^version:\s*(\S+)/m.exec(out)?.[1] : undefined); });
  });
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, FS.X_OK);
    return true;
  } catch { return false; }
}

async function real(p: string): Promise<string> {
  return realpath(p).catch(() => path.resolve(p));
}

function inside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
