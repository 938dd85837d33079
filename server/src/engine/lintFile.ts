// One entry point for linting a file's text with its configuration and surrounding facts.
// The CLI, the language server and the tests all go through here.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { loadConfigFor, mergeConfig, type LoadedConfig } from '../config/hullcheckConfig';
import { type ConfigProblem } from '../config/resolvedConfig';
import { type FileHost } from '../core/fileHost';
import { type HadolintConfig } from '../config/hadolintConfig';
import { confinedHost, projectScope, type ProjectScope, type ReadNotice } from '../core/projectScope';
import { dockerfileFacts, lintParsed, RULES_BY_ID, sortFindings, type Logger } from './linter';
import { languageOf } from '../core/fileLanguage';
import { buildContexts } from '../facts/buildContext';
import { buildLabels } from '../facts/buildLabels';
import { imagePublication } from '../facts/imagePublication';
import { engineSocketUse } from '../facts/imageRuntime';
import { projectImages } from '../facts/projectImages';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import { parseDockerignore } from '../parse/dockerignore';
import { parseTrivyignore } from '../parse/trivyignore';
import { trivyignoreFacts } from '../facts/trivyignoreFacts';
import { type ParsedCompose } from '../parse/compose';
import { parseComposeFrom } from '../parse/composeIncremental';
import { composeFileFacts } from '../facts/composeFacts';
import { FILE_NOT_READ_RULE, type Finding, type Language, type Range } from '../core/findings';
import { type DockerfileFacts } from '../facts/fileFacts';
import { type ResolvedConfig } from '../config/resolvedConfig';
import type { InlineException } from '../model/suppressionLedger';

export interface LintFileOptions {
  host: FileHost;
  /** `--config FILE`: use this instead of searching upward. */
  explicitConfig?: string;
  enableAll?: boolean;
  /** Editor settings, applied over the config files. */
  overrides?: Partial<ResolvedConfig>;
  /** The build context folder, when known (compose `build.context`). */
  contextDir?: string;
  language?: Language;
  log?: Logger;
  /** The document already parsed with parseFor(language, text) (the language server caches one parse per version). */
  parsed?: unknown;
  /** Facts about surrounding files, when the caller knows better (an unsaved document has no build context). */
  facts?: DockerfileFacts;
  /** Run only these rule ids (large documents are linted a group of rules at a time). */
  only?: string[];
  /** The workspace folder holding the file (editor): the project boundary, and where named paths are confined. */
  workspaceFolder?: string;
  /** Project scopes and configurations remembered for a run over many files (the CLI): each folder's is loaded once. */
  runCache?: LintRunCache;
}

/** What a run over many files loads once per folder. */
export interface LintRunCache {
  scopes: Map<string, Promise<ProjectScope>>;
  configs: Map<string, Promise<LoadedConfig>>;
  /** Each configuration file's parse, by path (many folders share one `.hullcheck.yaml`). */
  parses: Map<string, { text: string; parsed: unknown }>;
}

export function newRunCache(): LintRunCache {
  return { scopes: new Map(), configs: new Map(), parses: new Map() };
}

/** The promise remembered under `key`, started by `load` the first time (concurrent callers share it). */
export function remembered<T>(map: Map<string, Promise<T>> | undefined, key: string, load: () => Promise<T>): Promise<T> {
  if (!map) return load();
  let p = map.get(key);
  if (!p) { p = load(); map.set(key, p); }
  return p;
}

export interface LintFileResult {
  language: Language | undefined;
  findings: Finding[];
  configProblems: ConfigProblem[];
  configFiles: string[];
  /** The configuration the file was linted with (absent when the language is unknown). */
  config?: ResolvedConfig;
  /** The `.hadolint.yaml` that applied, if any. */
  hadolint?: HadolintConfig;
  /** The inline ignores of a Dockerfile or compose file, with what each suppressed and its status. */
  exceptions?: InlineException[];
  /** The parse the rules ran on, for checks that follow (ShellCheck): the text is parsed once. */
  parsed?: unknown;
}

const KNOWN = new Set(RULES_BY_ID.keys());
/** Dockerfile rules that judge the build context (its files and ignore file). */
const CONTEXT_RULES = [...RULES_BY_ID.values()].filter((r) => r.meta.language === 'dockerfile' && r.meta.category === 'context').map((r) => r.meta.id);

const sameRange = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Parse `text` once with the parser of its language. `previous` is the parse of an earlier version of the same
 * document (the editor's), from which a parser may reuse what the edit left unchanged (a compose file: the services
 * the edit did not touch, parse/composeIncremental.ts).
 */
export function parseFor(language: Language, text: string, previous?: unknown): unknown {
  switch (language) {
    case 'dockerfile': return parseDockerfile(text, previous as ParsedDockerfile | undefined);
    case 'dockerignore': return parseDockerignore(text);
    case 'compose': return parseComposeFrom(previous as ParsedCompose | undefined, text);
    case 'trivyignore': return parseTrivyignore(text);
    default: return undefined;
  }
}

