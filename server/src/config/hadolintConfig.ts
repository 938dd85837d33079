// `.hadolint.yaml`: where it is looked up (next to the project first, then the user-level places hadolint
// searches) and what it says, validated key by key so each mistake becomes a problem with its range.

import * as os from 'node:os';
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { ConfigProblem, FoundFile } from './resolvedConfig';
import type { FileHost } from '../core/fileHost';
import type { Range } from '../core/findings';
import type { SeveritySetting } from '../core/ruleMeta';

export interface HadolintConfig {
  ignored: string[];
  override: Record<string, SeveritySetting>;
  trustedRegistries: string[];
  labelSchema: Record<string, string>;
  strictLabels: boolean;
  /** As written (`error`, `warning`, `info`, `style`, `ignore`, `none`); see failLevelOf. */
  failureThreshold?: string;
  /** `no-fail: true`: findings never fail the CLI. */
  noFail?: boolean;
  /** `disable-ignore-pragma: true`: `# hadolint ignore=` comments are not honoured. */
  disableIgnorePragma?: boolean;
  /** The file this came from. */
  file?: string;
}

export const HADOLINT_NAMES = ['.hadolint.yaml', '.hadolint.yml'];
export const LABEL_TYPES = ['text', 'url', 'rfc3339', 'spdx', 'hash', 'semver', 'email'];
/** hadolint's severity names onto ours; `style` is our `hint`. */
export const HADOLINT_SEVERITY: Record<string, SeveritySetting> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', ignore: 'off', none: 'off' };
const OVERRIDE_LEVELS = ['error', 'warning', 'info', 'style'];
const THRESHOLDS = ['error', 'warning', 'info', 'style', 'ignore', 'none'];
/** Keys hadolint reads that only concern its own CLI output: accepted without effect. */
const PASSIVE_KEYS = new Set(['no-color', 'format', 'verbose']);
const KEYS = new Set(['ignored', 'override', 'trustedRegistries', 'label-schema', 'strict-labels', 'failure-threshold', 'no-fail', 'disable-ignore-pragma', ...PASSIVE_KEYS]);
const CODE = /^(DL|SC)\d{4}$/;
const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The CLI fail level a `failure-threshold` stands for (`style` is our `hint`; ignore/none never fail). */
export function failLevelOf(h: HadolintConfig | undefined): string | undefined {
  if (!h) return undefined;
  if (h.noFail) return 'none';
  switch (h.failureThreshold) {
    case 'error': case 'warning': case 'info': return h.failureThreshold;
    case 'style': return 'hint';
    case 'ignore': case 'none': return 'none';
    default: return undefined;
  }
}

