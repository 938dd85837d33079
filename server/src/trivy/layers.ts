// Traces a Trivy image report's vulnerabilities to where they came from: the layer (Layer.DiffID), the history
// entry that made it (history zipped with rootfs.diff_ids, empty_layer entries skipped), and, given the
// Dockerfile, the instruction — with the same history attribution the image budgets use.

import { attributeHistory, shortCreatedBy } from '../model/imageHistory';
import type { Instr, ParsedDockerfile } from '../parse/dockerfile';
import type { TrivyReport, TrivySeverity, TrivyVulnerability } from './report';
import { emptyCounts, SEVERITIES, type SeverityCounts } from './report';

/** Where one layer of the scanned image came from. */
export interface LayerOrigin {
  diffId: string;
  /** Index of the layer in rootfs.diff_ids (0 = oldest). */
  layerIndex: number;
  /** The history entry's instruction as one short line (`RUN apt-get install …`, `COPY file:1a2b in /app`). */
  short: string;
  /** The Dockerfile instruction that made the layer, when a Dockerfile was given and its steps match the history. */
  instr?: Instr;
  /** True when the layer belongs to the base image; `instr` is then the FROM line. */
  base: boolean;
  /** The base image as the FROM names it, for base layers. */
  baseImage?: string;
}

/**
 * The origin of every layer, by DiffID. Without a Dockerfile only the history entry is known; with one, each
 * layer is attributed to its instruction or to the base image. When the history and the diff ids disagree
 * (a builder that does not mark empty layers), nothing is guessed: the map is empty.
 */
export function layerOrigins(report: TrivyReport, parsed?: ParsedDockerfile, target?: string): Map<string, LayerOrigin> {
  const out = new Map<string, LayerOrigin>();
  const image = report.image;
  if (!image) return out;
  const layered = image.history.filter((h) => !h.empty).length;
  if (layered !== image.diffIds.length) return out;
  const entries = image.history.map((h) => ({ id: '', created: 0, createdBy: h.createdBy, size: 0 }));
  const attributed = attributeHistory(entries, parsed, target);
  let layerIndex = 0;
  image.history.forEach((h, i) => {
    if (h.empty) return;
    const diffId = image.diffIds[layerIndex];
    const a = attributed[i];
    const origin: LayerOrigin = { diffId, layerIndex, short: shortCreatedBy(h.createdBy), base: a.base, ...(a.instr ? { instr: a.instr } : {}) };
    if (a.base && a.instr?.stage) origin.baseImage = a.instr.stage.image;
    out.set(diffId, origin);
    layerIndex++;
  });
  return out;
}

/** One group of findings brought by the same origin: a Dockerfile line, the base image, or an unattributed layer. */
export interface OriginGroup {
  /** Stable key: `base`, `line:N` (0-based), `layer:DIFFID` or `unknown`. */
  key: string;
  label: string;
  origin?: LayerOrigin;
  counts: SeverityCounts;
  fixable: number;
  vulnerabilities: TrivyVulnerability[];
}

/** The key and label of a vulnerability's origin; `file` names the Dockerfile in labels (`Dockerfile:5 RUN …`). */
export function originOf(layer: string | undefined, origins: Map<string, LayerOrigin>, file = 'line '): { key: string; label: string; origin?: LayerOrigin } {
  const o = layer ? origins.get(layer) : undefined;
  const at = (i: Instr) => `${file === 'line ' ? file : `${file}:`}${i.range.start.line + 1}`;
  if (!o) return { key: 'unknown', label: layer ? `layer ${layer.replace(/^sha256:/, '').slice(0, 12)} (not in the image's history)` : 'an unknown layer' };
  if (o.base && o.instr) return { key: 'base', label: `base image ${o.baseImage ?? ''} (${at(o.instr)} FROM)`.replace('image  (', 'image ('), origin: o };
  if (o.instr) return { key: `line:${o.instr.range.start.line}`, label: `${at(o.instr)} ${o.short}`, origin: o };
  return { key: `layer:${o.diffId}`, label: `layer ${o.layerIndex + 1}: ${o.short}`, origin: o };
}

/** Vulnerabilities grouped by what introduced them, in layer order (base image first, unknown last). */
export function groupByOrigin(vulns: TrivyVulnerability[], layers: Map<TrivyVulnerability, string>, origins: Map<string, LayerOrigin>, file?: string): OriginGroup[] {
  const groups = new Map<string, OriginGroup>();
  for (const v of vulns) {
    const { key, label, origin } = originOf(layers.get(v), origins, file);
    let g = groups.get(key);
    if (!g) groups.set(key, g = { key, label, ...(origin ? { origin } : {}), counts: emptyCounts(), fixable: 0, vulnerabilities: [] });
    g.counts[v.severity]++;
    if (v.fixed) g.fixable++;
    g.vulnerabilities.push(v);
  }
  const rank = (g: OriginGroup) => (g.key === 'base' ? -1 : g.origin ? g.origin.layerIndex : Number.MAX_SAFE_INTEGER);
  return [...groups.values()].sort((a, b) => rank(a) - rank(b));
}

/** `2 critical, 5 high, 6 fixable`: the non-zero severities, most severe first, then how many have a fix. */
export function countsSummary(counts: SeverityCounts, fixable: number): string {
  const parts = SEVERITIES.filter((s: TrivySeverity) => counts[s] > 0).map((s) => `${counts[s]} ${s.toLowerCase()}`);
  if (fixable) parts.push(`${fixable} fixable`);
  return parts.join(', ');
}
