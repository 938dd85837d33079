// The one reader of inline pragma comments, `# hullcheck|hadolint [global|stage] ignore|shell=VALUE [# comment]`
// (a hullcheck ignore's VALUE may end in `until=YYYY-MM-DD` and `-- reason`),
// shared by Dockerfile and compose suppressions, the rules that look at pragmas and the "Disable … for this line"
// edits. A single left-to-right scan: no regular expression whose quantifiers could fight over a run of blanks.

import { isBlank } from '../core/strings';
import { isIsoDate } from './trivyignore';

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
 * A compose ignore pragma: `# hullcheck [global] ignore=LIST [until=DATE] [-- reason]` with a non-empty list of
 * rule names and no trailing `# comment`. Returns the ids and whether it is global, or undefined.
 */
export function composeIgnorePragma(line: string): { global: boolean; ids: string[] } | undefined {
  const c = composeIgnore(line);
  return c && { global: c.global, ids: c.ids };
}

/** composeIgnorePragma with the pragma itself, for the ledger (its reason, expiry and where its list sits). */
export function composeIgnore(line: string): { global: boolean; ids: string[]; pragma: Pragma } | undefined {
  const p = parsePragma(line);
  if (!p || p.tool !== 'hullcheck' || p.key !== 'ignore' || p.scope === 'stage' || p.comment !== undefined) return undefined;
  const tail = parseIgnoreTail(line.slice(p.valueStart, p.valueEnd));
  if (tail.list === '' || !plainList(tail.list)) return undefined;
  return { global: p.scope === 'global', ids: pragmaIds(tail.list), pragma: p };
}

/** What follows `ignore=`: the ids, an optional `until=` date and an optional `-- reason`. */
export interface IgnoreTail {
  /** The id list as written (before `until=` and `--`), trimmed. */
  list: string;
  /** Where that list starts and ends in the value. */
  listStart: number;
  listEnd: number;
  until?: string;
  reason?: string;
  /** What could not be read (a bad date, stray words), for pragma-invalid; the ignore then does not apply. */
  problem?: string;
}

/** The index of ` --` (or a leading `--`) that opens the reason, or -1. */
function reasonStart(value: string): number {
  for (let i = value.indexOf('--'); i >= 0; i = value.indexOf('--', i + 2)) {
    if (i === 0 || isBlank(value[i - 1])) return i;
  }
  return -1;
}

/** The blank-separated words of `text`, with where each starts. */
function words(text: string): { word: string; at: number }[] {
  const out: { word: string; at: number }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isBlank(text[i])) i++;
    const at = i;
    while (i < text.length && !isBlank(text[i])) i++;
    if (i > at) out.push({ word: text.slice(at, i), at });
  }
  return out;
}

/**
 * Split the value of a hullcheck ignore into its parts. One left-to-right reading: words before the first word that
 * starts with `until=` are the list, and the reason runs from ` -- ` to the end.
 */
export function parseIgnoreTail(value: string): IgnoreTail {
  const dash = reasonStart(value);
  const head = dash < 0 ? value : value.slice(0, dash);
  const reason = dash < 0 ? undefined : value.slice(dash + 2).trim() || undefined;
  const ws = words(head);
  const at = ws.findIndex((w) => w.word.toLowerCase().startsWith('until='));
  const listWords = at < 0 ? ws : ws.slice(0, at);
  const listStart = listWords.length ? listWords[0].at : (ws[0]?.at ?? 0);
  const last = listWords[listWords.length - 1];
  const listEnd = last ? last.at + last.word.length : listStart;
  const base = { list: value.slice(listStart, listEnd), listStart, listEnd, reason };
  if (at < 0) return base;
  const until = ws[at].word.slice('until='.length);
  const rest = ws.slice(at + 1);
  if (!isIsoDate(until)) return { ...base, until, problem: `\`until=${until}\` is not a date; write \`until=YYYY-MM-DD\`, so the ignore can expire.` };
  if (rest.length) return { ...base, until, problem: `\`${rest[0].word}\` is not understood after \`until=\`; write the reason after \` -- \`.` };
  return { ...base, until };
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

/** Which names an id list in a comment holds: Hullcheck rule ids, hadolint codes or BuildKit check names. */
export type IdListKind = 'hullcheck' | 'hadolint' | 'check-skip';

/**
 * The id list of a comment line, for completion and hover: the list of `# hullcheck ignore=`, `# hadolint ignore=`
 * or the `skip=` option of `# check=`, with where it starts and ends in the line (an empty list sits where it would
 * begin). A hullcheck list stops before `until=` and `-- reason`.
 */
export function idListOf(line: string): { kind: IdListKind; start: number; end: number } | undefined {
  const p = parsePragma(line);
  if (p) {
    if (p.key !== 'ignore') return undefined;
    const raw = line.slice(p.valueStart, p.valueEnd);
    if (p.tool === 'hadolint') {
      const start = skipBlanks(raw, 0);
      return { kind: 'hadolint', start: p.valueStart + start, end: p.valueStart + raw.trimEnd().length };
    }
    const tail = parseIgnoreTail(raw);
    return { kind: 'hullcheck', start: p.valueStart + tail.listStart, end: p.valueStart + tail.listEnd };
  }
  let i = skipBlanks(line, 0);
  if (line[i] !== '#') return undefined;
  i = skipBlanks(line, i + 1);
  const w = word(line, i);
  if (w.word !== 'check') return undefined;
  i = skipBlanks(line, w.end);
  if (line[i] !== '=') return undefined;
  // options are `;`-separated `key=value` pairs; BuildKit ends the value at the first space
  for (let at = skipBlanks(line, i + 1); at < line.length;) {
    const semi = line.indexOf(';', at);
    const optEnd = semi < 0 ? line.length : semi;
    const key = skipBlanks(line, at);
    if (line.slice(key, key + 4) === 'skip') {
      const eq = skipBlanks(line, key + 4);
      if (line[eq] !== '=') return undefined;
      const start = skipBlanks(line, eq + 1);
      let end = start;
      while (end < optEnd && !isBlank(line[end])) end++;
      return { kind: 'check-skip', start, end };
    }
    at = optEnd + 1;
  }
  return undefined;
}
