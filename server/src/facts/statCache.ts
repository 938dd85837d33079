// Facts derived from files found by scanning folders (compose files that build a Dockerfile, files that include a
// compose file), kept per file while its size and modification time are unchanged: scans run on every lint.

import { statSync } from 'node:fs';

export class StatCache<T> {
  private readonly entries = new Map<string, { key: string; value: Promise<T> }>();
  constructor(private readonly maxEntries: number, private readonly maxBytes: number) {}

  /** The value for `file`, computed again only when the file changed; `empty` for missing, non-regular or oversized files. */
  async get(file: string, empty: T, compute: () => Promise<T>): Promise<T> {
    let key: string;
    try {
      // one system call on every lint, made directly: a missing file (the common case) builds no exception
      const s = statSync(file, { throwIfNoEntry: false });
      if (!s || !s.isFile() || s.size > this.maxBytes) return empty;
      key = `${s.size}:${s.mtimeMs}`;
    } catch { return empty; }
    const hit = this.entries.get(file);
    if (hit?.key === key) return hit.value;
    // the computation is shared while under way: files linted side by side scan the same compose files once
    const value = compute();
    this.entries.delete(file);
    this.entries.set(file, { key, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => { if (this.entries.get(file)?.value === value) this.entries.delete(file); });
    return value;
  }
}
