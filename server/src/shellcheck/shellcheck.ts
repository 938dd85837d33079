// Runs the external `shellcheck` binary off the keystroke path. Scripts from every caller are queued and run in
// batches (temp files, many scripts per process) by a small pool of processes, so a whole CLI run takes a few
// processes and bounded file descriptors. Results are cached by script (in memory, and on disk when asked); a
// failing batch falls back to one process per script so a crash loses only that script's comments; an
// AbortSignal kills whatever of its own is still running.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { resolveShellcheck, type ResolveOptions } from '../core/executables';
import { ShellcheckDiskCache, type ScComment } from './shellcheckCache';
import { killOnExit, makeTempDir, removeTempDir } from '../core/tempDirs';

export interface RunnerOptions {
  /** An absolute path (a user's machine setting) or a command name; default `shellcheck`, the newest on PATH. */
  binary?: string;
  /** Per-process limit in milliseconds for one script (default 10 s); a batch gets more with its size. */
  timeoutMs?: number;
  /** Processes at once (default 2). */
  concurrency?: number;
  /** Scripts per process at most (default 400). */
  batchSize?: number;
  /** Cached scripts kept in memory (default 1000). */
  cacheSize?: number;
  /** A folder for results kept between runs (the CLI's ~/.cache/hullcheck-shellcheck/results); none by default. */
  cacheDir?: string;
  log?: (message: string) => void;
  /** Environment for the PATH lookup (tests). */
  env?: NodeJS.ProcessEnv;
  /** Folders whose PATH entries are not trusted (the workspace). */
  untrustedRoots?: () => string[];
  /**
   * Gather scripts into full batches until release() (the CLI, which queues every file's scripts in one go);
   * otherwise a batch starts as soon as a process slot is free (the editor).
   */
  gather?: boolean;
}

/** Codes hadolint leaves out, plus `source` of files that live in the image and cannot be followed. */
export const EXCLUDED = [2187, 1090, 1091];
const ARGS = ['--norc', '-f', 'json1', '-e', EXCLUDED.map((c) => `SC${c}`).join(',')];

class Failure extends Error {
  /** The process never ran (spawn refused: missing binary, EMFILE, EAGAIN): running each script alone would fail too. */
  constructor(message: string, readonly notStarted = false) { super(message); }
}

interface Job { key: string; input: string; signal?: AbortSignal; done: (v: ScComment[] | undefined, e?: Error) => void }

export class ShellcheckRunner {
  /** Processes started so far (tests count them to prove the cache and the batching work). */
  spawns = 0;
  /** Scripts ShellCheck failed on (crash, timeout, refused spawn); the CLI turns any into an internal-failure exit. */
  failed = 0;
  private readonly cache = new Map<string, ScComment[]>();
  private readonly inflight = new Map<string, Promise<ScComment[] | undefined>>();
  private readonly queue: Job[] = [];
  private running = 0;
  private scheduled = false;
  private resolved?: Promise<{ path: string; version: string } | undefined>;
  private disk?: ShellcheckDiskCache;
  private tmpDir?: Promise<string>;
  private batch = 0;
  private gathering: boolean;
  /** Scripts still being looked up in the disk cache: they join the queue soon, so a partial batch waits for them. */
  private lookingUp = 0;

  constructor(private readonly opts: RunnerOptions = {}) {
    this.gathering = !!opts.gather;
  }

  /** Every script is queued: run what is left, spread over the free processes. */
  release(): void {
    this.gathering = false;
    this.schedule();
  }

  /** The binary to run, or undefined (logged once) when there is none. */
  async binary(): Promise<string | undefined> {
    return (await this.locate())?.path;
  }

  /** ShellCheck's version, or undefined without a binary. */
  async version(): Promise<string | undefined> {
    return (await this.locate())?.version;
  }

  private locate(): Promise<{ path: string; version: string } | undefined> {
    return (this.resolved ??= (async () => {
      const wanted = this.opts.binary?.trim() || 'shellcheck';
      const explicit = /[\\/]/.test(wanted);
      const r: ResolveOptions = { env: this.opts.env, untrustedRoots: this.opts.untrustedRoots?.() };
      const found = await resolveShellcheck(wanted, { ...r, needVersion: !!this.opts.cacheDir });
      if (!found) this.opts.log?.(`ShellCheck (${wanted}) was not found${explicit ? '' : ' on PATH'}; RUN scripts are not checked with it.`);
      // results are kept between runs only when the version is known, so an upgrade never reuses old results
      else if (this.opts.cacheDir && found.version !== 'unknown') this.disk = new ShellcheckDiskCache(this.opts.cacheDir);
      return found;
    })());
  }

