// Hullcheck beside Docker DX (BuildKit checks) and Container Tools (dockerfile-utils validation): the findings of
// rules whose metadata names the same diagnostic in the other extension, hidden as `hullcheck.duplicates` says.
// The client reports which of those extensions is active (hullcheck/peerExtensions).

import type { Finding } from '../core/findings';
import type { RuleMeta } from '../core/ruleMeta';
import { RULES_BY_ID } from '../engine/linter';
import type { DuplicatesMode, PeerExtensionsParams } from '../protocol/messages';

/**
 * Rules a peer reports only in part: which of their findings it reports too, judged on the text a finding covers,
 * and how the duplicates page says so. Without that text such a finding is kept: a fact shown twice rather than lost.
 */
export const PARTIAL_OVERLAPS: Record<string, { containerTools?: { note: string; reports(flagged: string): boolean } }> = {
  // dockerfile-utils takes `8080:80` (a host mapping) for a port and reports INVALID_PORT only for arguments that are
  // not `port[-port][:port[-port]][/proto]`, such as those with an IP address; it skips those starting with a variable
  'expose-invalid-format': {
    containerTools: {
      note: 'only for an IP address, not a host-port mapping',
      reports: (arg) => {
        const v = arg.replace(/^"(.*)"$/, '$1');
        return !v.includes('$') && !/^\d+(-\d+)?(:\d+(-\d*)?)?(\/\w*)*$/.test(v);
      },
    },
  },
};

/** The text a single-line range covers; undefined for a range over several lines. */
function flaggedText(text: string, f: Finding): string | undefined {
  const { start, end } = f.range;
  if (start.line !== end.line) return undefined;
  return text.split('\n')[start.line]?.replace(/\r$/, '').slice(start.character, end.character);
}

/** Whether an active peer extension reports this finding too (`text`: the linted text, for partly shared rules). */
export function duplicatedBy(f: Finding, meta: RuleMeta, peers: PeerExtensionsParams | 'any', text?: string): boolean {
  const dx = peers === 'any' || peers.dockerDx;
  const ct = peers === 'any' || peers.containerTools;
  if (dx && meta.buildkit?.length) return true;
  if (!ct || !meta.containerTools?.length) return false;
  // the user turned these off in Container Tools: nobody else reports them
  const off = peers === 'any' ? [] : peers.containerToolsOff ?? [];
  if (meta.containerTools.every((c) => off.includes(c))) return false;
  const partly = PARTIAL_OVERLAPS[meta.id]?.containerTools;
  if (!partly) return true;
  const flagged = text === undefined ? undefined : flaggedText(text, f);
  return flagged !== undefined && partly.reports(flagged);
}

/**
 * Findings left after hiding duplicates: `hide` hides every one a mapped peer reports, `auto` those of active peers,
 * `show` none. `text` is the linted text (rules a peer shares only in part keep their findings without it).
 */
export function filterDuplicates(findings: Finding[], mode: DuplicatesMode, peers: PeerExtensionsParams, text?: string): Finding[] {
  if (mode === 'show') return findings;
  const scope = mode === 'hide' ? 'any' : peers;
  if (scope !== 'any' && !scope.dockerDx && !scope.containerTools) return findings;
  return findings.filter((f) => {
    const meta = RULES_BY_ID.get(f.rule)?.meta;
    return !meta || !duplicatedBy(f, meta, scope, text);
  });
}
