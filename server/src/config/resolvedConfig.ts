// Configuration after merging defaults, .hullcheck.yaml, .hadolint.yaml and editor settings: per-rule settings,
// the preset, the suppression policy and where each part came from; and the problems found reading the files.

import type { Range } from '../core/findings';
import type { SeveritySetting } from '../core/ruleMeta';

/** `.hullcheck.yaml` `suppressions:` (defaults: no reason or expiry required, inline ignores allowed). */
export interface SuppressionPolicy { requireReason: boolean; requireExpiry: boolean; allowInline: boolean }

/** A preset and the rule-set version it is pinned to (absent: this release's). */
export interface PresetRef { name: 'recommended' | 'strict' | 'hadolint'; version?: string }

export interface RuleSetting {
  severity?: SeveritySetting;
  options: Record<string, unknown>;
}

/** Configuration after merging defaults, .hullcheck.yaml, .hadolint.yaml and editor settings. */
export interface ResolvedConfig {
  rules: Record<string, RuleSetting>;
  requiredLabels?: string[];
  allowRoot: string[];
  /** `root: true` in `.hullcheck.yaml`: the configuration search stops at its folder (monorepo packages). */
  root?: boolean;
  /** Turn every rule on, including those off by default (conformance runs). */
  enableAll: boolean;
  /** `hadolintCompat: true`: every rule with a hadolint counterpart behaves like it (each rule's `hadolintCompat` option). */
  hadolintCompat?: boolean;
  /** `preset: NAME[@VERSION]`: the rule set the defaults come from (absent: each rule's own default severity). */
  preset?: PresetRef;
  /** `suppressions:`: what inline ignores must state, and whether they are allowed at all. */
  suppressions?: SuppressionPolicy;
  /** Where each part came from, for messages. */
  sources: string[];
}

export const DEFAULT_POLICY: SuppressionPolicy = { requireReason: false, requireExpiry: false, allowInline: true };

/** Read `.hullcheck.yaml` `suppressions:`; a string comes back as the problem. */
export function parseSuppressionPolicy(value: unknown): SuppressionPolicy | string {
  if (value === null || value === undefined) return { ...DEFAULT_POLICY };
  if (typeof value !== 'object' || Array.isArray(value)) return '`suppressions` must be a mapping such as `{ requireReason: true, requireExpiry: false, allowInline: true }`.';
  const out: SuppressionPolicy = { ...DEFAULT_POLICY };
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k !== 'requireReason' && k !== 'requireExpiry' && k !== 'allowInline') return `\`suppressions.${k}\` is not an option; use requireReason, requireExpiry or allowInline.`;
    if (typeof v !== 'boolean') return `\`suppressions.${k}\` must be true or false.`;
    out[k] = v;
  }
  return out;
}

/** A problem with a configuration file, reported where it is written. */
export interface ConfigProblem {
  file: string;
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

/** A configuration file found by the upward search: its text, or why it could not be read. */
export type FoundFile = { file: string; text: string } | { file: string; text?: undefined; unreadable: string };
