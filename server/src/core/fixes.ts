// Applying fixes: pick non-overlapping fixes, apply them, and repeat until the text is stable.
// Used by `hullcheck lint --fix`, by source.fixAll.hullcheck and by the fix tests.

import { LineIndex, applyEdits } from './text';
import type { Finding, Fix } from './findings';

interface Span { s: number; e: number }

function conflicts(a: Span, b: Span): boolean {
  if (a.s === b.s) return true; // two edits at one point: order would be ambiguous
  if (Math.max(a.s, b.s) < Math.min(a.e, b.e)) return true;
  // an insertion strictly inside another edit's range
  if (a.s === a.e && b.s < a.s && a.s < b.e) return true;
  if (b.s === b.e && a.s < b.s && b.s < a.e) return true;
  return false;
}

/** Choose fixes whose edits do not overlap each other, in finding order. */
export function selectFixes(text: string, fixes: Fix[]): Fix[] {
  const idx = new LineIndex(text);
  const taken: Span[] = [];
  const chosen: Fix[] = [];
  for (const fix of fixes) {
    // a create-file fix without text edits changes nothing in this text; whoever can create files applies it
    if (fix.edits.length === 0) continue;
    const spans = fix.edits.map((e) => ({ s: idx.offsetAt(e.range.start), e: idx.offsetAt(e.range.end) }));
    if (spans.some((sp) => taken.some((t) => conflicts(sp, t)))) continue;
    if (spans.some((sp, i) => spans.some((o, j) => i < j && conflicts(sp, o)))) continue;
    taken.push(...spans);
    chosen.push(fix);
  }
  return chosen;
}

/** Apply one round of the chosen fixes. */
export function applyFixes(text: string, fixes: Fix[]): string {
  const chosen = selectFixes(text, fixes);
  return applyEdits(text, chosen.flatMap((f) => f.edits));
}

export function safeFixesOf(findings: Finding[]): Fix[] {
  return findings.flatMap((f) => f.fixes.filter((x) => x.safety === 'safe').slice(0, 1));
}

/**
 * Lint, apply safe fixes, lint again, until nothing changes (at most `maxPasses` rounds).
 * Later rounds pick up fixes that were skipped because they overlapped an earlier one.
 */
export async function fixUntilStable(
  text: string,
  lint: (text: string) => Promise<Finding[]>,
  pick: (findings: Finding[]) => Fix[] = safeFixesOf,
  maxPasses = 10,
  /** Called after each pass that changed the text, with the fixes applied in it (tests check what changed). */
  onPass?: (pass: { before: string; after: string; applied: Fix[] }) => void,
): Promise<{ text: string; passes: number }> {
  let current = text;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const fixes = pick(await lint(current));
    if (fixes.length === 0) return { text: current, passes: pass - 1 };
    const next = applyFixes(current, fixes);
    if (next === current) return { text: current, passes: pass - 1 };
    onPass?.({ before: current, after: next, applied: selectFixes(current, fixes) });
    current = next;
  }
  return { text: current, passes: maxPasses };
}