  /**
   * Comments for each input (by index); undefined where ShellCheck failed on that script.
   * Rejects only when the signal aborts.
   */
  async check(inputs: string[], signal?: AbortSignal): Promise<(ScComment[] | undefined)[]> {
    const found = await this.locate();
    if (!found) return inputs.map(() => []);
    if (signal?.aborted) throw new Error('aborted');
    const keys = inputs.map((i) => (this.disk ? ShellcheckDiskCache.key(found.version, ARGS, i) : createHash('sha1').update(i).digest('hex')));
    const pending = keys.map((k, i) => this.lookup(k, inputs[i], signal));
    if (!signal) return Promise.all(pending);
    // an abort answers at once; the processes of this caller are killed by the batch that owns them
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      Promise.all(pending).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private lookup(key: string, input: string, signal?: AbortSignal): Promise<ScComment[] | undefined> {
    const hit = this.cache.get(key);
    if (hit) { this.cache.delete(key); this.cache.set(key, hit); return Promise.resolve(hit); }
    // the same script already on its way (another file, or the same one twice) is run once
    const shared = signal ? undefined : this.inflight.get(key);
    if (shared) return shared;
    const p = (async () => {
      let stored: ScComment[] | undefined;
      if (this.disk) {
        this.lookingUp++;
        try { stored = await this.disk.get(key); } finally { if (--this.lookingUp === 0) this.schedule(); }
      }
      if (stored) { this.remember(key, stored); return stored; }
      const v = await new Promise<ScComment[] | undefined>((resolve, reject) => {
        this.queue.push({ key, input, signal, done: (value, e) => (e ? reject(e) : resolve(value)) });
        this.schedule();
      });
      if (v) { this.remember(key, v); this.disk?.set(key, v); }
      return v;
    })();
    if (!signal) {
      this.inflight.set(key, p);
      void p.finally(() => this.inflight.delete(key)).catch(() => undefined);
    }
    return p;
  }

  private remember(key: string, value: ScComment[]): void {
    this.cache.set(key, value);
    const max = this.opts.cacheSize ?? 1000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Start batches once the current turn has queued what it will, so scripts of many files share a process. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => { this.scheduled = false; void this.pump(); });
  }

  private async pump(): Promise<void> {
    const found = await this.locate();
    const slots = this.opts.concurrency ?? 2;
    const full = this.opts.batchSize ?? 400;
    while (found && this.running < slots && this.queue.length && ((!this.gathering && this.lookingUp === 0) || this.queue.length >= full)) {
      // what is left is shared among the free processes, in parts worth a process of their own (50 scripts or more)
      const size = Math.min(full, Math.max(50, Math.ceil(this.queue.length / (slots - this.running))));
      // a batch holds one caller's signal (or none), so aborting one editor request never kills another's scripts
      const signal = this.queue[0].signal;
      const jobs: Job[] = [];
      for (let i = 0; i < this.queue.length && jobs.length < size;) {
        if (this.queue[i].signal === signal) jobs.push(...this.queue.splice(i, 1)); else i++;
      }
      const live = jobs.filter((j) => {
        if (j.signal?.aborted) { j.done(undefined, new Error('aborted')); return false; }
        return true;
      });
      if (!live.length) continue;
      this.running++;
      void this.runBatch(found.path, live, signal).finally(() => { this.running--; this.schedule(); });
    }
  }

  private async runBatch(bin: string, jobs: Job[], signal?: AbortSignal): Promise<void> {
    try {
      const results = await this.runMany(bin, jobs, signal);
      jobs.forEach((j, i) => j.done(results[i]));
    } catch (e) {
      for (const j of jobs) j.done(undefined, e as Error);
    }
  }

