// The lint command's output formats in one place: which exist, and how a run's findings are written in each.

import { fingerprints } from '../../core/findingFingerprint';
import type { Finding, Language } from '../../core/findings';
import { toJson, toText, type FileFinding } from '../format';
import { toGithub } from './github';
import { toGitlab } from './gitlab';
import { reportPath } from '../../core/reportPath';
import { toSarif } from './sarif';

export const LINT_FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type LintFormat = typeof LINT_FORMATS[number];

export function isLintFormat(s: string): s is LintFormat {
  return (LINT_FORMATS as readonly string[]).includes(s);
}

/** One file's findings with their file and fingerprint (the file's path relative to the working folder). */
export function fileFindings(file: string, text: string, language: Language | undefined, findings: readonly Finding[]): FileFinding[] {
  const fps = fingerprints(reportPath(file), text, findings, language);
  return findings.map((f, i) => ({ ...f, file, fingerprint: fps[i] }));
}

export function renderLint(format: LintFormat, findings: readonly FileFinding[], opts: { filesLinted: number; version: string; color: boolean }): string {
  switch (format) {
    case 'json': return toJson([...findings]);
    case 'sarif': return toSarif(findings, opts.version);
    case 'github': return toGithub(findings);
    case 'gitlab': return toGitlab(findings);
    default: return toText([...findings], opts.filesLinted, opts.color);
  }
}
