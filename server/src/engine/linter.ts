// Runs every enabled rule over one parse, applies config and suppressions, and isolates rule failures:
// a rule that throws becomes one internal-error finding and a log line, and the other rules still report.

import * as path from 'node:path';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import { RULES } from '../rules';
import { copyInstructions } from '../model/dockerfile/copySources';
import { secretFileReason } from '../rules/secrets';
import { experimentalScope } from '../parse/checkDirectives';
import { collectSuppressions, isSuppressed } from './suppressions';
import { collectComposeSuppressions, isComposeSuppressed } from './composeSuppressions';
import { dropTailFixes, openTailOffset } from './openTail';
import { ignoreFileFor } from '../facts/buildContext';
import { buildLabels } from '../facts/buildLabels';
import { imagePublication } from '../facts/imagePublication';
import { engineSocketUse, entrypointScripts } from '../facts/imageRuntime';
import { projectImages } from '../facts/projectImages';
import { presetSeverity } from '../config/presets';
import { judgeUnused, todayIso, type InlineException } from '../model/suppressionLedger';
import type { ParsedCompose } from '../parse/compose';
import type { FileHost } from '../core/fileHost';
import type { HadolintConfig } from '../config/hadolintConfig';
import { compareFindings, INTERNAL_ERROR_RULE, type Finding, type Severity } from '../core/findings';
import { type DockerfileFacts } from '../facts/fileFacts';
import { type ResolvedConfig } from '../config/resolvedConfig';
import { type Rule, type RuleContext } from '../rules/context';
import { type RuleKind, type RuleMeta, type SeveritySetting } from '../core/ruleMeta';

export type Logger = (message: string) => void;

export interface LintOptions {
  config: ResolvedConfig;
  hadolint?: HadolintConfig;
  facts?: DockerfileFacts;
  log?: Logger;
  /** Restrict to these rule ids (tests). */
  only?: string[];
  /** Run these rules instead of the registry (tests of the engine itself). */
  rules?: Rule[];
  /** Filled with the file's inline ignores and what each suppressed (the exception ledger). */
  exceptions?: InlineException[];
  /** Rules whose findings this run does not see in full (other build contexts): ignores naming them are not judged. */
  unjudged?: readonly string[];
}

/** The rules that judge the ignores themselves: they run after every other rule, once usage is known. */
const LEDGER_RULES = new Set(['suppression-unused']);

const orderCache = new WeakMap<readonly Rule[], Rule[]>();
/** The rules in the order they run: the ledger rules last. */
function runOrder(rules: readonly Rule[]): Rule[] {
  let out = orderCache.get(rules);
  if (!out) {
    out = [...rules.filter((r) => !LEDGER_RULES.has(r.meta.id)), ...rules.filter((r) => LEDGER_RULES.has(r.meta.id))];
    orderCache.set(rules, out);
  }
  return out;
}

const NO_OPTIONS: Record<string, unknown> = Object.freeze({});

export const RULES_BY_ID = new Map<string, Rule>(RULES.map((r) => [r.meta.id, r]));

const knownCache = new WeakMap<readonly Rule[], (name: string) => boolean>();
/** Names a pragma may use: rule ids, hadolint codes and BuildKit check names of the rules in use. */
function knownNames(rules: readonly Rule[]): (name: string) => boolean {
  let f = knownCache.get(rules);
  if (!f) {
    const names = new Set(rules.flatMap((r) => [r.meta.id, ...(r.meta.hadolint ?? []), ...(r.meta.buildkit ?? [])].map((n) => n.toLowerCase())));
    f = (name: string) => names.has(name.toLowerCase());
    knownCache.set(rules, f);
  }
  return f;
}

/** The effective severity of a rule, or undefined when it is off. */
export function effectiveSeverity(meta: RuleMeta, config: ResolvedConfig, hadolint?: HadolintConfig): Severity | undefined {
  let sev: SeveritySetting = presetSeverity(meta, config.preset);
  if (hadolint && meta.hadolint) {
    for (const code of meta.hadolint) {
      if (hadolint.override[code]) sev = hadolint.override[code];
      if (hadolint.ignored.includes(code)) sev = 'off';
    }
  }
  const configured = config.rules[meta.id]?.severity;
  if (configured) sev = configured;
  if (sev === 'off') {
    if (!config.enableAll) return undefined;
    return meta.severity === 'off' ? 'warning' : meta.severity;
  }
  return sev;
}

