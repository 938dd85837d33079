// Baselines: `.hullcheck-baseline.json` records the findings a project accepted when it adopted Hullcheck, by
// fingerprint (rule, file relative to the baseline, normalized anchor text, occurrence; no line numbers), so the
// CLI and the editor can tell new findings from accepted ones and report accepted ones that are gone.

import * as path from 'node:path';
import { fingerprints, FINGERPRINT_KEY, fingerprintPath } from './findingFingerprint';
import type { Finding, Language } from './findings';

export const BASELINE_FILE = '.hullcheck-baseline.json';
/** A baseline larger than this is refused rather than parsed (it would hold hundreds of thousands of entries). */
export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  /** The file, relative to the baseline's folder, with forward slashes. */
  file: string;
  /** The message when the entry was recorded, for people reading the file; matching ignores it. */
  message: string;
}

export interface Baseline {
  entries: BaselineEntry[];
}

/** Read a baseline's text; a string comes back as the problem (the caller reports it and lints without one). */
export function parseBaseline(text: string): Baseline | string {
  if (text.length > MAX_BASELINE_BYTES) return `the baseline is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MB`;
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { return `the baseline is not valid JSON (${(e as Error).message})`; }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'the baseline must be a JSON object with a `findings` list';
  const r = raw as Record<string, unknown>;
  if (r.fingerprints !== undefined && r.fingerprints !== FINGERPRINT_KEY) {
    return `the baseline was written with fingerprints \`${String(r.fingerprints)}\`, this Hullcheck uses \`${FINGERPRINT_KEY}\`; run \`hullcheck baseline --reset\``;
  }
  if (!Array.isArray(r.findings)) return 'the baseline must be a JSON object with a `findings` list';
  const entries: BaselineEntry[] = [];
  for (const [i, e] of r.findings.entries()) {
    const o = e as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o.fingerprint !== 'string' || typeof o.rule !== 'string' || typeof o.file !== 'string') {
      return `baseline entry ${i + 1} needs string \`fingerprint\`, \`rule\` and \`file\``;
    }
    entries.push({ fingerprint: o.fingerprint, rule: o.rule, file: fingerprintPath(o.file), message: typeof o.message === 'string' ? o.message : '' });
  }
  return { entries };
}

/** The file's text: entries sorted by file, rule and fingerprint, so regenerating it gives small diffs. */
export function renderBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint));
  return JSON.stringify({ fingerprints: FINGERPRINT_KEY, findings: sorted.map((e) => ({ file: e.file, rule: e.rule, fingerprint: e.fingerprint, message: e.message })) }, null, 2) + '\n';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A file's path as the baseline in `baselineDir` names it. */
export function baselinePath(baselineDir: string, file: string): string {
  return fingerprintPath(path.relative(baselineDir, path.resolve(file)));
}

/** Baseline entries for one file's findings. */
export function baselineEntries(
  baselineDir: string, file: string, text: string, language: Language | undefined, findings: readonly Finding[],
): BaselineEntry[] {
  const rel = baselinePath(baselineDir, file);
  const fps = fingerprints(rel, text, findings, language);
  return findings.map((f, i) => ({ fingerprint: fps[i], rule: f.rule, file: rel, message: f.message }));
}

/**
 * Matches findings against a baseline, one entry per finding, and remembers which entries matched so the ones
 * left over in the files it saw can be reported as fixed.
 */
export class BaselineMatcher {
  private readonly byFingerprint = new Map<string, BaselineEntry[]>();
  private readonly matched = new Set<BaselineEntry>();
  private readonly seenFiles = new Set<string>();

  constructor(readonly baseline: Baseline, readonly dir: string) {
    for (const e of baseline.entries) {
      const list = this.byFingerprint.get(e.fingerprint) ?? [];
      list.push(e);
      this.byFingerprint.set(e.fingerprint, list);
    }
  }

  /** For each finding of the file, whether the baseline holds it. */
  match(file: string, text: string, language: Language | undefined, findings: readonly Finding[]): boolean[] {
    const entries = baselineEntries(this.dir, file, text, language, findings);
    if (entries.length) this.seenFiles.add(entries[0].file);
    else this.seenFiles.add(baselinePath(this.dir, file));
    return entries.map((e) => {
      const hit = this.byFingerprint.get(e.fingerprint)?.find((x) => !this.matched.has(x) && x.rule === e.rule);
      if (!hit) return false;
      this.matched.add(hit);
      return true;
    });
  }

  /**
   * Entries that no longer match: those of files linted in this run that no finding took, plus those of files
   * that no longer exist (`exists` answers for a path relative to the baseline's folder).
   */
  fixed(exists: (rel: string) => boolean): BaselineEntry[] {
    return this.baseline.entries.filter((e) => !this.matched.has(e) && (this.seenFiles.has(e.file) || !exists(e.file)));
  }

  /** Entries a finding matched in this run. */
  get matchedCount(): number {
    return this.matched.size;
  }
}
