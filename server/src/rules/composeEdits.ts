// Minimal text edits on compose YAML for fixes: add keys to a block mapping, append list items, replace a node.
// Edits work on the source text with the nodes' ranges, so comments, quoting and layout stay as written.

import { isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEdit } from '../core/findings';
import type { ParsedCompose } from '../parse/compose';

type Ranged = { range?: readonly number[] | null };

/** Offset where the line holding the end of `node` ends (block scalars end at the next line's start). */
function endOfLastLine(parsed: ParsedCompose, node: Ranged): number {
  const end = node.range?.[1] ?? 0;
  let { line, character } = parsed.index.positionAt(end);
  if (character === 0 && line > 0 && end > (node.range?.[0] ?? 0)) line--;
  return parsed.index.lineEnd(line);
}

/** Column of a node's first character. */
export function columnOf(parsed: ParsedCompose, node: Ranged | null | undefined): number {
  return node?.range ? parsed.index.positionAt(node.range[0]).character : 0;
}

/** Indentation of a block mapping's keys, or undefined when it is a flow mapping or empty. */
export function keyIndent(parsed: ParsedCompose, map: YAMLMap | undefined): number | undefined {
  if (!map || map.flow || map.items.length === 0) return undefined;
  return columnOf(parsed, map.items[0].key as Ranged);
}

/**
 * Insert lines (already indented relative to the map's keys with two-space steps) as new keys at the end of a block
 * mapping. Returns undefined for flow or empty mappings, which have no layout to follow.
 */
export function appendToMap(parsed: ParsedCompose, map: YAMLMap | undefined, lines: string[]): TextEdit | undefined {
  const indent = keyIndent(parsed, map);
  if (indent === undefined || !map) return undefined;
  const last = map.items[map.items.length - 1];
  const anchor = (last.value as Ranged | null) ?? (last.key as Ranged);
  const at = parsed.index.positionAt(endOfLastLine(parsed, anchor));
  const eol = parsed.index.eol;
  const pad = ' '.repeat(indent);
  return { range: { start: at, end: at }, newText: lines.map((l) => eol + pad + l).join('') };
}

/** Append an item to a block sequence, lined up with its dashes. */
export function appendToSeq(parsed: ParsedCompose, seq: YAMLSeq | undefined, text: string): TextEdit | undefined {
  if (!seq || seq.flow || seq.items.length === 0) return undefined;
  const first = seq.items[0] as Ranged;
  const last = seq.items[seq.items.length - 1] as Ranged;
  // the dash sits two columns before the item's content
  const dashCol = Math.max(0, columnOf(parsed, first) - 2);
  const at = parsed.index.positionAt(endOfLastLine(parsed, last));
  return { range: { start: at, end: at }, newText: `${parsed.index.eol}${' '.repeat(dashCol)}- ${text}` };
}

/** Replace a node's text (its value range, trailing comments kept). */
export function replaceNode(parsed: ParsedCompose, node: Ranged, text: string): TextEdit {
  const r = parsed.range(node);
  return { range: r, newText: text };
}

/**
 * Replace a block sequence by a block mapping written as `lines` (relative indentation in two-space steps),
 * keeping the sequence's own indentation (at least two columns deeper than its parent key).
 */
export function replaceBlockSeq(parsed: ParsedCompose, seq: YAMLSeq, parentKeyColumn: number, lines: string[]): TextEdit | undefined {
  if (seq.flow || seq.items.length === 0 || !seq.range) return undefined;
  const first = seq.items[0] as Ranged;
  const dashCol = Math.max(0, columnOf(parsed, first) - 2);
  const indent = Math.max(dashCol, parentKeyColumn + 2);
  const startLine = parsed.index.positionAt(first.range?.[0] ?? seq.range[0]).line;
  const start = { line: startLine, character: 0 };
  const end = parsed.index.positionAt(endOfLastLine(parsed, seq.items[seq.items.length - 1] as Ranged));
  const eol = parsed.index.eol;
  return { range: { start, end }, newText: lines.map((l) => ' '.repeat(indent) + l).join(eol) };
}

export function isBlockSeq(n: Node | undefined): n is YAMLSeq {
  return isSeq(n) && !n.flow;
}
