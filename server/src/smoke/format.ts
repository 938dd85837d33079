// Text and JSON output of a smoke run: a per-service table (state, health, time to healthy, probes), the last
// health-probe output of failed services, and what the teardown did or the command to clean up later.

import type { SmokeRunResult } from '../protocol/smokeTypes';
import { printable } from '../core/terminal';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

function indent(text: string, by = '    '): string {
  return text.split('\n').map((l) => by + l).join('\n');
}

/** The run as text; names and the output of containers and Compose are printed with control characters escaped. */
export function smokeToText(r: SmokeRunResult): string {
  return printable(smokeText(r), true);
}

function smokeText(r: SmokeRunResult): string {
  let s = `Smoke test ${r.project}: ${r.outcome.toUpperCase()} in ${(r.durationMs / 1000).toFixed(1)}s\n`;
  if (r.message) s += `${r.message}\n`;
  if (r.services.length) {
    const rows = [['SERVICE', 'STATE', 'HEALTH', 'HEALTHY AFTER', 'PROBES']];
    for (const v of r.services) {
      const probes = v.probes.length ? v.probes.map((p) => `${p.ok ? 'ok' : 'FAIL'} ${p.kind === 'marker' ? p.target : `${p.target}${p.from === 'container' ? ' (in container)' : ''}`} ${p.detail}`).join('; ') : '-';
      rows.push([`${v.ok ? ' ' : '✗'} ${v.service}`, v.state, v.health, v.secondsToHealthy === undefined ? '-' : `${v.secondsToHealthy}s`, probes]);
    }
    s += '\n' + table(rows);
  }
  for (const v of r.services.filter((x) => !x.ok)) {
    s += `\n${v.service}: ${v.reason ?? 'failed'}\n`;
    if (v.healthLog !== undefined) s += `  last health probe output:\n${indent(v.healthLog || '(empty)')}\n`;
    if (v.dockerfile && v.healthcheckLine !== undefined) s += `  HEALTHCHECK at ${v.dockerfile}:${v.healthcheckLine + 1}\n`;
  }
  if (r.composeOutput) s += `\nCompose output (last lines):\n${indent(r.composeOutput)}\n`;
  const t = r.teardown;
  if (t.skipped && t.command) s += `\nKept the stack. Remove it later with:\n  ${t.command}\n`;
  else if (!t.skipped) {
    s += `\nTorn down ${r.project}${t.removedVolumes.length ? ` (removed volumes: ${t.removedVolumes.join(', ')})` : ''}.\n`;
    for (const p of t.problems) s += `  teardown problem: ${p}\n`;
    if (t.problems.length && t.command) s += `  Finish the cleanup with:\n    ${t.command}\n`;
  }
  return s;
}

export function smokeToJson(r: SmokeRunResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}
