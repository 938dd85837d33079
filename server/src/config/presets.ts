// Presets: the default severity of each rule under `recommended`, `strict` or `hadolint`, optionally pinned to
// the rule set of an earlier version, computed from the table in config/presetRecords.ts. Config and editor settings
// still override what a preset says.

import {
  FIRST_VERSION, HADOLINT_SEVERITY, PRESET_NAMES, PRESETS_SINCE, RULE_RECORDS, RULESET_VERSION,
  type PresetName, type RuleRecord,
} from './presetRecords';
import type { PresetRef, ResolvedConfig } from './resolvedConfig';
import type { RuleMeta, SeveritySetting } from '../core/ruleMeta';

export { RULESET_VERSION, PRESET_NAMES, type PresetName };

const RANK: Record<SeveritySetting, number> = { off: -1, hint: 0, info: 1, warning: 2, error: 3 };
const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/;

/** Compare two `x.y.z` versions numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export function isVersion(v: string): boolean {
  return VERSION.test(v);
}

/** Read `preset: NAME[@VERSION]`; a string comes back as the problem to report. */
export function parsePreset(value: unknown): PresetRef | string {
  if (typeof value !== 'string') return `\`preset\` must be one of ${PRESET_NAMES.join(', ')}, optionally pinned as \`recommended@${RULESET_VERSION}\`.`;
  const at = value.indexOf('@');
  const name = (at < 0 ? value : value.slice(0, at)).trim().toLowerCase();
  const version = at < 0 ? undefined : value.slice(at + 1).trim();
  if (!(PRESET_NAMES as readonly string[]).includes(name)) return `Unknown preset \`${name}\`; use one of ${PRESET_NAMES.join(', ')}.`;
  if (version === undefined) return { name: name as PresetName };
  if (!isVersion(version)) return `\`${version}\` is not a version; pin a preset as \`${name}@${RULESET_VERSION}\`.`;
  if (compareVersions(version, FIRST_VERSION) < 0) return `The oldest rule set is ${FIRST_VERSION}; pin \`${name}@${FIRST_VERSION}\` or later.`;
  if (name !== 'recommended' && compareVersions(version, PRESETS_SINCE) < 0) return `The \`${name}\` preset arrived in ${PRESETS_SINCE}; pin \`${name}@${PRESETS_SINCE}\` or later.`;
  if (compareVersions(version, RULESET_VERSION) > 0) return `This Hullcheck knows rule sets up to ${RULESET_VERSION}, not ${version}; upgrade Hullcheck or pin an older version.`;
  return { name: name as PresetName, version };
}

export function presetLabel(p: PresetRef | undefined): string {
  return p ? `${p.name}${p.version ? `@${p.version}` : ''}` : 'rule defaults';
}

function record(id: string): RuleRecord | undefined {
  return Object.prototype.hasOwnProperty.call(RULE_RECORDS, id) ? RULE_RECORDS[id] : undefined;
}

function applies(change: { version: string; presets?: PresetName[] }, name: PresetName, version: string): boolean {
  return compareVersions(change.version, version) <= 0 && (!change.presets || change.presets.includes(name));
}

/** hadolint's severity for a rule: the highest of its DL codes; off for a Dockerfile rule hadolint does not have. */
function hadolintSeverity(meta: RuleMeta): SeveritySetting {
  const codes = (meta.hadolint ?? []).filter((c) => HADOLINT_SEVERITY[c] !== undefined);
  if (codes.length === 0) return meta.hadolint?.length ? meta.severity : 'off';
  return codes.map((c) => HADOLINT_SEVERITY[c]).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
}

/**
 * The default severity of a rule under a preset (before `.hadolint.yaml`, `.hullcheck.yaml` and editor settings).
 * Without a preset (engine calls with a bare config) it is the rule's own default.
 */
export function presetSeverity(meta: RuleMeta, preset: PresetRef | undefined): SeveritySetting {
  if (!preset) return meta.severity;
  // asked for every rule on every analysis: each preset version's answer per rule is worked out once
  const key = `${preset.name}@${preset.version ?? ''}`;
  let known = PRESET_SEVERITIES.get(key);
  if (!known) { known = new Map(); PRESET_SEVERITIES.set(key, known); }
  let sev = known.get(meta);
  if (sev === undefined) { sev = computePresetSeverity(meta, preset); known.set(meta, sev); }
  return sev;
}

/** Each preset version's severity per rule (a handful of presets and versions: small and bounded). */
const PRESET_SEVERITIES = new Map<string, Map<RuleMeta, SeveritySetting>>();

