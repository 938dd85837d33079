// Stable finding fingerprints, shared by SARIF `partialFingerprints`, GitLab Code Quality and baselines.
// A fingerprint hashes the rule, the file and the normalized text of the instruction (or compose key) the
// finding sits on, plus an occurrence index, and never a line number, so edits elsewhere in the file keep it.

import { createHash } from 'node:crypto';
import type { Language, Range } from './findings';
import { isBlank } from './strings';

/** The SARIF `partialFingerprints` key; bump the version when the recipe below changes. */
export const FINGERPRINT_KEY = 'hullcheck/v1';

/** The file part of a fingerprint: forward slashes, no leading `./`, so Windows and POSIX runs agree. */
export function fingerprintPath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * The text a finding is anchored to. Dockerfiles: the whole logical instruction (continuation lines joined),
 * whitespace collapsed. Compose: the key path of the line (`services.web.ports`) plus the line itself, so the
 * same line under two services differs. Ignore files: the line.
 */
export function anchorText(lines: readonly string[], range: Range, language: Language | undefined): string {
  const startLine = clamp(range.start.line, lines.length);
  const endLine = clamp(Math.max(range.end.line, range.start.line), lines.length);
  if (language === 'compose') {
    const own = collapse(lines[startLine] ?? '');
    return `${yamlKeyPath(lines, startLine)} ${own}`.trim();
  }
  if (language !== 'dockerfile') return collapse(lines.slice(startLine, endLine + 1).join(' '));
  let first = startLine;
  while (first > 0 && continues(lines[first - 1])) first--;
  let last = endLine;
  while (last < lines.length - 1 && continues(lines[last])) last++;
  return collapse(lines.slice(first, last + 1).map((l) => l.replace(/\\\s*$/, '')).join(' '));
}

/**
 * One fingerprint per finding, in the order given. `file` should be the path relative to the project (or the
 * run's working folder); findings of one rule on the same anchor are told apart by their order in the file.
 */
export function fingerprints(
  file: string, text: string, findings: readonly { rule: string; range: Range }[], language: Language | undefined,
): string[] {
  const lines = text.split(/\r?\n/);
  const rel = fingerprintPath(file);
  const anchors = findings.map((f) => anchorText(lines, f.range, language));
  // occurrence index in document order, whatever order the findings come in
  const order = findings.map((_, i) => i).sort((a, b) => comparePos(findings[a].range, findings[b].range) || a - b);
  const seen = new Map<string, number>();
  const occurrence = new Array<number>(findings.length);
  for (const i of order) {
    const key = `${findings[i].rule}\u0000${anchors[i]}`;
    const n = seen.get(key) ?? 0;
    occurrence[i] = n;
    seen.set(key, n + 1);
  }
  return findings.map((f, i) => createHash('sha256').update(`${f.rule}\u0000${rel}\u0000${anchors[i]}\u0000${occurrence[i]}`).digest('hex').slice(0, 32));
}

function comparePos(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function clamp(line: number, count: number): number {
  return Math.min(Math.max(line, 0), Math.max(count - 1, 0));
}

function continues(line: string | undefined): boolean {
  return line !== undefined && /\\\s*$/.test(line) && !/^\s*#/.test(line);
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The block-style key path above a YAML line, found by indentation (flow collections keep their line text). */
function yamlKeyPath(lines: readonly string[], at: number): string {
  const keys: string[] = [];
  let indent = indentOf(lines[at] ?? '');
  for (let i = at - 1; i >= 0 && indent > 0; i--) {
    const line = lines[i];
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const own = indentOf(line);
    if (own >= indent) continue;
    const key = mappingKey(line);
    if (key) keys.unshift(key);
    indent = own;
  }
  return keys.join('.');
}

/** The key of a block mapping line (`key:`, `- key:`, quoted or not), read in one pass. */
function mappingKey(line: string): string | undefined {
  let i = 0;
  while (i < line.length && isBlank(line[i])) i++;
  if (line[i] === '-' && isBlank(line[i + 1] ?? '')) { i++; while (i < line.length && isBlank(line[i])) i++; }
  const quote = line[i] === '"' || line[i] === "'" ? line[i++] : '';
  let j = i;
  while (j < line.length && !'"\'#:'.includes(line[j])) j++;
  if (j === i) return undefined;
  let k = j;
  if (quote) {
    if (line[k] !== quote) return undefined;
    k++;
    while (k < line.length && isBlank(line[k])) k++;
  }
  if (line[k] !== ':' || (k + 1 < line.length && !isBlank(line[k + 1]))) return undefined;
  return line.slice(i, j).trim();
}

/** Indentation of a line's content; a sequence dash counts as indentation, as YAML nests its items. */
function indentOf(line: string): number {
  const m = /^(\s*(?:-\s+)*)/.exec(line);
  return m ? m[1].length : 0;
}
