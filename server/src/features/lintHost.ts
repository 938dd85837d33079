// The file host linting uses in the language server: open documents first, then the disk, with the configuration
// lookups (the upward search for .hullcheck.yaml / .hadolint.yaml and the .dockerignore next to a Dockerfile)
// remembered between keystrokes, so an edit does not repeat a dozen file reads that nearly always miss.

import * as path from 'node:path';
import { CONFIG_NAMES } from '../config/hullcheckConfig';
import { HADOLINT_NAMES } from '../config/hadolintConfig';
import { type FileHost } from '../core/fileHost';
import type { ReadResult } from '../core/fileHost';
import { userHadolintCandidates } from '../config/hadolintConfig';
import { BASELINE_FILE } from '../core/findingBaseline';

/**
 * How long a remembered read stays valid at most. Config and ignore files are watched (a change on disk drops
 * every remembered read at once, see `clear`); the bound covers clients that cannot watch files and the user-level
 * hadolint files outside the workspace.
 */
export const CONFIG_READ_TTL_MS = 3000;

const CONFIG_BASENAMES = new Set([...CONFIG_NAMES, ...HADOLINT_NAMES, BASELINE_FILE]);

/** Files whose reads may be remembered: configuration files by name, ignore files, user-level hadolint files. */
function isConfigLookup(file: string, userFiles: ReadonlySet<string>): boolean {
  const base = path.basename(file);
  return CONFIG_BASENAMES.has(base) || base === '.dockerignore' || base.endsWith('.dockerignore') || base === '.containerignore' || userFiles.has(file);
}

export class ConfigReadCache {
  private readonly reads = new Map<string, { at: number; text: Promise<ReadResult> }>();
  private readonly userFiles = new Set(userHadolintCandidates().map((f) => path.resolve(f)));
  /** The host to lint with: `inner` for everything, except that config lookups of files not open are remembered. */
  readonly host: FileHost;

  constructor(inner: FileHost, isOpen: (file: string) => boolean, now: () => number = () => performance.now()) {
    this.host = {
      read: (file, kind, opts) => {
        // an open document's text changes with every keystroke and is read from memory anyway
        if (isOpen(file) || !isConfigLookup(file, this.userFiles)) return inner.read(file, kind, opts);
        const t = now();
        const hit = this.reads.get(file);
        if (hit && t - hit.at < CONFIG_READ_TTL_MS) return hit.text;
        const text = inner.read(file, kind, opts);
        this.reads.set(file, { at: t, text });
        // a failed read (other than a missing file) is not remembered: the next lint tries again
        void text.then((r) => { if (!r.ok && r.reason !== 'missing' && this.reads.get(file)?.text === text) this.reads.delete(file); });
        return text;
      },
      kind: (file, opts) => inner.kind(file, opts),
      realpath: inner.realpath ? (file) => inner.realpath!(file) : undefined,
      list: inner.list ? (dir) => inner.list!(dir) : undefined,
    };
  }

  /** Forget every remembered read (a config or ignore file changed, or settings did). */
  clear(): void {
    this.reads.clear();
  }
}
