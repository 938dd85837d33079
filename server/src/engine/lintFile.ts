// One entry point for linting a file's text with its configuration and surrounding facts.
// The CLI, the language server and the tests all go through here.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { loadConfigFor, mergeConfig, type ConfigProblem, type FileHost } from './config';
import { dockerfileFacts, languageOf, lintParsed, RULES_BY_ID, type Logger } from './linter';
import { parseDockerfile } from '../parse/dockerfile';
import { parseDockerignore } from '../parse/dockerignore';
import type { DockerfileFacts, Finding, Language, ResolvedConfig } from './types';

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
}

export interface LintFileResult {
  language: Language | undefined;
  findings: Finding[];
  configProblems: ConfigProblem[];
  configFiles: string[];
}

const KNOWN = new Set(RULES_BY_ID.keys());

/** Parse `text` once with the parser of its language and run the rules. */
export function parseFor(language: Language, text: string): unknown {
  switch (language) {
    case 'dockerfile': return parseDockerfile(text);
    case 'dockerignore': return parseDockerignore(text);
    default: return undefined;
  }
}

export async function lintFile(file: string, text: string, opts: LintFileOptions): Promise<LintFileResult> {
  const language = opts.language ?? languageOf(file);
  if (!language) return { language, findings: [], configProblems: [], configFiles: [] };
  const loaded = await loadConfigFor(opts.host, file, KNOWN, opts.explicitConfig);
  let config = loaded.config;
  if (opts.overrides) config = mergeConfig(config, opts.overrides);
  if (opts.enableAll) config = { ...config, enableAll: true };
  const parsed = opts.parsed ?? parseFor(language, text);
  if (parsed === undefined) return { language, findings: [], configProblems: loaded.problems, configFiles: loaded.files };
  const facts = opts.facts ?? (language === 'dockerfile' ? await dockerfileFacts(opts.host, file, opts.contextDir)
    : language === 'dockerignore' ? await ignoreFileFacts(file) : {});
  const findings = lintParsed(language, file, parsed, { config, hadolint: loaded.hadolint, facts, log: opts.log });
  return { language, findings, configProblems: loaded.problems, configFiles: loaded.files };
}

/** For an ignore file: the names next to it, so rules can tell the project's ecosystem (package.json, go.mod, ...). */
async function ignoreFileFacts(file: string): Promise<DockerfileFacts> {
  try {
    return { siblings: (await readdir(path.dirname(path.resolve(file)))).sort() };
  } catch {
    return {}; // stdin, unsaved or unreadable: the ecosystem stays unknown
  }
}
