// ShellCheck results kept between CLI runs in ~/.cache/hullcheck-shellcheck/results: one small JSON file per script, keyed
// by a hash of the ShellCheck version, its arguments and the script. Entries are written atomically, an unreadable
// or malformed entry counts as a miss, and the folder is pruned to a bounded number of entries.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/atomicWrite';

/** One ShellCheck comment on a script, as its JSON output gives it (and as the cache stores it). */
export interface ScComment {
  line: number; column: number; endLine: number; endColumn: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
}

/** The default folder: $XDG_CACHE_HOME or ~/.cache, then hullcheck-shellcheck/results (beside any cached binaries). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'hullcheck-shellcheck', 'results');
}

const LEVELS = new Set(['error', 'warning', 'info', 'style']);
const MAX_ENTRY_BYTES = 256 * 1024;

/** At most `n` of these operations at once, so a large run never holds more than a few file descriptors here. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try { return await fn(); } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class ShellcheckDiskCache {
  private readonly io = new Limiter(8);
  private readonly writes = new Set<Promise<void>>();
  private written = 0;
  private ready?: Promise<boolean>;

  constructor(readonly dir: string, private readonly maxEntries = 50_000) {}

  /** The key of a script under one ShellCheck version and argument list. */
  static key(version: string, args: string[], input: string): string {
    return createHash('sha256').update(JSON.stringify([1, version, args])).update('\0').update(input).digest('hex');
  }

  async get(key: string): Promise<ScComment[] | undefined> {
    return this.io.run(async () => {
      try {
        const file = this.file(key);
        if ((await stat(file)).size > MAX_ENTRY_BYTES) return undefined;
        return validComments(JSON.parse(await readFile(file, 'utf8')));
      } catch { return undefined; }
    });
  }

  /** Store in the background; flush() waits for every write. A failed write only costs a later miss. */
  set(key: string, comments: ScComment[]): void {
    const p = this.io.run(async () => {
      if (!(await this.prepare())) return;
      await writeFileAtomic(this.file(key), JSON.stringify(comments), { sync: false });
      this.written++;
    }).catch(() => undefined).finally(() => this.writes.delete(p));
    this.writes.add(p);
  }

  /** Wait for pending writes, then prune the oldest entries when the folder holds more than the limit. */
  async flush(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes]);
    if (this.written === 0) return;
    this.written = 0;
    try {
      const names = (await readdir(this.dir)).filter((n) => /^[0-9a-f]{64}\.json$/.test(n));
      if (names.length <= this.maxEntries) return;
      const aged = await Promise.all(names.map((n) => this.io.run(async () => ({ n, t: (await stat(path.join(this.dir, n)).catch(() => undefined))?.mtimeMs ?? 0 }))));
      aged.sort((a, b) => a.t - b.t);
      // down to 80% of the limit, so pruning does not run again on the next few runs
      for (const { n } of aged.slice(0, names.length - Math.floor(this.maxEntries * 0.8))) await this.io.run(() => unlink(path.join(this.dir, n)).catch(() => undefined));
    } catch { /* a cache that cannot be listed is simply not pruned */ }
  }

  private prepare(): Promise<boolean> {
    return (this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => true, () => false));
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}

/** The comments of an entry when every one has the shape ShellCheck gives; anything else is not trusted. */
function validComments(v: unknown): ScComment[] | undefined {
  if (!Array.isArray(v)) return undefined;
  for (const c of v) {
    if (!c || typeof c !== 'object') return undefined;
    const o = c as Record<string, unknown>;
    for (const k of ['line', 'column', 'endLine', 'endColumn', 'code']) if (!Number.isInteger(o[k])) return undefined;
    if (typeof o.message !== 'string' || !LEVELS.has(o.level as string)) return undefined;
  }
  return v as ScComment[];
}