export function parseHadolintConfig(file: string, text: string): { hadolint: HadolintConfig; problems: ConfigProblem[] } {
  const hadolint: HadolintConfig = { ignored: [], override: {}, trustedRegistries: [], labelSchema: {}, strictLabels: false, file };
  const problems: ConfigProblem[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const rangeOf = (n: unknown): Range => {
    const r = (n as { range?: [number, number, number] } | null)?.range;
    if (!r) return ZERO;
    const s = lc.linePos(r[0]), e = lc.linePos(r[1]);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  const problem = (message: string, node: unknown, severity: 'error' | 'warning' = 'error') =>
    problems.push({ file, message, range: rangeOf(node), severity });
  for (const err of doc.errors) {
    problems.push({ file, message: `Invalid YAML: ${err.message.split('\n')[0]}`, range: rangeOf({ range: [err.pos[0], err.pos[1], err.pos[1]] }), severity: 'error' });
  }
  if (doc.errors.length) return { hadolint, problems };
  const root = doc.contents;
  if (root === null || root === undefined) return { hadolint, problems };
  if (!isMap(root)) { problem('A .hadolint.yaml must be a mapping of keys such as `ignored:` and `override:`.', root); return { hadolint, problems }; }

  /** A list of strings; other items are reported and skipped. */
  const strings = (key: string, node: unknown, check?: (s: string) => string | undefined): string[] => {
    if (node === null || node === undefined) return [];
    if (!isSeq(node)) { problem(`\`${key}\` must be a list.`, node); return []; }
    const out: string[] = [];
    for (const item of node.items) {
      const v = (item as { value?: unknown })?.value;
      if (typeof v !== 'string' && typeof v !== 'number') { problem(`\`${key}\`: every item must be a string.`, item); continue; }
      const why = check?.(String(v));
      if (why) { problem(`\`${key}\`: ${why}`, item, 'warning'); continue; }
      out.push(String(v));
    }
    return out;
  };
  const codeCheck = (s: string) => (CODE.test(s) ? undefined : `\`${s}\` is not a rule code such as DL3008 or SC2086.`);
  const bool = (key: string, node: unknown): boolean | undefined => {
    const v = (node as { value?: unknown })?.value;
    if (typeof v === 'boolean') return v;
    problem(`\`${key}\` must be true or false.`, node);
    return undefined;
  };

  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const value = pair.value as YamlNode | null;
    if (!KEYS.has(key)) { problem(`Unknown .hadolint.yaml key \`${key}\`; it is ignored.`, pair.key, 'warning'); continue; }
    switch (key) {
      case 'ignored': hadolint.ignored = strings(key, value, codeCheck); break;
      case 'trustedRegistries': hadolint.trustedRegistries = strings(key, value); break;
      case 'strict-labels': hadolint.strictLabels = bool(key, value) ?? false; break;
      case 'no-fail': hadolint.noFail = bool(key, value); break;
      case 'disable-ignore-pragma': hadolint.disableIgnorePragma = bool(key, value); break;
      case 'failure-threshold': {
        const v = String((value as { value?: unknown } | null)?.value ?? '').toLowerCase();
        if (THRESHOLDS.includes(v)) hadolint.failureThreshold = v;
        else problem(`\`failure-threshold\` must be one of ${THRESHOLDS.join(', ')}.`, value);
        break;
      }
      case 'label-schema': {
        if (value === null || value === undefined) break;
        if (!isMap(value)) { problem('`label-schema` must map label names to a type.', value); break; }
        for (const p of value.items) {
          const name = String((p.key as { value?: unknown })?.value ?? '');
          const type = String((p.value as { value?: unknown } | null)?.value ?? '').toLowerCase();
          if (!LABEL_TYPES.includes(type)) { problem(`label-schema.${name}: unknown type; use one of ${LABEL_TYPES.join(', ')}.`, p.value ?? p.key); continue; }
          hadolint.labelSchema[name] = type;
        }
        break;
      }
      case 'override': {
        if (value === null || value === undefined) break;
        if (!isMap(value)) { problem('`override` must map a level (error, warning, info, style) to a list of rule codes.', value); break; }
        for (const p of value.items) {
          const level = String((p.key as { value?: unknown })?.value ?? '').toLowerCase();
          if (!OVERRIDE_LEVELS.includes(level)) { problem(`override.${level}: unknown level; use error, warning, info or style.`, p.key); continue; }
          for (const code of strings(`override.${level}`, p.value, codeCheck)) hadolint.override[code] = HADOLINT_SEVERITY[level];
        }
        break;
      }
      default: break; // passive keys
    }
  }
  return { hadolint, problems };
}

/**
 * The user-level places hadolint reads when the project has no config, in its order: the XDG config folder,
 * `~/.hadolint/`, then the home folder.
 */
export function userHadolintCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const xdg = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return [
    path.join(xdg, 'hadolint.yaml'), path.join(xdg, 'hadolint.yml'),
    ...['hadolint.yaml', 'hadolint.yml', 'config.yaml', 'config.yml'].map((n) => path.join(home, '.hadolint', n)),
    path.join(home, '.hadolint.yaml'), path.join(home, '.hadolint.yml'),
  ];
}

/**
 * The `.hadolint.yaml` that applies to a file: nearest upward from its folder (the caller's `findUp` bounds the
 * search), else the first user-level one. User-level files are the user's own, so they are read wherever they are.
 */
export async function findHadolintConfig(
  host: FileHost, dir: string, findUp: (host: FileHost, dir: string, names: string[]) => Promise<FoundFile | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FoundFile | undefined> {
  const near = await findUp(host, dir, HADOLINT_NAMES);
  if (near) return near;
  for (const file of userHadolintCandidates(env)) {
    const r = await host.read(file, 'config', { userChosen: true });
    if (r.ok) return { file, text: r.text };
    if (r.reason !== 'missing') return { file, unreadable: r.message };
  }
  return undefined;
}
