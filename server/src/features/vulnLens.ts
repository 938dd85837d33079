// Code lenses on a Dockerfile for the vulnerabilities its image carries: on each instruction whose layer brought
// CVEs ("2 critical, 5 high from this layer, 6 fixable") and on the FROM for the base image's share. A workspace
// report counts as this file's image only when its history matches the file's instructions, RUN commands included.

import type { CodeLens } from 'vscode-languageserver/node';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { countsSummary, groupByOrigin, layerOrigins, type LayerOrigin } from '../trivy/layers';
import type { TrivyReport, TrivyVulnerability } from '../trivy/report';

/** The command a lens runs: focus the Vulnerabilities view. */
export const VULN_LENS_COMMAND = 'hullcheck.vulnerabilities.focus';

/**
 * Whether the report's image was built from this Dockerfile: every build step was walked back to the base image
 * and at least one RUN (compared by its command text) paired with a layer. COPY/ENV alone match too many images.
 */
export function builtFrom(origins: Map<string, LayerOrigin>): boolean {
  const all = [...origins.values()];
  return all.some((o) => o.base) && all.some((o) => !o.base && o.instr?.keyword === 'RUN');
}

export interface VulnLens { line: number; title: string }

/**
 * Lens lines and titles for the first report (in the order given) built from `parsed`. `kept` is what remains of
 * its vulnerabilities after the folder's ignore file.
 */
export function vulnLensesFor(parsed: ParsedDockerfile, reports: { report: TrivyReport; kept: TrivyVulnerability[] }[], target?: string): VulnLens[] {
  for (const { report, kept } of reports) {
    const origins = layerOrigins(report, parsed, target);
    if (!builtFrom(origins)) continue;
    const name = report.artifact.name || report.source;
    return groupByOrigin(kept, report.layers, origins).filter((g) => g.origin?.instr).map((g) => {
      const o = g.origin!;
      const counts = countsSummary(g.counts, 0);
      const fixable = g.fixable ? `, ${g.fixable} fixable` : '';
      const title = o.base ? `base image ${o.baseImage ?? ''}: ${counts}${fixable} (${name})` : `${counts} from this layer${fixable} (${name})`;
      return { line: o.instr!.range.start.line, title };
    });
  }
  return [];
}

export function toCodeLenses(lenses: VulnLens[]): CodeLens[] {
  return lenses.map(({ line, title }) => ({
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    command: { title, command: VULN_LENS_COMMAND, arguments: [] },
  }));
}
