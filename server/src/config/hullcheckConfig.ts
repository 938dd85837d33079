// Configuration: `.hullcheck.yaml` found from the file's folder upward (plus `.hadolint.yaml`),
// validated without ever throwing. Problems come back as data so callers can show them on the file.

import * as path from 'node:path';
import { parseDocument, isMap, LineCounter } from 'yaml';
import { parseSuppressionPolicy, type ConfigProblem, type FoundFile, type ResolvedConfig, type RuleSetting } from './resolvedConfig';
import type { Range } from '../core/findings';
import type { SeveritySetting } from '../core/ruleMeta';
import { findHadolintConfig, parseHadolintConfig, type HadolintConfig } from './hadolintConfig';
import { parsePreset, withPresetDefaults } from './presets';
import type { FileHost } from '../core/fileHost';

export interface LoadedConfig {
  config: ResolvedConfig;
  hadolint?: HadolintConfig;
  problems: ConfigProblem[];
  /** The config files that were read, nearest first. */
  files: string[];
}

export const CONFIG_NAMES = ['.hullcheck.yaml', '.hullcheck.yml'];
const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];
const TOP_KEYS = new Set(['root', 'rules', 'requiredLabels', 'allowRoot', 'budgets', 'composeProjects', 'trivy', 'smoke', 'shellcheck', 'hadolintCompat', 'preset', 'exclude', 'contexts', 'suppressions']);

export function emptyConfig(): ResolvedConfig {
  return { rules: {}, allowRoot: [], enableAll: false, sources: [] };
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };


/**
 * Walk up from `dir` to `stopAt` (else the filesystem root) and return the first file of `names` that exists. A file
 * that exists but cannot be read (a FIFO, a device, too large) ends the search too, so it is reported, not skipped.
 */
export async function findUp(host: FileHost, dir: string, names: string[], stopAt?: string): Promise<FoundFile | undefined> {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of names) {
      const file = path.join(current, name);
      const r = await host.read(file, 'config');
      if (r.ok) return { file, text: r.text };
      if (r.reason !== 'missing') return { file, unreadable: r.message };
    }
    const parent = path.dirname(current);
    if (parent === current || (stopAt && path.resolve(stopAt) === current)) return undefined;
    current = parent;
  }
}

/** The one problem for a configuration file that exists but cannot be read. */
export function unreadableProblem(file: string, why: string): ConfigProblem {
  return { file, message: `Cannot read ${path.basename(file)}: ${why}. It is ignored.`, range: ZERO, severity: 'error' };
}

/** Parse and validate a `.hullcheck.yaml` text. Known rule ids let us warn about typos. */
export function parseHullcheckConfig(file: string, text: string, knownRules: Set<string>): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const config = emptyConfig();
  config.sources.push(file);
  const problems: ConfigProblem[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const toRange = (r: [number, number, number?] | undefined): Range => {
    if (!r) return ZERO;
    const s = lc.linePos(r[0]), e = lc.linePos(r[1]);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  for (const err of doc.errors) {
    problems.push({ file, message: `Invalid YAML: ${err.message.split('\n')[0]}`, range: toRange([err.pos[0], err.pos[1]]), severity: 'error' });
  }
  if (doc.errors.length) return { config, problems };
  const root = doc.contents;
  if (root === null || root === undefined) return { config, problems };
  if (!isMap(root)) {
    problems.push({ file, message: 'The configuration must be a mapping of keys such as `rules:`.', range: toRange(root.range ?? undefined), severity: 'error' });
    return { config, problems };
  }
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const keyRange = toRange((pair.key as { range?: [number, number, number] })?.range);
    const value = (pair.value as { toJSON?: () => unknown })?.toJSON ? (pair.value as { toJSON(): unknown }).toJSON() : (pair.value as unknown);
    const valueRange = toRange((pair.value as { range?: [number, number, number] })?.range) ;
    if (!TOP_KEYS.has(key)) {
      problems.push({ file, message: `Unknown key \`${key}\`. Known keys: ${[...TOP_KEYS].join(', ')}.`, range: keyRange, severity: 'warning' });
      continue;
    }
    if (key === 'rules') readRules(value, valueRange, pair.value, toRange, file, knownRules, config, problems);
    else if (key === 'requiredLabels' || key === 'allowRoot') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        problems.push({ file, message: `\`${key}\` must be a list of strings.`, range: valueRange, severity: 'error' });
      } else if (key === 'requiredLabels') config.requiredLabels = value;
      else config.allowRoot = value;
    } else if (key === 'exclude') {
      // read by the CLI's folder walk (facts/excludes.ts); only checked here
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        problems.push({ file, message: '`exclude` must be a list of globs (strings).', range: valueRange, severity: 'error' });
      }
    } else if (key === 'contexts' && (!value || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string'))) {
      problems.push({ file, message: '`contexts` must map Dockerfile paths (or globs) to their build context folders, relative to this file.', range: valueRange, severity: 'error' });
    } else if (key === 'root') {
      if (typeof value !== 'boolean') problems.push({ file, message: '`root` must be true or false.', range: valueRange, severity: 'error' });
      else config.root = value;
    } else if (key === 'hadolintCompat') {
      if (typeof value !== 'boolean') problems.push({ file, message: '`hadolintCompat` must be true or false.', range: valueRange, severity: 'error' });
      else config.hadolintCompat = value;
    } else if (key === 'suppressions') {
      const policy = parseSuppressionPolicy(value);
      if (typeof policy === 'string') problems.push({ file, message: policy, range: valueRange, severity: 'error' });
      else config.suppressions = policy;
    } else if (key === 'preset') {
      const preset = parsePreset(value);
      if (typeof preset === 'string') problems.push({ file, message: preset, range: valueRange, severity: 'error' });
      else config.preset = preset;
    } else {
      // other sections are read by the features that own them
      (config as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return { config, problems };
}

function readRules(
  value: unknown, valueRange: Range, node: unknown, toRange: (r: [number, number, number?] | undefined) => Range,
  file: string, knownRules: Set<string>, config: ResolvedConfig, problems: ConfigProblem[],
): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file, message: '`rules` must map rule ids to a severity or to options.', range: valueRange, severity: 'error' });
    return;
  }
  const items = isMap(node) ? node.items : [];
  for (const [id, setting] of Object.entries(value as Record<string, unknown>)) {
    const item = items.find((p) => String((p.key as { value?: unknown })?.value) === id);
    const range = toRange((item?.key as { range?: [number, number, number] })?.range);
    if (knownRules.size > 0 && !knownRules.has(id)) {
      problems.push({ file, message: `Unknown rule \`${id}\`; it is ignored.`, range, severity: 'warning' });
      continue;
    }
    const parsed = parseRuleSetting(setting);
    if (typeof parsed === 'string') { problems.push({ file, message: `rules.${id}: ${parsed}`, range, severity: 'error' }); continue; }
    config.rules[id] = parsed;
  }
}

