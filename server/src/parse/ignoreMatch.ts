// .dockerignore matching with the semantics of Docker and BuildKit (moby/patternmatcher): patterns are
// cleaned like Go's filepath.Clean, `**` spans directories, `*`/`?`/`[...]` stay within one segment,
// `!` re-includes, the last matching pattern wins, and a pattern that matches a parent excludes its contents.
// The matching itself is core/glob.ts (linear, no regular expressions built from the patterns).

import { compileGlob } from '../core/glob';

export interface IgnorePattern {
  /** The cleaned pattern, without `!` and without a leading `/`. */
  pattern: string;
  negated: boolean;
  /** Pattern split on `/` (used to compare against path prefixes). */
  dirs: string[];
  /** Where the pattern came from: its line index (fromText) or its entry index (fromEntries). */
  source?: number;
  test(path: string): boolean;
  /** Whether the pattern matches the path or one of its parent directories. */
  testOrParent(path: string): boolean;
  /** The pattern's text when it has no wildcard (it matches exactly that path). */
  literal?: string;
}

/** Go's path.Clean for slash-separated paths: collapse `//`, drop `.`, resolve `..`, no trailing `/`. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Normalize one pattern line the way the ignore-file reader does (negation split off, cleaned, leading `/` removed). */
export function normalizePattern(raw: string): { pattern: string; negated: boolean } | undefined {
  let p = raw.trim();
  if (!p) return undefined;
  const negated = p.startsWith('!');
  if (negated) p = p.slice(1).trim();
  if (!p) return undefined; // a lone `!` is rejected by Docker; nothing to match
  p = cleanPath(p);
  if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
  return { pattern: p, negated };
}

export function makePattern(pattern: string, negated: boolean, source?: number): IgnorePattern {
  const glob = compileGlob(pattern, { syntax: 'docker' });
  return { pattern, negated, dirs: pattern.split('/'), source, test: (p) => glob.test(p), testOrParent: (p) => glob.testOrParent(p), literal: glob.literal };
}

/** Does the pattern match the path itself or any of its parent directories? (One pass over the path.) */
export function matchesOrParent(p: IgnorePattern, path: string): boolean {
  return p.testOrParent(path);
}

export class IgnoreMatcher {
  readonly hasExclusions: boolean;
  /** Plain-text patterns by their text -> their indexes: looked up for a path and its parents, never scanned. */
  private readonly literals = new Map<string, number[]>();
  /** Indexes of the patterns with wildcards, in order. */
  private readonly wildcards: number[] = [];

  constructor(readonly patterns: IgnorePattern[]) {
    this.hasExclusions = patterns.some((p) => p.negated);
    patterns.forEach((p, i) => {
      if (p.literal === undefined) { this.wildcards.push(i); return; }
      const list = this.literals.get(p.literal);
      if (list) list.push(i); else this.literals.set(p.literal, [i]);
    });
  }

  /**
   * The patterns that could decide a cleaned path, in file order: the plain ones equal to it or to a parent
   * folder, and every pattern with wildcards. A long ignore file of plain names costs a few lookups per path.
   */
  private candidates(file: string): number[] {
    const hits: number[] = [];
    for (let end = file.indexOf('/'); ; end = file.indexOf('/', end + 1)) {
      const list = this.literals.get(end < 0 ? file : file.slice(0, end));
      if (list) hits.push(...list);
      if (end < 0) break;
    }
    if (hits.length === 0) return this.wildcards;
    hits.sort((a, b) => a - b);
    const out: number[] = [];
    let i = 0, j = 0;
    while (i < hits.length || j < this.wildcards.length) {
      if (j >= this.wildcards.length || (i < hits.length && hits[i] < this.wildcards[j])) out.push(hits[i++]);
      else out.push(this.wildcards[j++]);
    }
    return out;
  }

  /** Docker's rule: the last pattern that matches the path (or a parent) decides; the context root is never excluded. */
  private decide(path: string): IgnorePattern | undefined {
    const file = cleanPath(path.replace(/^\/+/, ''));
    if (file === '.') return undefined;
    let matched = false;
    let last: IgnorePattern | undefined;
    for (const k of this.candidates(file)) {
      const p = this.patterns[k];
      // an inclusion cannot change an excluded path, an exclusion cannot change an included one
      if (p.negated !== matched) continue;
      if (p.literal !== undefined || matchesOrParent(p, file)) { matched = !p.negated; last = p; }
    }
    return matched ? last : undefined;
  }

  /** Build from ignore-file text: comment lines start with `#` in column 0; a UTF-8 BOM is dropped. */
  static fromText(text: string): IgnoreMatcher {
    const patterns: IgnorePattern[] = [];
    text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).forEach((line, i) => {
      if (line.startsWith('#')) return;
      const n = normalizePattern(line);
      if (n) patterns.push(makePattern(n.pattern, n.negated, i));
    });
    return new IgnoreMatcher(patterns);
  }

  static fromEntries(entries: { pattern: string; negated: boolean }[]): IgnoreMatcher {
    const patterns: IgnorePattern[] = [];
    entries.forEach((e, i) => {
      const n = normalizePattern((e.negated ? '!' : '') + e.pattern);
      if (n) patterns.push(makePattern(n.pattern, n.negated, i));
    });
    return new IgnoreMatcher(patterns);
  }

  /**
   * Whether a context-relative path is excluded: the last pattern that matches it (or one of its
   * parents) decides. The context root itself is never excluded.
   */
  excludes(path: string): boolean {
    return this.decide(path) !== undefined;
  }

  /** The last pattern that decides the path's fate, if any (for messages). */
  decidingPattern(path: string): IgnorePattern | undefined {
    return this.decide(path);
  }

  /**
   * Could a negated pattern re-include something inside `dir`? Used before calling a whole directory
   * excluded: `tools/` plus `!tools/cli/package.json` still sends one file of `tools`.
   */
  mayReincludeBelow(dir: string): boolean {
    const parts = cleanPath(dir.replace(/^\/+/, '')).split('/');
    return this.patterns.some((p) => p.negated && couldMatchBelow(p.dirs, parts));
  }
}

/** Whether a pattern's leading segments are compatible with a directory, so it may match a path below it. */
function couldMatchBelow(dirs: string[], parts: string[]): boolean {
  for (let i = 0; i < parts.length; i++) {
    const seg = dirs[i];
    if (seg === undefined) return false;
    if (seg.includes('**')) return true;
    if (!segmentTest(seg)(parts[i])) return false;
  }
  return dirs.length > parts.length;
}

function segmentTest(seg: string): (s: string) => boolean {
  const p = makePattern(seg, false);
  return (s) => p.test(s);
}