function computePresetSeverity(meta: RuleMeta, preset: PresetRef): SeveritySetting {
  const rec = record(meta.id);
  if (!rec) return meta.severity;
  const version = preset.version ?? RULESET_VERSION;
  if (compareVersions(rec.since, version) > 0) return 'off';
  let sev: SeveritySetting = meta.severity;
  if (compareVersions(version, PRESETS_SINCE) >= 0) {
    if (preset.name === 'hadolint') {
      if (meta.language === 'dockerfile') sev = hadolintSeverity(meta);
      else if (rec.opinion && RANK[sev] > RANK[rec.opinion.quiet ?? 'info']) sev = rec.opinion.quiet ?? 'info';
    } else if (preset.name === 'recommended') {
      if (rec.opinion && RANK[sev] > RANK[rec.opinion.quiet ?? 'info']) sev = rec.opinion.quiet ?? 'info';
    } else if (rec.opinion) {
      sev = rec.opinion.strict ?? (sev === 'off' ? 'off' : RANK[sev] < RANK.warning ? 'warning' : sev);
    }
  }
  for (const c of rec.changes ?? []) if (c.severity && applies(c, preset.name, version)) sev = c.severity;
  return sev;
}

/** The top-level `requiredLabels` default of a preset (undefined: the rule's own default). */
export function presetRequiredLabels(preset: PresetRef | undefined): string[] | undefined {
  if (!preset) return undefined;
  const version = preset.version ?? RULESET_VERSION;
  let labels: string[] | undefined;
  for (const rec of Object.values(RULE_RECORDS)) {
    for (const c of rec.changes ?? []) if (c.requiredLabels && applies(c, preset.name, version)) labels = c.requiredLabels;
  }
  return labels;
}

export interface PresetChangeRow {
  id: string;
  language: string;
  /** The severity under the pinned version, and under this release. */
  from: SeveritySetting;
  to: SeveritySetting;
  /** The version in which the rule arrived, when it arrived after the pin. */
  newRule?: string;
  notes: string[];
}

/** What moving a preset from `since` to this release changes: new rules, severity changes and default changes. */
export function changesSince(metas: RuleMeta[], name: PresetName, since: string): PresetChangeRow[] {
  const rows: PresetChangeRow[] = [];
  const pinned: PresetRef = { name, version: since };
  const current: PresetRef = { name };
  for (const meta of metas) {
    const rec = record(meta.id);
    const from = presetSeverity(meta, pinned), to = presetSeverity(meta, current);
    const notes = (rec?.changes ?? [])
      .filter((c) => compareVersions(c.version, since) > 0 && (!c.presets || c.presets.includes(name)))
      .map((c) => `${c.version}: ${c.note}`);
    const newRule = rec && compareVersions(rec.since, since) > 0 ? rec.since : undefined;
    if (from === to && notes.length === 0 && !newRule) continue;
    if (newRule && to === 'off' && notes.length === 0) continue;
    rows.push({ id: meta.id, language: meta.language, from, to, newRule, notes });
  }
  return rows.sort((a, b) => a.language.localeCompare(b.language) || a.id.localeCompare(b.id));
}

/** A one-line description of a rule's preset membership, for its page and the README table. */
export function presetSummary(meta: RuleMeta): { recommended: SeveritySetting; strict: SeveritySetting; hadolint: SeveritySetting; since: string; opinion: boolean } {
  const rec = record(meta.id);
  return {
    recommended: presetSeverity(meta, { name: 'recommended' }),
    strict: presetSeverity(meta, { name: 'strict' }),
    hadolint: presetSeverity(meta, { name: 'hadolint' }),
    since: rec?.since ?? RULESET_VERSION,
    opinion: Boolean(rec?.opinion),
  };
}

/** The notes of a rule's default changes, for its page. */
export function presetNotes(id: string): string[] {
  return (record(id)?.changes ?? []).map((c) => `${c.version}${c.presets ? ` (${c.presets.join(', ')})` : ''}: ${c.note}`);
}

/**
 * A loaded configuration with its preset's defaults filled in: `recommended` when none is named, hadolint's
 * behaviour for `preset: hadolint` unless `hadolintCompat` says otherwise, and the preset's required labels unless
 * `requiredLabels` is set.
 */
export function withPresetDefaults(config: ResolvedConfig): ResolvedConfig {
  const preset = config.preset ?? { name: 'recommended' };
  const out: ResolvedConfig = { ...config, preset };
  if (preset.name === 'hadolint' && config.hadolintCompat === undefined) out.hadolintCompat = true;
  if (!config.requiredLabels) {
    const labels = presetRequiredLabels(preset);
    if (labels) out.requiredLabels = labels;
  }
  return out;
}
