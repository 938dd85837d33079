// Inline suppressions for compose files: `# hullcheck ignore=<id>[,<id>]` on the line above a key silences the
// findings that start on that key's line or inside its value; `# hullcheck global ignore=<id>` the whole file.

import type { ParsedCompose } from '../parse/compose';
import { composeIgnorePragma } from '../parse/pragma';
import type { Finding, RuleMeta } from './types';

export interface ComposeSuppressions {
  global: Set<string>;
  /** Line spans [first, last] (0-based, inclusive) with the ids ignored there. */
  spans: { first: number; last: number; ids: Set<string> }[];
}

export function collectComposeSuppressions(parsed: ParsedCompose): ComposeSuppressions {
  const global = new Set<string>();
  const spans: ComposeSuppressions['spans'] = [];
  const { index } = parsed;
  // pragmas waiting for the key they apply to: the next line that is neither blank nor a comment
  let pending: Set<string>[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const text = index.lineText(line).trim();
    if (!text.startsWith('#')) {
      if (text === '' || pending.length === 0) continue;
      const end = parsed.keyExtents.get(line);
      if (end !== undefined) for (const ids of pending) spans.push({ first: line, last: Math.max(line, index.positionAt(end).line), ids });
      pending = [];
      continue;
    }
    const p = composeIgnorePragma(text);
    if (!p) continue;
    const ids = new Set(p.ids);
    if (p.global) ids.forEach((x) => global.add(x));
    else pending.push(ids);
  }
  return { global, spans };
}

function matches(ids: Set<string>, meta: RuleMeta): boolean {
  return ids.has(meta.id);
}

export function isComposeSuppressed(s: ComposeSuppressions, finding: Finding, meta: RuleMeta): boolean {
  if (matches(s.global, meta)) return true;
  const line = finding.range.start.line;
  return s.spans.some((sp) => line >= sp.first && line <= sp.last && matches(sp.ids, meta));
}
