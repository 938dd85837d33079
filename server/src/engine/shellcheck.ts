// Runs the external `shellcheck` binary off the keystroke path: scripts are batched into one process per call
// (temp files), results are cached by script text, a failing batch falls back to one process per script so a
// crash or timeout loses only that script's comments, and an AbortSignal kills whatever is still running.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants as FS } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ScComment {
  line: number; column: number; endLine: number; endColumn: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
}

export interface RunnerOptions {
  /** A path or command name; default `shellcheck` looked up on PATH. */
  binary?: string;
  /** Per-process limit in milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Processes at once when scripts run one by one (default 4). */
  concurrency?: number;
  /** Cached scripts kept (default 1000). */
  cacheSize?: number;
  log?: (message: string) => void;
  /** Environment for the PATH lookup (tests). */
  env?: NodeJS.ProcessEnv;
}

/** Codes hadolint leaves out, plus `source` of files that live in the image and cannot be followed. */
export const EXCLUDED = [2187, 1090, 1091];

class Failure extends Error {}

export class ShellcheckRunner {
  /** Processes started so far (tests count them to prove the cache works). */
  spawns = 0;
  private readonly cache = new Map<string, ScComment[]>();
  private binaryPath?: Promise<string | undefined>;
  private tmpDir?: Promise<string>;
  private batch = 0;

  constructor(private readonly opts: RunnerOptions = {}) {}

  /** The binary to run, or undefined (logged once) when there is none. */
  binary(): Promise<string | undefined> {
    return (this.binaryPath ??= this.locate());
  }

  private async locate(): Promise<string | undefined> {
    const env = this.opts.env ?? process.env;
    const wanted = this.opts.binary?.trim() || 'shellcheck';
    const exts = process.platform === 'win32' ? ['', '.exe', '.cmd'] : [''];
    const candidates = /[\\/]/.test(wanted)
      ? [path.resolve(wanted)]
      : (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean).flatMap((d) => exts.map((e) => path.join(d, wanted + e)));
    for (const c of candidates) {
      try { await access(c, FS.X_OK); return c; } catch { /* next */ }
    }
    this.opts.log?.(`ShellCheck (${wanted}) was not found${/[\\/]/.test(wanted) ? '' : ' on PATH'}; RUN scripts are not checked with it.`);
    return undefined;
  }

  /**
   * Comments for each input (by index); undefined where ShellCheck failed on that script.
   * Rejects only when the signal aborts.
   */
  async check(inputs: string[], signal?: AbortSignal): Promise<(ScComment[] | undefined)[]> {
    const bin = await this.binary();
    if (!bin) return inputs.map(() => []);
    const keys = inputs.map((i) => createHash('sha1').update(i).digest('hex'));
    const results = new Map<string, ScComment[] | undefined>();
    const todo = new Map<string, string>();
    keys.forEach((k, i) => {
      const hit = this.cache.get(k);
      if (hit) { this.cache.delete(k); this.cache.set(k, hit); results.set(k, hit); } else todo.set(k, inputs[i]);
    });
    if (todo.size > 0) {
      const fresh = await this.runMany(bin, [...todo], signal);
      for (const [k, v] of fresh) {
        results.set(k, v);
        if (v) this.remember(k, v);
      }
    }
    return keys.map((k) => results.get(k));
  }

  private remember(key: string, value: ScComment[]): void {
    this.cache.set(key, value);
    const max = this.opts.cacheSize ?? 1000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async runMany(bin: string, items: [string, string][], signal?: AbortSignal): Promise<Map<string, ScComment[] | undefined>> {
    const out = new Map<string, ScComment[] | undefined>();
    if (items.length > 1) {
      // one process for the lot is several times cheaper than one per script
      const dir = await (this.tmpDir ??= mkdtemp(path.join(os.tmpdir(), 'hullcheck-sc-')));
      const files = items.map((_, i) => path.join(dir, `${process.pid}-${++this.batch}-${i}.sh`));
      try {
        await Promise.all(items.map(([, input], i) => writeFile(files[i], input)));
        const comments = await this.exec(bin, files, undefined, signal);
        const byFile = new Map<string, ScComment[]>(files.map((f) => [f, []]));
        for (const c of comments) byFile.get((c as { file?: string }).file ?? '')?.push(c);
        items.forEach(([k], i) => out.set(k, byFile.get(files[i])!));
        return out;
      } catch (e) {
        if (signal?.aborted) throw e;
        this.opts.log?.(`ShellCheck failed on a batch of ${items.length} scripts (${(e as Error).message}); checking them one by one.`);
      } finally {
        void Promise.all(files.map((f) => rm(f, { force: true }))).catch(() => undefined);
      }
    }
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const [k, input] = items[next++];
        try {
          out.set(k, await this.exec(bin, ['-'], input, signal));
        } catch (e) {
          if (signal?.aborted) throw e;
          this.opts.log?.(`ShellCheck failed on one RUN script (${(e as Error).message}); its ShellCheck findings are skipped.`);
          out.set(k, undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 4, items.length) }, worker));
    return out;
  }

  /** One ShellCheck process; resolves with its comments, rejects on crash, garbage output, timeout or abort. */
  private exec(bin: string, files: string[], stdin: string | undefined, signal?: AbortSignal): Promise<ScComment[]> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(new Error('aborted')); return; }
      this.spawns++;
      const args = ['--norc', '-f', 'json1', '-e', EXCLUDED.map((c) => `SC${c}`).join(','), ...files];
      const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      let stdout = '';
      let stderr = '';
      let settled = false;
      const finish = (err: Error | undefined, value?: ScComment[]) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) { child.kill('SIGKILL'); reject(err); } else resolve(value!);
      };
      const onAbort = () => finish(new Error('aborted'));
      const timer = setTimeout(() => finish(new Failure(`timed out after ${this.opts.timeoutMs ?? 10000} ms`)), this.opts.timeoutMs ?? 10000);
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      child.on('error', (e) => finish(new Failure(e.message)));
      child.stdin.on('error', () => undefined); // a child that exits early closes its stdin
      child.on('close', (code) => {
        // 0: clean, 1: comments; anything else is a failure of ShellCheck itself
        if (code !== 0 && code !== 1) { finish(new Failure(`exit code ${code}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`)); return; }
        try {
          const parsed = JSON.parse(stdout) as { comments?: ScComment[] };
          if (!parsed || !Array.isArray(parsed.comments)) throw new Error('no comments array');
          finish(undefined, parsed.comments);
        } catch {
          finish(new Failure('unreadable output'));
        }
      });
      child.stdin.end(stdin ?? '');
    });
  }

  /** Remove the temp folder (tests, server shutdown). */
  async dispose(): Promise<void> {
    const dir = await this.tmpDir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
