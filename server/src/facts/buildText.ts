// The text of the files that run a project's build (workflows, Makefiles, scripts, package.json, GoReleaser, bake,
// compose, Maven files), as the facts about its build read it: each file read once per version and each scan of it
// run once, shared by every fact that asks (build labels, image publication, the project's own images); the variable
// and template references such text holds; and whether it pushes an image.

import type { FileHost } from '../core/fileHost';
import { StatCache } from './statCache';

/** The largest build file read. */
export const MAX_BUILD_BYTES = 512 * 1024;

/**
 * The end (exclusive) of the variable or template reference starting at `i`, or -1: GitHub's `${{ x }}`, Go
 * templates' `{{ .X }}`, shell and make `${x}`, `$(x)` and `$x`, Maven's `@x@`. `closers` remembers where each
 * closing string was last found, so a scan stays linear on unclosed openers.
 */
function referenceEnd(s: string, i: number, closers: Map<string, number>): number {
  const close = (open: number, closer: string): number => {
    const known = closers.get(closer);
    const at = known !== undefined && (known === -1 || known >= i + open) ? known : s.indexOf(closer, i + open);
    closers.set(closer, at);
    return at < 0 ? -1 : at + closer.length;
  };
  if (s.startsWith('${{', i)) return close(3, '}}');
  if (s.startsWith('{{', i)) return close(2, '}}');
  if (s.startsWith('${', i)) return close(2, '}');
  if (s.startsWith('$(', i)) return close(2, ')');
  if (s[i] === '$' && /[A-Za-z_]/.test(s[i + 1] ?? '')) { let j = i + 2; while (j < s.length && /\w/.test(s[j])) j++; return j; }
  if (s[i] === '@') { let j = i + 1; while (j < s.length && /[A-Za-z_.-]/.test(s[j])) j++; return j > i + 1 && s[j] === '@' ? j + 1 : -1; }
  return -1;
}

/** `s` with each variable or template reference replaced by `to(reference)`. */
export function mapReferences(s: string, to: (ref: string) => string): string {
  const closers = new Map<string, number>();
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < s.length;) {
    const end = '${@'.includes(s[i]) ? referenceEnd(s, i, closers) : -1;
    if (end < 0) { i++; continue; }
    parts.push(s.slice(from, i), to(s.slice(i, end)));
    i = from = end;
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/** A command or setting that pushes an image to a registry. */
const PUSH = /\b(?:docker|podman|buildah|nerdctl)\s+(?:image\s+|manifest\s+)?push\b|--push\b|(?:^|[\s,{])push\s*[:=]\s*(?:true\b|["']?(?:\$\{\{|\*))|^[ \t]*(?:dockers|dockers_v2|kos):[ \t]*$|\bcrane\s+push\b/m;

/** Whether build text pushes an image: `docker push`, `--push`, `push: true` (or an expression), GoReleaser's and ko's image sections. */
export function pushesImage(text: string): boolean {
  return PUSH.test(text);
}

/** A build file's text and the results of the scans run on it. */
interface Scanned { text: string; results: Map<string, unknown> }
const files = new StatCache<Scanned | undefined>(1024, MAX_BUILD_BYTES);

async function scannedFile(host: FileHost, file: string): Promise<Scanned | undefined> {
  return files.get(file, undefined, async () => {
    const r = await host.read(file, 'other', { maxBytes: MAX_BUILD_BYTES, quiet: true });
    return r.ok ? { text: r.text, results: new Map() } : undefined;
  });
}

/** The text of a build file (or a file beside it: README, manifests), read once per version; undefined when unreadable. */
export async function buildFileText(host: FileHost, file: string): Promise<string | undefined> {
  return (await scannedFile(host, file))?.text;
}

/**
 * `scan` of a build file's text, run once per version of the file and `key` (which names the scan and whatever
 * else its result depends on); `empty` when the file is unreadable or the scan fails on it.
 */
export async function scanBuildFile<T>(host: FileHost, file: string, key: string, empty: T, scan: (text: string) => T): Promise<T> {
  const f = await scannedFile(host, file);
  if (!f) return empty;
  if (!f.results.has(key)) {
    let result: T;
    try { result = scan(f.text); } catch { result = empty; }
    f.results.set(key, result);
  }
  return f.results.get(key) as T;
}
