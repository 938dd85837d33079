// `--format gitlab`: a GitLab Code Quality report (a JSON array in the Code Climate issue shape), saved by the
// job as `artifacts: reports: codequality` so merge requests show the findings.

import type { Severity } from '../../core/findings';
import type { FileFinding } from '../format';
import { reportPath } from '../../core/reportPath';

const SEVERITY: Record<Severity, 'info' | 'minor' | 'major' | 'critical'> = { hint: 'info', info: 'minor', warning: 'major', error: 'critical' };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

/** Every finding needs its fingerprint (GitLab tells new from fixed issues by it). */
export function toGitlab(findings: readonly FileFinding[]): string {
  const issues: CodeQualityIssue[] = findings.map((f) => {
    if (!f.fingerprint) throw new Error(`finding ${f.rule} in ${f.file} has no fingerprint`);
    return {
      description: `${f.rule}: ${f.message}`,
      check_name: f.rule,
      fingerprint: f.fingerprint,
      severity: SEVERITY[f.severity],
      location: { path: reportPath(f.file), lines: { begin: f.range.start.line + 1 } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
