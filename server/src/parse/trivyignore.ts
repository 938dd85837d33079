// Parse of Trivy ignore files: the plain `.trivyignore` (one id per line, `exp:YYYY-MM-DD`, `#` comments) and
// `.trivyignore.yaml` (vulnerabilities / misconfigurations / secrets / licenses lists of `id`, `paths`, `purls`,
// `expired_at`, `statement`). Entries keep ranges so rules and editors can point at and edit the exact text.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { LineIndex } from '../core/text';
import type { Range } from '../core/findings';

export const IGNORE_SECTIONS = ['vulnerabilities', 'misconfigurations', 'secrets', 'licenses'] as const;
export type IgnoreSection = (typeof IGNORE_SECTIONS)[number];

export interface TrivyignoreEntry {
  id: string;
  /** The id's text. */
  range: Range;
  /** The YAML section it is listed under; undefined in the plain format (where an id applies to every scanner). */
  section?: IgnoreSection;
  /** `exp:` / `expired_at` as written, with its range; `valid` is false when it is not a YYYY-MM-DD date. */
  expires?: { value: string; range: Range; valid: boolean };
  /** The trailing `# comment` or the comment block above (plain), or `statement` (YAML); undefined when none. */
  reason?: string;
  paths: string[];
  purls: string[];
  /** The whole entry for removal: from the start of its first line to the start of the line after it. */
  removal: Range;
}

export interface TrivyignoreProblem { range: Range; message: string }

export interface ParsedTrivyignore {
  text: string;
  index: LineIndex;
  format: 'plain' | 'yaml';
  entries: TrivyignoreEntry[];
  /** YAML syntax errors and structure problems; the plain format has none. */
  problems: TrivyignoreProblem[];
  /** The YAML document (with source ranges), for editors; undefined in the plain format. */
  yaml?: Document.Parsed;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in YYYY-MM-DD form (2023-02-30 is not). */
export function isIsoDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Which format a text is in. Trivy decides by file extension; the engine parses text without a name, so a
 * top-level section key (`vulnerabilities:` ...) means YAML. No plain id ends with a colon, so this is safe.
 */
export function sniffFormat(text: string): 'plain' | 'yaml' {
  return /^(vulnerabilities|misconfigurations|secrets|licenses)[ \t]*:/m.test(text) ? 'yaml' : 'plain';
}

export function parseTrivyignore(text: string, format: 'plain' | 'yaml' = sniffFormat(text)): ParsedTrivyignore {
  const index = new LineIndex(text);
  return format === 'yaml' ? parseYaml(text, index) : parsePlain(text, index);
}

/** From the start of `line` to the start of the line after `endLine` (or the end of the text). */
function wholeLines(index: LineIndex, line: number, endLine = line): Range {
  const end = endLine + 1 < index.lineCount ? { line: endLine + 1, character: 0 } : { line: endLine, character: index.lineText(endLine).length };
  return { start: { line, character: 0 }, end };
}

function parsePlain(text: string, index: LineIndex): ParsedTrivyignore {
  const entries: TrivyignoreEntry[] = [];
  // The comment block above a run of entries explains all of them ("# Accept the risk\nCVE-1\nCVE-2").
  let blockComment: string | undefined;
  let afterEntry = false;
  for (let line = 0; line < index.lineCount; line++) {
    const raw = index.lineText(line).replace(/^\uFEFF/, '');
    const trimmed = raw.trim();
    if (trimmed === '') { blockComment = undefined; afterEntry = false; continue; }
    if (trimmed.startsWith('#')) {
      const c = trimmed.replace(/^#+/, '').trim();
      // a comment after an entry starts a new block rather than extending the one above it
      blockComment = blockComment === undefined || afterEntry ? c : `${blockComment} ${c}`.trim();
      afterEntry = false;
      continue;
    }
    afterEntry = true;
    const hash = raw.search(/(^|\s)#/);
    const body = hash >= 0 ? raw.slice(0, hash) : raw;
    const trailing = hash >= 0 ? raw.slice(hash).trim().replace(/^#+/, '').trim() : undefined;
    const idStart = body.search(/\S/);
    const id = body.slice(idStart).split(/\s+/)[0];
    const entry: TrivyignoreEntry = {
      id,
      range: { start: { line, character: idStart }, end: { line, character: idStart + id.length } },
      reason: trailing || blockComment || undefined,
      paths: [], purls: [],
      removal: wholeLines(index, line),
    };
    // Trivy looks for `exp:` among all whitespace-separated fields after the id
    const exp = /(^|\s)exp:(\S*)/.exec(body.slice(idStart + id.length));
    if (exp) {
      const start = idStart + id.length + exp.index + exp[1].length;
      entry.expires = { value: exp[2], range: { start: { line, character: start }, end: { line, character: start + 4 + exp[2].length } }, valid: isIsoDate(exp[2]) };
    }
    entries.push(entry);
  }
  return { text, index, format: 'plain', entries, problems: [] };
}

function parseYaml(text: string, index: LineIndex): ParsedTrivyignore {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, keepSourceTokens: true, logLevel: 'error' });
  const rangeOf = (r: readonly number[] | null | undefined): Range =>
    r ? { start: index.positionAt(r[0]), end: index.positionAt(r[1]) } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const problems: TrivyignoreProblem[] = doc.errors.map((e) => ({ range: rangeOf(e.pos), message: `Invalid YAML: ${e.message.split('\n')[0]}` }));
  const entries: TrivyignoreEntry[] = [];
  const out: ParsedTrivyignore = { text, index, format: 'yaml', entries, problems, yaml: doc };
  if (!isMap(doc.contents)) return out;
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(IGNORE_SECTIONS as readonly string[]).includes(key)) continue;
    const section = key as IgnoreSection;
    const seq = pair.value;
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      // values may be aliases of anchors defined elsewhere in the file (`statement: *accepted`)
      const get = (k: string) => {
        const v = item.items.find((p) => isScalar(p.key) && p.key.value === k)?.value;
        return isAlias(v) ? v.resolve(doc) : v;
      };
      const idNode = get('id');
      if (!isScalar(idNode) || idNode.value === null || idNode.value === '') {
        problems.push({ range: rangeOf(item.range), message: `An entry under \`${section}\` has no \`id\`; Trivy needs one.` });
        continue;
      }
      const r = item.range!;
      // the entry starts at its `-`, which may sit on a line of its own
      let dash = r[0] - 1;
      while (dash >= 0 && /\s/.test(text[dash])) dash--;
      const first = index.positionAt(dash >= 0 && text[dash] === '-' ? dash : r[0]).line;
      const endPos = index.positionAt(r[1]);
      const last = endPos.character === 0 && endPos.line > first ? endPos.line - 1 : endPos.line;
      const entry: TrivyignoreEntry = {
        id: String(idNode.value), range: rangeOf(idNode.range), section,
        paths: strings(get('paths')), purls: strings(get('purls')),
        removal: wholeLines(index, first, last),
      };
      const exp = get('expired_at');
      if (isScalar(exp) && exp.value !== null) {
        const v = exp.value instanceof Date ? exp.value.toISOString().slice(0, 10) : String(exp.value);
        entry.expires = { value: v, range: rangeOf(exp.range), valid: isIsoDate(v) };
      }
      const st = get('statement');
      if (isScalar(st) && st.value !== null && String(st.value).trim() !== '') entry.reason = String(st.value).trim();
      entries.push(entry);
    }
  }
  return out;
}

function strings(node: unknown): string[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((n) => (isScalar(n) && n.value !== null ? [String(n.value)] : []));
}