/**
 * Run the rules of one kind over one parse: a file of one language, or a built image (engine/imageRules.ts).
 * Suppression comments apply to Dockerfiles and compose files.
 */
export function lintParsed(language: RuleKind, file: string, parsed: unknown, opts: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const rules = opts.rules ?? RULES;
  const today = todayIso();
  const suppressions = language === 'dockerfile' ? collectSuppressions(parsed as ParsedDockerfile, {
    known: knownNames(rules), disableHadolintIgnore: opts.hadolint?.disableIgnorePragma, policy: opts.config.suppressions, today,
  }) : undefined;
  const composeSuppressions = language === 'compose' ? collectComposeSuppressions(parsed as ParsedCompose, { policy: opts.config.suppressions, today }) : undefined;
  const ledger = suppressions?.entries ?? composeSuppressions?.entries ?? [];
  const pragmaProblems = suppressions?.problems ?? composeSuppressions?.problems;
  /** Rules that ran to completion on this file, so an ignore naming one that did not is never called unused. */
  const ran = new Set<string>();
  let judged = false;
  const openTail = language === 'dockerfile' ? openTailOffset(parsed as ParsedDockerfile) : undefined;
  const facts = opts.facts ?? {};
  // one report callback for all rules (a closure per rule and file shows up in profiles); checks are synchronous
  let local: Finding[] = [];
  let ruleId = '';
  let ruleSeverity: Severity = 'warning';
  let ruleConfigured = false;
  const report: RuleContext<unknown>['report'] = (f) => {
    // a rule may grade one finding up or down (an unknown base image, a certain misspelling), but a severity the
    // user set for the rule is a decision about every finding of it and wins
    local.push({ rule: ruleId, severity: ruleConfigured ? ruleSeverity : f.severity ?? ruleSeverity, message: f.message, range: f.range, fixes: f.fixes ?? [] });
  };
  for (const rule of runOrder(rules)) {
    if (rule.meta.language !== language && !(language !== 'image' && rule.meta.alsoLanguages?.includes(language))) continue;
    if (opts.only && !opts.only.includes(rule.meta.id)) continue;
    let severity = effectiveSeverity(rule.meta, opts.config, opts.hadolint);
    // an experimental BuildKit check that is off runs where the file's `# check=experimental=` asks for it
    const experimental = !severity && opts.config.rules[rule.meta.id]?.severity !== 'off' ? experimentalScope(suppressions?.buildkit, rule.meta) : undefined;
    if (experimental) severity = 'warning';
    if (!severity) continue;
    const configured = opts.config.rules[rule.meta.id]?.options;
    // most rules have no options: share one frozen empty object instead of copying per rule and file
    const options: Record<string, unknown> = configured || opts.config.hadolintCompat ? { ...(configured ?? {}) } : NO_OPTIONS;
    // the top-level compatibility switch turns on each rule's own option unless the rule's settings say otherwise
    if (opts.config.hadolintCompat && options.hadolintCompat === undefined) options.hadolintCompat = true;
    if (!judged && LEDGER_RULES.has(rule.meta.id)) {
      // a partial run (a group of rules of a large document) cannot know what an ignore would have suppressed
      if (!opts.only) judgeUnused(ledger, rules.map((r) => r.meta), opts.unjudged ? new Set([...ran].filter((id) => !opts.unjudged!.includes(id))) : ran);
      judged = true;
    }
    local = [];
    ruleId = rule.meta.id;
    ruleSeverity = severity;
    ruleConfigured = !!opts.config.rules[rule.meta.id]?.severity;
    try {
      (rule.check as (ctx: RuleContext<unknown>) => void)({
        file, parsed, facts, options, config: opts.config, hadolint: opts.hadolint, pragmaProblems, inlineExceptions: ledger, report,
      });
    } catch (e) {
      const err = e as Error;
      opts.log?.(`rule ${rule.meta.id} failed on ${file}: ${err.stack ?? err.message}`);
      findings.push({
        rule: INTERNAL_ERROR_RULE, severity: 'error',
        message: `Internal error in rule ${rule.meta.id}: ${err.message}. Other rules still ran.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [],
      });
      continue;
    }
    ran.add(rule.meta.id);
    const failsBuild = !!suppressions?.buildkit?.file?.error && !!rule.meta.buildkit?.length;
    // a value written once in an anchor and merged into many services is one problem: reported once, where it is written
    const at = language === 'compose' ? new Set<string>() : undefined;
    for (const f of local) {
      if (at) {
        // the same message at the same place, up to the names in backticks (the service it was merged into)
        const key = `${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}:${f.message.replace(/`[^`\n]*`/g, '``')}`;
        if (at.has(key)) continue;
        at.add(key);
      }
      if (suppressions && isSuppressed(suppressions, parsed as ParsedDockerfile, f, rule.meta)) continue;
      if (experimental instanceof Set && !experimental.has((parsed as ParsedDockerfile).instructionAt(f.range.start.line)?.range.start.line ?? -1)) continue;
      // `# check=error=true`: BuildKit fails the build on any of its checks, so the finding is certain to break it
      if (failsBuild) f.severity = 'error';
      if (composeSuppressions && isComposeSuppressed(composeSuppressions, f, rule.meta)) continue;
      if (openTail !== undefined) dropTailFixes(parsed as ParsedDockerfile, f, openTail);
      findings.push(f);
    }
  }
  opts.exceptions?.push(...ledger);
  return sortFindings(findings);
}

export function lintDockerfile(file: string, parsed: ParsedDockerfile, opts: LintOptions): Finding[] {
  return lintParsed('dockerfile', file, parsed, opts);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}

/**
 * Facts around a Dockerfile built from `contextDir` (its folder by default): the ignore file the builder reads there
 * and, given the parse, the text of secret-looking files it copies from the context.
 */
export async function dockerfileFacts(host: FileHost, file: string, contextDir?: string, parsed?: ParsedDockerfile): Promise<DockerfileFacts> {
  const ctx = contextDir ?? path.dirname(file);
  const contextFiles = parsed ? await secretSourceTexts(host, ctx, parsed) : undefined;
  return { dockerignore: await ignoreFileFor(host, file, ctx), contextDir: ctx, contextFiles, buildLabels: parsed ? await buildLabels(host, file) : undefined,
    publication: parsed ? await imagePublication(host, file) : undefined,
    entrypointScripts: parsed ? await entrypointScripts(host, ctx, parsed) : undefined,
    engineSocket: parsed ? await engineSocketUse(host, file) : undefined,
    projectImages: parsed ? await projectImages(host, file) : undefined };
}

/** Larger files are left unread (their content stays unknown): credential files are a few lines. */
const MAX_SECRET_FILE = 64 * 1024;

/** The text of each context file a COPY/ADD takes whose name looks secret, read inside the context only. */
async function secretSourceTexts(host: FileHost, ctx: string, parsed: ParsedDockerfile): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const root = path.resolve(ctx);
  for (const { sources } of copyInstructions(parsed)) {
    for (const src of sources) {
      if (src.kind !== 'context' || src.glob || src.variable || out.has(src.value) || !secretFileReason(src.value)) continue;
      const full = path.resolve(root, src.value.replace(/^\/+/, ''));
      if (full !== root && !full.startsWith(root + path.sep)) continue;
      // a larger file is left unread: the cap is this read's, not the kind's
      const r = await host.read(full, 'other', { maxBytes: MAX_SECRET_FILE });
      if (r.ok) out.set(src.value, r.text);
    }
  }
  return out;
}

/** Parse and lint a Dockerfile text in one call (tests, stdin). */
export function lintDockerfileText(file: string, text: string, opts: LintOptions): Finding[] {
  return lintDockerfile(file, parseDockerfile(text), opts);
}
