// Configuration after merging defaults, .hullcheck.yaml, .hadolint.yaml and editor settings: per-rule settings,
// the preset, the suppression policy and where each part came from.

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