/** A rule setting is a severity string, or a mapping with an optional `severity` plus rule options. */
export function parseRuleSetting(setting: unknown): RuleSetting | string {
  if (typeof setting === 'string' || typeof setting === 'boolean') {
    const s = setting === false ? 'off' : String(setting).toLowerCase();
    if (!SEVERITIES.includes(s)) return `expected one of ${SEVERITIES.join(', ')}, got \`${String(setting)}\``;
    return { severity: s as SeveritySetting, options: {} };
  }
  if (setting && typeof setting === 'object' && !Array.isArray(setting)) {
    const { severity, ...options } = setting as Record<string, unknown>;
    if (severity !== undefined && (typeof severity !== 'string' || !SEVERITIES.includes(severity.toLowerCase()))) {
      return `severity must be one of ${SEVERITIES.join(', ')}`;
    }
    return { severity: severity ? (severity as string).toLowerCase() as SeveritySetting : undefined, options };
  }
  return 'expected a severity or a mapping of options';
}

/** Merge rule settings: later layers win, options are merged key by key. */
export function mergeConfig(base: ResolvedConfig, over: Partial<ResolvedConfig>): ResolvedConfig {
  const rules: Record<string, RuleSetting> = { ...base.rules };
  for (const [id, s] of Object.entries(over.rules ?? {})) {
    const prev = rules[id];
    rules[id] = { severity: s.severity ?? prev?.severity, options: { ...(prev?.options ?? {}), ...s.options } };
  }
  return {
    ...base,
    ...over,
    rules,
    allowRoot: [...base.allowRoot, ...(over.allowRoot ?? [])],
    enableAll: over.enableAll ?? base.enableAll,
    sources: [...base.sources, ...(over.sources ?? [])],
  };
}

/**
 * Load the configuration that applies to `file`: the nearest `.hullcheck.yaml` (or the explicit one), then the
 * nearest `.hadolint.yaml` (else a user-level one, as hadolint looks them up); the first takes precedence where both
 * speak. The upward search stops at `scope.stop` (the project boundary), or earlier at a `.hullcheck.yaml` with
 * `root: true`.
 */
export async function loadConfigFor(
  host: FileHost, file: string, knownRules: Set<string>, explicit?: string, env: NodeJS.ProcessEnv = process.env,
  scope: { stop?: string; parses?: Map<string, { text: string; parsed: unknown }> } = {},
): Promise<LoadedConfig> {
  // a run over many files (the CLI) parses each configuration file once, while its text is the same
  const once = <T>(file: string, text: string, parse: () => T): T => {
    const hit = scope.parses?.get(file);
    if (hit && hit.text === text) return hit.parsed as T;
    const parsed = parse();
    scope.parses?.set(file, { text, parsed });
    return parsed;
  };
  const dir = path.dirname(path.resolve(file));
  const problems: ConfigProblem[] = [];
  const files: string[] = [];
  let config = emptyConfig();
  let found: FoundFile | undefined;
  if (explicit) {
    const r = await host.read(explicit, 'config', { userChosen: true });
    if (r.ok) found = { file: explicit, text: r.text };
    else problems.push({ file: explicit, message: r.reason === 'missing' ? 'Configuration file not found.' : `Cannot read configuration: ${r.message}.`, range: ZERO, severity: 'error' });
  } else {
    found = await findUp(host, dir, CONFIG_NAMES, scope.stop);
  }
  if (found?.text === undefined && found) problems.push(unreadableProblem(found.file, found.unreadable));
  else if (found) {
    const r = once(found.file, found.text, () => parseHullcheckConfig(found.file, found.text, knownRules));
    config = mergeConfig(config, r.config);
    problems.push(...r.problems);
  }
  if (found) files.push(found.file);
  const hadolintStop = config.root && found && !explicit ? path.dirname(found.file) : scope.stop;
  let hadolint: HadolintConfig | undefined;
  const had = await findHadolintConfig(host, dir, (h, d, names) => findUp(h, d, names, hadolintStop), env);
  if (had?.text === undefined && had) problems.push(unreadableProblem(had.file, had.unreadable));
  else if (had) {
    const r = once(had.file, had.text, () => parseHadolintConfig(had.file, had.text));
    hadolint = r.hadolint;
    problems.unshift(...r.problems);
  }
  if (had) files.push(had.file);
  return { config: withPresetDefaults(config), hadolint, problems, files };
}
