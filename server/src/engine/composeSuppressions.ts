// Inline suppressions for compose files: `# hullcheck ignore=<id>[,<id>]` on the line above a key silences the
// findings that start on that key's line or inside its value; `# hullcheck global ignore=<id>` the whole file.

import type { ParsedCompose } from '../parse/compose';
import { composeIgnore } from '../parse/pragma';
import type { Finding, Range } from '../core/findings';
import type { RuleMeta } from '../core/ruleMeta';
import type { SuppressionPolicy } from '../config/resolvedConfig';
import { inlineException, markUsed, todayIso, type InlineException } from '../model/suppressionLedger';

export interface ComposeSuppressions {
  global: Set<string>;
  /** Line spans [first, last] (0-based, inclusive) with the ids ignored there, and the ignore they come from. */
  spans: { first: number; last: number; ids: Set<string>; entry?: InlineException }[];
  /** Every ignore as a ledger entry, and the global ones that apply. */
  entries?: InlineException[];
  globalEntries?: InlineException[];
  /** Ignores the `suppressions:` policy refuses or whose `until=` is malformed (reported by pragma-invalid). */
  problems?: { range: Range; message: string }[];
}

export function collectComposeSuppressions(parsed: ParsedCompose, opts: { policy?: SuppressionPolicy; today?: string } = {}): ComposeSuppressions {
  const global = new Set<string>();
  const spans: ComposeSuppressions['spans'] = [];
  const entries: InlineException[] = [];
  const globalEntries: InlineException[] = [];
  const problems: { range: Range; message: string }[] = [];
  const today = opts.today ?? todayIso();
  const { index } = parsed;
  // pragmas waiting for the key they apply to: the next line that is neither blank nor a comment
  let pending: InlineException[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const text = index.lineText(line).trim();
    if (!text.startsWith('#')) {
      if (text === '' || pending.length === 0) continue;
      const end = parsed.keyExtents.get(line);
      if (end !== undefined) for (const entry of pending) spans.push({ first: line, last: Math.max(line, index.positionAt(end).line), ids: new Set(entry.ids), entry });
      pending = [];
      continue;
    }
    const p = composeIgnore(text);
    if (!p) continue;
    const indent = index.lineText(line).length - index.lineText(line).trimStart().length;
    const range: Range = { start: { line, character: indent }, end: { line, character: indent + text.length } };
    const { pragma } = p;
    const entry = inlineException({
      tool: 'hullcheck', scope: p.global ? 'global' : 'next', range,
      value: text.slice(pragma.valueStart, pragma.valueEnd), valueStart: indent + pragma.valueStart, comment: pragma.comment,
    }, opts.policy, today);
    entries.push(entry);
    if (entry.problem) problems.push({ range, message: entry.problem });
    // an expired ignore, or one the policy refuses, suppresses nothing
    if (entry.status !== 'active') continue;
    if (p.global) { entry.ids.forEach((x) => global.add(x)); globalEntries.push(entry); } else pending.push(entry);
  }
  return { global, spans, entries, globalEntries, problems };
}

function matches(ids: Set<string>, meta: RuleMeta): boolean {
  return ids.has(meta.id);
}

export function isComposeSuppressed(s: ComposeSuppressions, finding: Finding, meta: RuleMeta): boolean {
  const line = finding.range.start.line;
  const covering = s.spans.filter((sp) => line >= sp.first && line <= sp.last && matches(sp.ids, meta));
  const suppressed = matches(s.global, meta) || covering.length > 0;
  if (suppressed) {
    // every ignore that covers the finding counts as used
    for (const x of s.globalEntries ?? []) markUsed(x, meta);
    for (const sp of covering) if (sp.entry) markUsed(sp.entry, meta);
  }
  return suppressed;
}
