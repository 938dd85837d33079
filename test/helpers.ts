// Shared test helpers: lint fixture files through the real engine entry point.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintFile } from '../server/src/engine/lintFile';
import { nodeHost } from '../server/src/core/fileHost';
import { fixUntilStable } from '../server/src/core/fixes';
import type { Finding, Fix } from '../server/src/core/findings';

export const REPO = path.resolve(__dirname, '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');
export const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');

/** Lint a file on disk (or given text at that path) with every rule enabled or only some. */
export async function lint(file: string, opts: { text?: string; only?: string[]; enableAll?: boolean } = {}): Promise<Finding[]> {
  const text = opts.text ?? fs.readFileSync(file, 'utf8');
  const r = await lintFile(file, text, { host: nodeHost, enableAll: opts.enableAll ?? true });
  return opts.only ? r.findings.filter((f) => opts.only!.includes(f.rule)) : r.findings;
}

/** `LINE:COL rule message` (1-based), one per finding: the snapshot format of .findings files. */
export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule} ${f.message}`).join('\n') + (findings.length ? '\n' : '');
}

/** Apply the first fix of each finding of `rule` (safe or unsafe) until the text is stable. */
export async function fixWith(file: string, text: string, rule: string, safety: 'safe' | 'any' = 'any'): Promise<string> {
  const pick = (fs_: Finding[]): Fix[] => fs_.filter((f) => f.rule === rule)
    .flatMap((f) => f.fixes.filter((x) => safety === 'any' || x.safety === 'safe').slice(0, 1));
  const r = await fixUntilStable(text, (t) => lint(file, { text: t, only: [rule] }), pick);
  return r.text;
}

/** A temporary folder holding these files (paths relative to it, folders created as needed). */
export function tmpProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-compose-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A temporary folder holding `files` (relative path -> text), for tests that lint or run the CLI on disk. */
export function tempTree(files: Record<string, string>, prefix = 'hullcheck-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
