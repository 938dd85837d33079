// The one reader of inline pragma comments, `# hullcheck|hadolint [global|stage] ignore|shell=VALUE [# comment]`,
// shared by Dockerfile and compose suppressions, the rules that look at pragmas and the "Disable … for this line"
// edits. A single left-to-right scan: no regular expression whose quantifiers could fight over a run of blanks.

import { isBlank } from '../core/strings';

export type PragmaTool = 'hullcheck' | 'hadolint';
export type PragmaScope = 'global' | 'stage';
export type PragmaKey = 'ignore' | 'shell';

export interface Pragma {
  tool: PragmaTool;
  scope?: PragmaScope;
  key: PragmaKey;
  /** The text after `=` up to a `#` (or the end), trimmed. */
  value: string;
  /** Where that text starts and ends in the line (before trimming ends at the `#` or line end). */
  valueStart: number;
  valueEnd: number;
  /** The trailing comment from its `#`, when there is one. */
  comment?: string;
}

function skipBlanks(text: string, i: number): number {
  while (i < text.length && isBlank(text[i])) i++;
  return i;
}

/** The run of ASCII letters at `i`, lower-cased, and the index after it. */
function word(text: string, i: number): { word: string; end: number } {
  let end = i;
  while (end < text.length) {
    const c = text.charCodeAt(end) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    end++;
  }
  return { word: text.slice(i, end).toLowerCase(), end };
}

/**
 * Read a pragma comment line (leading blanks allowed), or undefined when the line is not one. Tool, scope and key
 * are case-insensitive; blanks may surround `=`.
 */
export function parsePragma(line: string): Pragma | undefined {
  let i = skipBlanks(line, 0);
  if (line[i] !== '#') return undefined;
  i = skipBlanks(line, i + 1);
  const tool = word(line, i);
  if (tool.word !== 'hullcheck' && tool.word !== 'hadolint') return undefined;
  i = skipBlanks(line, tool.end);
  if (i === tool.end) return undefined; // the tool name must be followed by a blank
  let w = word(line, i);
  let scope: PragmaScope | undefined;
  if (w.word === 'global' || w.word === 'stage') {
    scope = w.word;
    i = skipBlanks(line, w.end);
    if (i === w.end) return undefined;
    w = word(line, i);
  }
  if (w.word !== 'ignore' && w.word !== 'shell') return undefined;
  i = skipBlanks(line, w.end);
  if (line[i] !== '=') return undefined;
  const valueStart = i + 1;
  const hash = line.indexOf('#', valueStart);
  const valueEnd = hash < 0 ? line.length : hash;
  return {
    tool: tool.word,
    scope,
    key: w.word,
    value: line.slice(valueStart, valueEnd).trim(),
    valueStart,
    valueEnd,
    comment: hash < 0 ? undefined : line.slice(hash),
  };
}

/** The names of an ignore list: comma-separated, blanks around them dropped, empty entries skipped. */
export function pragmaIds(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Whether an ignore list holds only rule names, commas and blanks (what the editing actions know how to extend). */
function plainList(value: string): boolean {
  for (const ch of value) {
    if (!(isBlank(ch) || ch === ',' || ch === '-' || ch === '_' || /^[A-Za-z0-9]$/.test(ch))) return false;
  }
  return true;
}

/**
 * A compose ignore pragma: `# hullcheck [global] ignore=LIST` with a non-empty list of rule names and nothing
 * after it. Returns the ids and whether it is global, or undefined.
 */
export function composeIgnorePragma(line: string): { global: boolean; ids: string[] } | undefined {
  const p = parsePragma(line);
  if (!p || p.tool !== 'hullcheck' || p.key !== 'ignore' || p.scope === 'stage' || p.comment !== undefined) return undefined;
  if (p.value === '' || !plainList(p.value)) return undefined;
  return { global: p.scope === 'global', ids: pragmaIds(p.value) };
}

/** What adding `id` to the line above a finding takes: nothing (already listed), an append, or a new comment line. */
export type IgnoreMerge = { kind: 'listed' } | { kind: 'append'; character: number; text: string } | { kind: 'new' };

/**
 * How to add `id` to a line that may already be `# hullcheck ignore=LIST` (plain, for the next line only): the
 * id is appended after the list with a comma when needed; any other line needs a new comment.
 */
export function mergeIgnore(line: string, id: string): IgnoreMerge {
  const p = parsePragma(line);
  if (!p || p.tool !== 'hullcheck' || p.key !== 'ignore' || p.scope || p.comment !== undefined || !plainList(p.value)) return { kind: 'new' };
  const ids = pragmaIds(p.value);
  if (ids.includes(id)) return { kind: 'listed' };
  const end = line.trimEnd().length;
  const sep = ids.length === 0 || p.value.endsWith(',') ? '' : ',';
  return { kind: 'append', character: end, text: `${sep}${id}` };
}
