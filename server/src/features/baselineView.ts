// The editor's view of a baseline: findings that the workspace folder's `.hullcheck-baseline.json` holds are
// shown lowered to information with "(baseline)", hidden, or unchanged, as `hullcheck.baseline.mode` says.

import * as path from 'node:path';
import { BASELINE_FILE, BaselineMatcher, parseBaseline, type Baseline } from '../core/findingBaseline';
import type { FileHost } from '../core/fileHost';
import type { Finding, Language } from '../core/findings';
import type { BaselineMode } from '../protocol/messages';

export const BASELINE_TAG = ' (baseline)';

/** The workspace folder a file belongs to (the deepest that contains it). */
function folderOf(file: string, folders: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const f of folders) {
    const rel = path.relative(f, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel) && (!best || f.length > best.length)) best = f;
  }
  return best;
}

export class EditorBaseline {
  /** The last parse of each folder's baseline, reused while the host returns the same text. */
  private readonly parsed = new Map<string, { text: string; baseline: Baseline | undefined }>();

  constructor(private readonly host: FileHost, private readonly log: (m: string) => void) {}

  private async load(folder: string): Promise<Baseline | undefined> {
    const file = path.join(folder, BASELINE_FILE);
    const read = await this.host.read(file, 'report');
    if (!read.ok && read.reason !== 'missing') { this.log(`Cannot read ${file}: ${read.message}`); return undefined; }
    if (!read.ok) { this.parsed.delete(folder); return undefined; }
    const text = read.text;
    const hit = this.parsed.get(folder);
    if (hit && hit.text === text) return hit.baseline;
    const r = parseBaseline(text);
    if (typeof r === 'string') this.log(`Ignoring ${file}: ${r}`);
    const baseline = typeof r === 'string' ? undefined : r;
    this.parsed.set(folder, { text, baseline });
    return baseline;
  }

  /** The findings as the mode shows them; unchanged for files outside a folder or without a baseline. */
  async apply(
    file: string, text: string, language: Language | undefined, findings: Finding[], folders: readonly string[], mode: BaselineMode,
  ): Promise<Finding[]> {
    if (mode === 'show' || findings.length === 0) return findings;
    const folder = folderOf(path.resolve(file), folders);
    if (!folder) return findings;
    const baseline = await this.load(folder);
    if (!baseline || baseline.entries.length === 0) return findings;
    const held = new BaselineMatcher(baseline, folder).match(file, text, language, findings);
    if (mode === 'hide') return findings.filter((_, i) => !held[i]);
    return findings.map((f, i) => (held[i]
      ? { ...f, severity: f.severity === 'error' || f.severity === 'warning' ? 'info' : f.severity, message: f.message + BASELINE_TAG }
      : f));
  }
}
