// The bottom vocabulary of every finding: severities, languages, positions and ranges, text edits, fixes and the
// finding itself, plus the ids of the findings the engine reports about itself.
// Positions are 0-based (line, character) like LSP; the CLI converts to 1-based on output.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Language = 'dockerfile' | 'compose' | 'dockerignore' | 'trivyignore';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextEdit { range: Range; newText: string }

/** A fix travels with its finding. `safe` fixes may be applied without review (`--fix`, fixAll). */
export interface Fix {
  title: string;
  safety: 'safe' | 'unsafe';
  edits: TextEdit[];
  /**
   * A file this fix creates (e.g. a missing `.dockerignore`), with its full text. Such a fix may have no
   * text edits; callers that only apply `edits` skip it, callers that can create files (`--fix`, the editor) do both.
   */
  createFile?: { path: string; text: string };
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: Fix[];
}

/**
 * The order of rule ids that localeCompare gives them (letters regardless of case first, then lower case before upper
 * case at the first difference), without ICU: rule ids are ASCII letters, digits and dashes, on which this agrees
 * with localeCompare (test/unit/strings.test.ts), and a comparison through localeCompare loads about 3 MB of
 * collation data into the language server.
 */
export function compareRuleIds(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.toLowerCase(), lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] === la[i] ? -1 : 1;
  return 0;
}

/** Reading order of findings: by start position, then by rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || compareRuleIds(a.rule, b.rule);
}

export const INTERNAL_ERROR_RULE = 'internal-error';
export const CONFIG_ERROR_RULE = 'config-error';
/** Rule id of the notice that a file the linted one names was not read (outside the project, not a regular file, too large). */
export const FILE_NOT_READ_RULE = 'file-not-read';
