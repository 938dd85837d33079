// Hullcheck beside Docker DX (BuildKit checks) and Container Tools (dockerfile-utils validation): the findings of
// rules whose metadata names the same diagnostic in the other extension, hidden as `hullcheck.duplicates` says.
// The client reports which of those extensions is active (hullcheck/peerExtensions).

import type { Finding } from '../core/findings';
import type { RuleMeta } from '../core/ruleMeta';
import { RULES_BY_ID } from '../engine/linter';
import type { DuplicatesMode, PeerExtensionsParams } from '../protocol/messages';

/** Whether a rule reports what an active peer extension reports too. */
export function duplicatedBy(meta: RuleMeta, peers: PeerExtensionsParams | 'any'): boolean {
  const dx = peers === 'any' || peers.dockerDx;
  const ct = peers === 'any' || peers.containerTools;
  return (dx && !!meta.buildkit?.length) || (ct && !!meta.containerTools?.length);
}

/** Findings left after hiding duplicates: `hide` hides every mapped rule, `auto` those of active peers, `show` none. */
export function filterDuplicates(findings: Finding[], mode: DuplicatesMode, peers: PeerExtensionsParams): Finding[] {
  if (mode === 'show') return findings;
  const scope = mode === 'hide' ? 'any' : peers;
  if (scope !== 'any' && !scope.dockerDx && !scope.containerTools) return findings;
  return findings.filter((f) => {
    const meta = RULES_BY_ID.get(f.rule)?.meta;
    return !meta || !duplicatedBy(meta, scope);
  });
}
