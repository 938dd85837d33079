// What every rule declares about itself: the language it judges, its category, default severity, fix kind,
// the peer checks it mirrors (hadolint, BuildKit, Container Tools) and its documentation.

import type { Language, Severity } from './findings';

export type SeveritySetting = Severity | 'off';
/** What a rule judges: a file of one language, or a built image (image rules run through the Docker engine, not the linter). */
export type RuleKind = Language | 'image';
export type FixKind = 'none' | 'safe' | 'unsafe';

export interface RuleDocs {
  /** Why the convention exists, in a few sentences of Markdown. */
  rationale: string;
  /** A file that must make the rule fire. */
  invalid: string;
  /** A file on which the rule stays silent. */
  valid: string;
  /** Extra notes: options, differences from hadolint or BuildKit. */
  notes?: string;
  /** Files the examples need beside them (e.g. `{ '.dockerignore': 'docs/\n' }`), written next to them when the examples run. */
  files?: Record<string, string>;
}

export interface RuleMeta {
  id: string;
  language: RuleKind;
  category: 'build' | 'caching' | 'size' | 'security' | 'metadata' | 'health' | 'correctness' | 'style' | 'context' | 'compose' | 'vulnerabilities';
  title: string;
  /** Other languages the rule also runs on (the suppression ledger rules cover Dockerfiles and compose files). */
  alsoLanguages?: Language[];
  severity: SeveritySetting;
  /**
   * Required when `severity` is `error`: why a finding is certain breakage (the build or deployment fails, or a
   * secret value ships in the image) rather than taste or a builder-dependent risk, which stay warnings.
   */
  errorReason?: string;
  fix: FixKind;
  hadolint?: string[];
  buildkit?: string[];
  /** dockerfile-utils' validation codes (ValidationCode names) for the same fact: what Container Tools reports too. */
  containerTools?: string[];
  docs: RuleDocs;
}