  private async runMany(bin: string, jobs: Job[], signal?: AbortSignal): Promise<(ScComment[] | undefined)[]> {
    let reason: Failure | undefined;
    if (jobs.length > 1) {
      // one process for the lot is several times cheaper than one per script
      const files: string[] = [];
      try {
        // the pid in the name tells whose folder it is in a shared temp folder
        const dir = await (this.tmpDir ??= makeTempDir(`hullcheck-sc-${process.pid}-`));
        const id = ++this.batch;
        // one file at a time: a batch of hundreds never holds hundreds of descriptors
        for (const [i, j] of jobs.entries()) {
          const f = path.join(dir, `${id}-${i}.sh`);
          files.push(f);
          await writeFile(f, j.input);
        }
        const comments = await this.runProcess(bin, files, undefined, signal, jobs.length);
        const byFile = new Map<string, ScComment[]>(files.map((f) => [f, []]));
        for (const c of comments) byFile.get((c as { file?: string }).file ?? '')?.push(c);
        return files.map((f) => byFile.get(f)!);
      } catch (e) {
        if (signal?.aborted) throw e;
        reason = e instanceof Failure ? e : new Failure((e as Error).message, true);
        this.opts.log?.(`ShellCheck failed on a batch of ${jobs.length} scripts (${reason.message}); ${reason.notStarted ? 'their ShellCheck findings are skipped' : 'checking them one by one'}.`);
      } finally {
        for (const f of files) await unlink(f).catch(() => undefined);
      }
    }
    // alone, one after the other in this pool slot; failures are reported in one line for the lot
    const out: (ScComment[] | undefined)[] = [];
    let lost = 0;
    let first: string | undefined;
    for (const j of jobs) {
      if (reason?.notStarted) { out.push(undefined); lost++; continue; }
      try {
        out.push(await this.runProcess(bin, ['-'], j.input, signal, 1));
      } catch (e) {
        if (signal?.aborted) throw e;
        out.push(undefined);
        lost++;
        first ??= (e as Error).message;
      }
    }
    this.failed += lost;
    if (first) this.opts.log?.(`ShellCheck failed on ${lost === 1 ? 'one RUN script' : `${lost} RUN scripts`} (${first}); ${lost === 1 ? 'its' : 'their'} ShellCheck findings are skipped.`);
    return out;
  }

  /** One ShellCheck process; resolves with its comments, rejects on a refused spawn, crash, garbage output, timeout or abort. */
  private runProcess(bin: string, files: string[], stdin: string | undefined, signal: AbortSignal | undefined, scripts: number): Promise<ScComment[]> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(new Error('aborted')); return; }
      this.spawns++;
      // generous for a batch: the limit catches a hung process, and a loaded machine may be slow
      const limit = (this.opts.timeoutMs ?? 10000) * Math.max(1, Math.ceil(scripts / 20));
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(bin, [...ARGS, ...files], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      } catch (e) {
        reject(new Failure((e as Error).message, true));
        return;
      }
      let stdout = '';
      let stderr = '';
      let settled = false;
      let started = false;
      const forget = killOnExit(child);
      const finish = (err: Error | undefined, value?: ScComment[]) => {
        if (settled) return;
        settled = true;
        forget();
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) { try { child.kill('SIGKILL'); } catch { /* already gone */ } reject(err); } else resolve(value!);
      };
      // the error listener comes first: a refused spawn (ENOENT, EMFILE, EAGAIN) is reported through it,
      // possibly without any stdio streams
      child.on('error', (e) => finish(new Failure(e.message, !started)));
      child.on('spawn', () => { started = true; });
      const onAbort = () => finish(new Error('aborted'));
      const timer = setTimeout(() => finish(new Failure(`timed out after ${limit} ms`)), limit);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!child.stdout || !child.stderr || !child.stdin) { finish(new Failure('no pipes to the process', true)); return; }
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      child.stdout.on('error', () => undefined);
      child.stderr.on('error', () => undefined);
      child.stdin.on('error', () => undefined); // a child that exits early closes its stdin
      child.on('close', (code, sig) => {
        // 0: clean, 1: comments; anything else is a failure of ShellCheck itself
        if (sig) { finish(new Failure(`killed by ${sig}`)); return; }
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

  /** Wait for cache writes and remove the temp folder (end of a CLI run, server shutdown, tests). */
  async dispose(): Promise<void> {
    await this.disk?.flush();
    const dir = await this.tmpDir?.catch(() => undefined);
    this.tmpDir = undefined;
    if (dir) await removeTempDir(dir);
  }
}
