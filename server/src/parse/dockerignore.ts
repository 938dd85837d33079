// Parse of a .dockerignore file: one entry per pattern line, with ranges.
// Matching with BuildKit's semantics lives in parse/ignoreMatch.ts.

import { LineIndex } from '../core/text';
import type { Range } from '../core/findings';

export interface IgnoreEntry {
  /** The pattern as written, trimmed, without the leading `!`. */
  pattern: string;
  negated: boolean;
  line: number;
  range: Range;
}

export interface ParsedDockerignore {
  text: string;
  index: LineIndex;
  entries: IgnoreEntry[];
}

export function parseDockerignore(text: string): ParsedDockerignore {
  const index = new LineIndex(text);
  const entries: IgnoreEntry[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const raw = index.lineText(line).replace(/^\uFEFF/, '');
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const negated = trimmed.startsWith('!');
    const pattern = (negated ? trimmed.slice(1) : trimmed).trim();
    if (!pattern) continue;
    const startChar = raw.indexOf(trimmed[0]);
    entries.push({ pattern, negated, line, range: { start: { line, character: startChar }, end: { line, character: startChar + trimmed.length } } });
  }
  return { text, index, entries };
}
