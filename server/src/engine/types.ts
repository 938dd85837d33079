// Core types shared by the engine, the rules, the language server and the CLI.
// Positions are 0-based (line, character) like LSP; the CLI converts to 1-based on output.

import type { ParsedDockerfile } from '../parse/dockerfile';
import type { ParsedDockerignore } from '../parse/dockerignore';
import type { ParsedTrivyignore } from '../parse/trivyignore';
import type { ParsedCompose } from '../parse/compose';
import type { ComposeFacts } from '../compose/facts';
import type { HadolintConfig } from './config';
import type { ImageSubject } from '../docker/imageSubject';
import type { InlineException } from './ledger';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export type Language = 'dockerfile' | 'compose' | 'dockerignore' | 'trivyignore';
/** What a rule judges: a file of one language, or a built image (image rules run through the Docker engine, not the linter). */
export type RuleKind = Language | 'image';
export type FixKind = 'none' | 'safe' | 'unsafe';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextEdit { range: Range; newText: string }

/** A fix travels with its finding. `safe` fixes may be applied without review (`--fix`, fixAll). */
export interface Fix {
  title: string;
  safety: 'safe' | 'unsafe';
  edits: TextEdit[];
  /**
   * A file this fix creates (e.g. a missing `.dockerignore`), with its full text. Such a fix may have no
   * text edits; callers that only apply `edits` skip it, callers that can create files (`--fix`, the editor) do both.
   */
  createFile?: { path: string; text: string };
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: Fix[];
}

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

/** Facts about files around the linted one, gathered asynchronously before the (synchronous) rules run. */
export interface DockerfileFacts {
  /** The ignore file that applies to this Dockerfile's build context, if any. */
  dockerignore?: { path: string; text: string } | null;
  /** The build context folder (absolute or as given); undefined for stdin/unsaved files. */
  contextDir?: string;
  /**
   * Text of the build-context files that rules judge by content (COPY sources whose name looks secret), keyed
   * by the source as written. A source missing from the map is unknown (not in the context, unreadable, too big).
   */
  contextFiles?: ReadonlyMap<string, string>;
  /** For ignore files: names of the entries in the same folder (ecosystem detection); undefined when unknown. */
  siblings?: string[];
  /** For compose files: the Dockerfiles, env files and sibling compose files around it. */
  compose?: ComposeFacts;
  /** For Trivy ignore files: what the workspace's reports contain, and today's date. */
  trivy?: TrivyignoreFacts;
}

/** Facts for `.trivyignore` rules, gathered from the Trivy reports next to the ignore file. */
export interface TrivyignoreFacts {
  /** Every id found in the reports; undefined when no report was found (staleness is then unknown). */
  ids?: Set<string>;
  /** Which kinds of scan the reports cover (an id of a kind never scanned cannot be judged stale). */
  scanned?: Set<'vulnerability' | 'misconfiguration' | 'secret' | 'license'>;
  /** The report files read, for messages. */
  reports?: string[];
  /** Today as YYYY-MM-DD (UTC), injectable for tests through HULLCHECK_TODAY. */
  today: string;
}

export interface RuleContext<P> {
  readonly file: string;
  readonly parsed: P;
  readonly facts: DockerfileFacts;
  /** Rule options from config (`rules.<id>` mapping minus severity), merged with top-level shortcuts. */
  readonly options: Record<string, unknown>;
  readonly config: ResolvedConfig;
  /** The `.hadolint.yaml` that applies, if any (trusted registries, label schema). */
  readonly hadolint?: HadolintConfig;
  /** Dockerfiles: suppression pragmas and check directives the engine could not apply (reported by `pragma-invalid`). */
  readonly pragmaProblems?: readonly { range: Range; message: string }[];
  /** Dockerfiles and compose files: the inline ignores, with what each suppressed (complete only for the ledger rules, which run last). */
  readonly inlineExceptions?: readonly InlineException[];
  report(finding: { range: Range; message: string; fixes?: Fix[]; severity?: Severity }): void;
}

export interface RuleOf<L extends RuleKind, P> {
  meta: RuleMeta & { language: L };
  check(ctx: RuleContext<P>): void;
}

export type DockerfileRule = RuleOf<'dockerfile', ParsedDockerfile>;
export type DockerignoreRule = RuleOf<'dockerignore', ParsedDockerignore>;
export type ComposeRule = RuleOf<'compose', ParsedCompose>;
export type TrivyignoreRule = RuleOf<'trivyignore', ParsedTrivyignore>;
/** Image rules get the image, its inspect data and `docker save` analysis as their parse (server/src/docker/checks.ts runs them). */
export type ImageRule = RuleOf<'image', ImageSubject>;
export type Rule = DockerfileRule | DockerignoreRule | ComposeRule | TrivyignoreRule | ImageRule;

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

export const INTERNAL_ERROR_RULE = 'internal-error';
export const CONFIG_ERROR_RULE = 'config-error';
/** Rule id of the notice that a file the linted one names was not read (outside the project, not a regular file, too large). */
export const FILE_NOT_READ_RULE = 'file-not-read';
