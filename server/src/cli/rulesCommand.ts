// `hullcheck rules`: the rule list under a preset, and `--changes-since VERSION`, what moving a pinned preset to
// this release would turn on or change.

import { RULES } from '../rules';
import { changesSince, compareVersions, isVersion, parsePreset, presetSeverity, RULESET_VERSION } from '../config/presets';
import type { PresetRef } from '../config/resolvedConfig';

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export class RulesUsageError extends Error {}

export interface RulesFlags { format?: string; preset?: string; 'changes-since'?: string }

export function rulesCommand(flags: RulesFlags, out: Out): number {
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new RulesUsageError(`--format must be text or json for rules, got '${format}'`);
  const parsed = parsePreset(flags.preset ?? 'recommended');
  if (typeof parsed === 'string') throw new RulesUsageError(parsed);
  if (flags['changes-since'] !== undefined) return changesCommand(parsed, flags['changes-since'], format, out);
  const preset: PresetRef = parsed;
  const rows = RULES.map((r) => ({
    id: r.meta.id, language: r.meta.language, category: r.meta.category, severity: presetSeverity(r.meta, preset),
    fix: r.meta.fix, title: r.meta.title, hadolint: r.meta.hadolint ?? [], buildkit: r.meta.buildkit ?? [],
  })).sort((a, b) => a.language.localeCompare(b.language) || a.id.localeCompare(b.id));
  if (format === 'json') { out.stdout(JSON.stringify(rows, null, 2) + '\n'); return 0; }
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) out.stdout(`${r.id.padEnd(w)}  ${r.language.padEnd(12)} ${r.severity.padEnd(8)} ${r.fix.padEnd(6)} ${r.title}\n`);
  return 0;
}

function changesCommand(preset: PresetRef, since: string, format: string, out: Out): number {
  if (preset.version) throw new RulesUsageError('give --changes-since the version; --preset takes the preset name only');
  if (!isVersion(since)) throw new RulesUsageError(`--changes-since needs a version such as 0.1.0, got '${since}'`);
  if (compareVersions(since, RULESET_VERSION) > 0) throw new RulesUsageError(`this Hullcheck knows rule sets up to ${RULESET_VERSION}, not ${since}`);
  const rows = changesSince(RULES.map((r) => r.meta), preset.name, since);
  if (format === 'json') {
    out.stdout(JSON.stringify({ preset: preset.name, since, to: RULESET_VERSION, changes: rows }, null, 2) + '\n');
    return 0;
  }
  if (rows.length === 0) { out.stdout(`No changes to the ${preset.name} preset between ${since} and ${RULESET_VERSION}.\n`); return 0; }
  out.stdout(`Moving \`preset: ${preset.name}@${since}\` to ${RULESET_VERSION} changes ${rows.length} rule${rows.length === 1 ? '' : 's'}:\n`);
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    const what = r.newRule ? `new in ${r.newRule}, ${r.to}` : r.from === r.to ? `stays ${r.to}` : `${r.from} -> ${r.to}`;
    out.stdout(`${r.id.padEnd(w)}  ${r.language.padEnd(12)} ${what}${r.notes.length ? `; ${r.notes.join('; ')}` : ''}\n`);
  }
  return 0;
}