export async function lintFile(file: string, text: string, opts: LintFileOptions): Promise<LintFileResult> {
  const language = opts.language ?? languageOf(file);
  if (!language) return { language, findings: [], configProblems: [], configFiles: [] };
  const dir = path.dirname(path.resolve(file));
  const scope = await remembered(opts.runCache?.scopes, `${opts.workspaceFolder ?? ''}\0${dir}`, () => projectScope(opts.host, dir, opts.workspaceFolder));
  // every path the project's files name is read through this host: confined to the project, each refusal noted once
  const notices = new Map<string, ReadNotice>();
  const host = confinedHost(opts.host, scope.root, notices);
  const loaded = await remembered(opts.runCache?.configs, `${opts.explicitConfig ?? ''}\0${scope.stop}\0${dir}`,
    () => loadConfigFor(host, file, KNOWN, opts.explicitConfig, process.env, { stop: scope.stop, parses: opts.runCache?.parses }));
  let config = loaded.config;
  if (opts.overrides) config = mergeConfig(config, opts.overrides);
  if (opts.enableAll) config = { ...config, enableAll: true };
  const parsed = opts.parsed ?? parseFor(language, text);
  if (parsed === undefined) return { language, findings: [], configProblems: loaded.problems, configFiles: loaded.files };
  // a Dockerfile may be built from several contexts (compose services); the first is judged by every rule, the
  // others by the rules that read the context; unknown, the context rules stay silent
  const contexts = language === 'dockerfile' && !opts.facts
    ? (opts.contextDir ? [opts.contextDir] : (await buildContexts(host, file, parsed as ParsedDockerfile, config, loaded.files)).map((c) => c.dir))
    : [];
  const facts = opts.facts ?? (language === 'dockerfile' ? (contexts.length ? await dockerfileFacts(host, file, contexts[0], parsed as ParsedDockerfile) : { buildLabels: await buildLabels(host, file), publication: await imagePublication(host, file), engineSocket: await engineSocketUse(host, file), projectImages: await projectImages(host, file) })
    : language === 'dockerignore' ? await ignoreFileFacts(file)
    : language === 'compose' ? await composeFileFacts(host, file, parsed as ParsedCompose, config, loaded.files, opts.log)
    : language === 'trivyignore' ? { trivy: await trivyignoreFacts(file, config, host) } : {});
  // the next version's parse took this one's nodes over while the facts were read: lint a new parse of this text
  if (language === 'compose' && (parsed as ParsedCompose).retired) return lintFile(file, text, { ...opts, parsed: parseFor(language, text) });
  const exceptions: InlineException[] = [];
  // with several contexts, the context rules' findings of the other contexts are judged in other runs: an ignore
  // naming one of them is then never called unused
  const findings = lintParsed(language, file, parsed, {
    config, hadolint: loaded.hadolint, facts, log: opts.log, only: opts.only, exceptions, unjudged: contexts.length > 1 ? CONTEXT_RULES : undefined,
  });
  for (const ctx of contexts.slice(1)) {
    const only = CONTEXT_RULES.filter((id) => !opts.only || opts.only.includes(id));
    const more = lintParsed(language, file, parsed, { config, hadolint: loaded.hadolint, facts: await dockerfileFacts(host, file, ctx), log: opts.log, only });
    for (const f of more) if (!findings.some((g) => g.rule === f.rule && g.message === f.message && sameRange(g.range, f.range))) findings.push(f);
  }
  // configuration files report their own read problems; any other file named but not read is one notice here
  const notRead = [...notices.values()].filter((n) => n.kind !== 'config');
  for (const n of notRead) findings.push(notReadFinding(file, n));
  if (contexts.length > 1 || notRead.length) sortFindings(findings);
  return { language, findings, configProblems: loaded.problems, configFiles: loaded.files, config, hadolint: loaded.hadolint, exceptions, parsed };
}

/** The one notice for a file the linted one names but Hullcheck did not read; an outside path is only named. */
function notReadFinding(file: string, n: ReadNotice): Finding {
  const rel = path.relative(path.dirname(path.resolve(file)), n.file);
  const shown = n.reason === 'outside' || rel.startsWith('..') || path.isAbsolute(rel) ? n.file : rel;
  return {
    rule: FILE_NOT_READ_RULE, severity: n.reason === 'outside' ? 'info' : 'warning',
    message: `Hullcheck did not read ${shown}: ${n.message}. Checks that need it are skipped.`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [],
  };
}

/** For an ignore file: the names next to it, so rules can tell the project's ecosystem (package.json, go.mod, ...). */
async function ignoreFileFacts(file: string): Promise<DockerfileFacts> {
  try {
    return { siblings: (await readdir(path.dirname(path.resolve(file)))).sort() };
  } catch {
    return {}; // stdin, unsaved or unreadable: the ecosystem stays unknown
  }
}
