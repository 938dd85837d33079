// What a rule is and what it sees while it runs: the file, its parse, the facts around it, its options and the
// configuration, and `report` for its findings. Image rules get the image under judgement as their parse.

import type { Fix, Range, Severity } from '../core/findings';
import type { RuleMeta, RuleKind } from '../core/ruleMeta';
import type { ResolvedConfig } from '../config/resolvedConfig';
import type { HadolintConfig } from '../config/hadolintConfig';
import type { DockerfileFacts } from '../facts/fileFacts';
import type { ParsedDockerfile } from '../parse/dockerfile';
import type { ParsedDockerignore } from '../parse/dockerignore';
import type { ParsedTrivyignore } from '../parse/trivyignore';
import type { ParsedCompose } from '../parse/compose';
import type { ImageSubject } from '../model/imageSubject';
import type { InlineException } from '../model/suppressionLedger';

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
/** Image rules get the image, its inspect data and `docker save` analysis as their parse (engine/imageRules.ts runs them through the engine's runner). */
export type ImageRule = RuleOf<'image', ImageSubject>;
export type Rule = DockerfileRule | DockerignoreRule | ComposeRule | TrivyignoreRule | ImageRule;
