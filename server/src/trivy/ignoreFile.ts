// Editing Trivy ignore files with minimal text edits: add an id (with an expiry date and a reason) or update the
// entry that already names it. The file is never re-serialized, so comments, blank lines, line endings, quoting
// and YAML anchors stay exactly as the user wrote them.

import { isAlias, isMap, isScalar, isSeq, type Document, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseTrivyignore, isIsoDate, type IgnoreSection, type ParsedTrivyignore } from '../parse/trivyignore';
import type { Position, TextEdit } from '../core/findings';

export interface AddIgnoreRequest {
  id: string;
  /** YYYY-MM-DD after which Trivy stops honouring the entry. */
  expires?: string;
  /** Why the finding is accepted: a trailing comment (plain) or `statement` (YAML). */
  reason?: string;
  /** YAML section; default `vulnerabilities`. Ignored by the plain format, where ids apply to every scanner. */
  section?: IgnoreSection;
}

export type IgnoreEditResult =
  | { ok: true; edits: TextEdit[]; /** true when an existing entry was changed rather than a new one added */ updated: boolean }
  | { ok: false; error: string };

/** The format Trivy picks for a path: YAML by extension, plain otherwise. */
export function formatForPath(file: string): 'plain' | 'yaml' {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'plain';
}

/** Edits that add `req` to the ignore file `text`, or update the entry that already has its id. */
export function addIgnoreEntry(text: string, format: 'plain' | 'yaml', req: AddIgnoreRequest): IgnoreEditResult {
  const id = req.id.trim();
  if (!id) return { ok: false, error: 'An ignore entry needs an id.' };
  // the plain format takes the first word of a line as the id, so an id cannot contain spaces or a `#`
  if (format === 'plain' && /[\s#]/.test(id)) return { ok: false, error: `'${id}' cannot be written as an id in a plain .trivyignore.` };
  if (req.expires !== undefined && !isIsoDate(req.expires)) return { ok: false, error: `'${req.expires}' is not a date in YYYY-MM-DD form.` };
  const reason = req.reason?.replace(/\s+/g, ' ').trim() || undefined;
  const parsed = parseTrivyignore(text, format);
  return format === 'plain' ? editPlain(parsed, id, req.expires, reason) : editYaml(parsed, id, req.expires, reason, req.section ?? 'vulnerabilities');
}

const at = (line: number, character: number): Position => ({ line, character });
const insert = (pos: Position, newText: string): TextEdit => ({ range: { start: pos, end: pos }, newText });

function editPlain(parsed: ParsedTrivyignore, id: string, expires: string | undefined, reason: string | undefined): IgnoreEditResult {
  // Trivy reads `exp:` anywhere after the id, comments included, so a reason must not contain one.
  if (reason && /(^|\s)exp:/.test(reason)) return { ok: false, error: 'The reason must not contain `exp:`: Trivy would read it as the expiry date.' };
  const { index, text } = parsed;
  const eol = index.eol;
  const existing = parsed.entries.find((e) => e.id === id);
  if (!existing) {
    const needsBreak = text.length > 0 && !/[\r\n]$/.test(text);
    const line = `${id}${expires ? ` exp:${expires}` : ''}${reason ? ` # ${reason}` : ''}`;
    return { ok: true, updated: false, edits: [insert(index.positionAt(text.length), `${needsBreak ? eol : ''}${line}${eol}`)] };
  }
  const edits: TextEdit[] = [];
  const line = existing.range.start.line;
  const raw = index.lineText(line);
  const hash = raw.search(/(^|\s)#/);
  const hashAt = hash >= 0 ? raw.indexOf('#', hash) : -1;
  if (expires) {
    if (existing.expires) edits.push({ range: existing.expires.range, newText: `exp:${expires}` });
    else edits.push(insert(existing.range.end, ` exp:${expires}`));
  }
  if (reason) {
    if (hashAt >= 0) edits.push({ range: { start: at(line, hashAt), end: at(line, raw.length) }, newText: `# ${reason}` });
    else {
      const contentEnd = raw.trimEnd().length;
      edits.push({ range: { start: at(line, contentEnd), end: at(line, raw.length) }, newText: ` # ${reason}` });
    }
  }
  return { ok: true, updated: true, edits: mergeSamePoint(edits) };
}

/** Two inserts at the same point (exp after the id, comment at the line end of a bare id) become one edit. */
function mergeSamePoint(edits: TextEdit[]): TextEdit[] {
  if (edits.length === 2) {
    const [a, b] = edits;
    const same = (p: Position, q: Position) => p.line === q.line && p.character === q.character;
    if (same(a.range.start, a.range.end) && same(a.range.end, b.range.start)) return [{ range: { start: a.range.start, end: b.range.end }, newText: a.newText + b.newText }];
  }
  return edits;
}

/** A YAML scalar for a value we write: plain when that reads back as the same string, double-quoted otherwise. */
export function yamlScalar(s: string): string {
  const plainSafe = /^[A-Za-z0-9][A-Za-z0-9 ._/+@()',;-]*$/.test(s) && !/\s$/.test(s) &&
    !/^(true|false|yes|no|on|off|null|y|n|~)$/i.test(s) && !/^[-+]?(\d[\d_]*)?(\.\d+)?([eE][-+]?\d+)?$/.test(s) && !isIsoDate(s);
  return plainSafe ? s : JSON.stringify(s);
}

interface Layout { dash: number; key: number }

function editYaml(parsed: ParsedTrivyignore, id: string, expires: string | undefined, reason: string | undefined, section: IgnoreSection): IgnoreEditResult {
  const doc = parsed.yaml as Document.Parsed;
  if (parsed.problems.some((p) => p.message.startsWith('Invalid YAML'))) return { ok: false, error: 'The ignore file has YAML errors; fix them before adding entries.' };
  const { index, text } = parsed;
  const eol = index.eol;
  const fields: [string, string][] = [];
  if (reason) fields.push(['statement', yamlScalar(reason)]);
  if (expires) fields.push(['expired_at', expires]);
  const itemText = (l: Layout) =>
    `${' '.repeat(l.dash)}- id: ${yamlScalar(id)}${eol}` + fields.map(([k, v]) => `${' '.repeat(l.key)}${k}: ${v}${eol}`).join('');
  const atEnd = (s: string) => insert(index.positionAt(text.length), (text.length > 0 && !/[\r\n]$/.test(text) ? eol : '') + s);

  const root = doc.contents;
  if (root !== null && root !== undefined && !isMap(root)) return { ok: false, error: 'The ignore file is not a YAML mapping of sections.' };
  const pair = isMap(root) ? (root.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === section) : undefined;
  const layout = guessLayout(doc, index);
  if (!pair) return { ok: true, updated: false, edits: [atEnd(`${section}:${eol}${itemText(layout)}`)] };
  const value = pair.value;
  if (isAlias(value)) return { ok: false, error: `\`${section}\` is an alias of another list; edit the anchored list instead.` };
  const keyPos = index.positionAt((pair.key as { range: number[] }).range[0]);
  if (value === null || (isScalar(value) && (value.value === null || value.value === ''))) {
    // `vulnerabilities:` with nothing under it: the list starts on the next line
    const lineEnd = at(keyPos.line, index.lineText(keyPos.line).length);
    const l = { dash: keyPos.character + layout.dash, key: keyPos.character + layout.key };
    return { ok: true, updated: false, edits: [insert(lineEnd, eol + itemText(l).slice(0, -eol.length))] };
  }
  if (!isSeq(value)) return { ok: false, error: `\`${section}\` is not a list.` };
  const seq = value as YAMLSeq;
  const item = seq.items.find((it) => isMap(it) && derefId(it as YAMLMap, doc) === id) as YAMLMap | undefined;
  if (item) return { ok: true, updated: true, edits: updateItem(item, parsed, fields) };
  if (seq.flow) {
    const r = seq.range!;
    const close = text.lastIndexOf(']', r[1]);
    const inner = text.slice(r[0] + 1, close).trim();
    if (inner === '') {
      const l = { dash: keyPos.character + layout.dash, key: keyPos.character + layout.key };
      // `[]` becomes a block list; the space before it goes too, so no trailing blank is left after the colon
      let from = r[0];
      while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
      return { ok: true, updated: false, edits: [{ range: { start: index.positionAt(from), end: index.positionAt(r[1]) }, newText: eol + itemText(l).slice(0, -eol.length) }] };
    }
    const flowItem = `{ ${[['id', yamlScalar(id)], ...fields].map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
    const lastContent = r[0] + 1 + text.slice(r[0] + 1, close).trimEnd().length;
    return { ok: true, updated: false, edits: [insert(index.positionAt(lastContent), `, ${flowItem}`)] };
  }
  const first = seq.items[0] as YAMLMap | undefined;
  const l = first && isMap(first) ? itemLayout(first, text, index) : { dash: keyPos.character + layout.dash, key: keyPos.character + layout.key };
  const last = seq.items[seq.items.length - 1] as { range?: number[] } | undefined;
  const endOffset = last?.range ? last.range[1] : seq.range![1];
  return { ok: true, updated: false, edits: [insertAfterLineOf(parsed, endOffset, itemText(l))] };
}

function derefId(item: YAMLMap, doc: Document.Parsed): string | undefined {
  let v = item.items.find((p) => isScalar(p.key) && p.key.value === 'id')?.value;
  if (isAlias(v)) v = v.resolve(doc);
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
}

/** Columns of the `-` and of the keys of a block-sequence item. */
function itemLayout(item: YAMLMap, text: string, index: ParsedTrivyignore['index']): Layout {
  const keyOffset = item.range![0];
  let dash = keyOffset - 1;
  while (dash >= 0 && /\s/.test(text[dash])) dash--;
  const key = index.positionAt(keyOffset).character;
  return { dash: dash >= 0 && text[dash] === '-' ? index.positionAt(dash).character : Math.max(0, key - 2), key };
}

/** The file's own indentation, from any existing block list; two spaces otherwise. Relative to the section key. */
function guessLayout(doc: Document.Parsed, index: ParsedTrivyignore['index']): Layout {
  if (isMap(doc.contents)) {
    for (const p of doc.contents.items) {
      if (isSeq(p.value) && !p.value.flow && isMap(p.value.items[0])) {
        const l = itemLayout(p.value.items[0] as YAMLMap, index.text, index);
        const base = index.positionAt((p.key as { range: number[] }).range[0]).character;
        return { dash: l.dash - base, key: l.key - base };
      }
    }
  }
  return { dash: 2, key: 4 };
}

/** Insert whole lines after the line that holds `offset` (or at `offset` when it already starts a line). */
function insertAfterLineOf(parsed: ParsedTrivyignore, offset: number, lines: string): TextEdit {
  const { index } = parsed;
  const pos = index.positionAt(offset);
  if (pos.character === 0) return insert(pos, lines);
  if (pos.line + 1 < index.lineCount) return insert(at(pos.line + 1, 0), lines);
  return insert(at(pos.line, index.lineText(pos.line).length), index.eol + lines.slice(0, -index.eol.length));
}

function updateItem(item: YAMLMap, parsed: ParsedTrivyignore, fields: [string, string][]): TextEdit[] {
  const { index, text } = parsed;
  const edits: TextEdit[] = [];
  const l = itemLayout(item, text, index);
  let added = '';
  for (const [key, value] of fields) {
    const p = item.items.find((x) => isScalar(x.key) && x.key.value === key);
    const node = p?.value as { range?: number[] } | null | undefined;
    if (p && node?.range) {
      const [s, e] = node.range;
      // an empty value (`statement:`) needs the space after the colon; an anchor before the value is kept
      edits.push({ range: { start: index.positionAt(s), end: index.positionAt(e) }, newText: s === e ? ` ${value}` : value });
    } else if (p) {
      const keyEnd = (p.key as { range: number[] }).range[1];
      const colon = text.indexOf(':', keyEnd);
      edits.push(insert(index.positionAt(colon + 1), ` ${value}`));
    } else {
      added += `${' '.repeat(l.key)}${key}: ${value}${index.eol}`;
    }
  }
  if (added) edits.push(insertAfterLineOf(parsed, item.range![1], added));
  return edits;
}
