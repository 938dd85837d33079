// `--format github`: one GitHub Actions workflow command per finding, which the runner turns into an
// annotation on the pull request's diff. Values are escaped as the runner unescapes them.

import type { Severity } from '../../core/findings';
import type { FileFinding } from '../format';
import { reportPath } from '../../core/reportPath';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** The message part of a workflow command: `%`, CR and LF are percent-encoded. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as data, plus `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function toGithub(findings: readonly FileFinding[]): string {
  return findings.map((f) => {
    const props: [string, string | number][] = [
      ['file', reportPath(f.file)],
      ['line', f.range.start.line + 1],
      ['col', f.range.start.character + 1],
      ['endLine', f.range.end.line + 1],
      ['endColumn', f.range.end.character + 1],
      ['title', `Hullcheck ${f.rule}`],
    ];
    // columns only count on a one-line annotation; GitHub rejects them on a range that spans lines
    const shown = f.range.end.line === f.range.start.line ? props : props.filter(([k]) => k !== 'col' && k !== 'endColumn');
    return `::${COMMAND[f.severity]} ${shown.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(`${f.message} [${f.rule}]`)}\n`;
  }).join('');
}
