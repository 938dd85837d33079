// The worker-thread side of linting large documents: parse once, then run the rules a group at a time and post each
// group's findings as soon as it is done, so a deadline that stops the worker still leaves the groups that finished.

import { parentPort, workerData } from 'node:worker_threads';
import { lintFile, parseFor } from '../engine/lintFile';
import { RULES } from '../rules';
import { nodeHost } from '../core/fileHost';
import type { Finding, Language } from '../core/findings';
import type { ResolvedConfig } from '../config/resolvedConfig';

/** What the main thread sends: one document version to lint. */
export interface LargeLintJob {
  file: string;
  text: string;
  language: Language;
  overrides?: Partial<ResolvedConfig>;
  /** No build context or config on disk (an unsaved document). */
  unsaved: boolean;
  /** The workspace folder holding the file: the project boundary. */
  workspaceFolder?: string;
}

export type LargeLintMessage =
  | { kind: 'parsed'; ms: number }
  | { kind: 'group'; findings: Finding[]; found: number; rulesDone: number; rulesTotal: number }
  | { kind: 'done' }
  | { kind: 'failed'; message: string }
  /** A line for the server's log, such as the stack of a rule that failed (its finding is in the group). */
  | { kind: 'log'; message: string };

/** Marks a worker started for this job (the server entry point checks it to run the worker instead of a server). */
export const WORKER_FLAG = 'hullcheckLargeLint';

const GROUPS = 8;

/**
 * At most this many findings of a large document reach the main thread and the editor, the first by position: tens
 * of thousands (a generated file repeats its mistakes) would take the main thread seconds to receive, publish and
 * send, while nobody reads past the first screens of them.
 */
export const MAX_LARGE_FINDINGS = 1000;

export async function runLargeLintWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const job = (workerData as { job: LargeLintJob }).job;
  const post = (m: LargeLintMessage) => port.postMessage(m);
  try {
    const started = performance.now();
    const parsed = parseFor(job.language, job.text);
    post({ kind: 'parsed', ms: performance.now() - started });
    const ids = RULES.filter((r) => r.meta.language === job.language).map((r) => r.meta.id);
    const size = Math.max(1, Math.ceil(ids.length / GROUPS));
    for (let i = 0; i < ids.length; i += size) {
      const only = ids.slice(i, i + size);
      const r = await lintFile(job.file, job.text, {
        host: nodeHost, language: job.language, parsed, overrides: job.overrides, only, facts: job.unsaved ? {} : undefined, workspaceFolder: job.workspaceFolder,
        log: (message) => post({ kind: 'log', message }),
      });
      // only what the main thread may keep: the first findings by position (lintFile returns them sorted)
      const kept = r.findings.length > MAX_LARGE_FINDINGS ? r.findings.slice(0, MAX_LARGE_FINDINGS) : r.findings;
      post({ kind: 'group', findings: kept, found: r.findings.length, rulesDone: Math.min(ids.length, i + size), rulesTotal: ids.length });
    }
    post({ kind: 'done' });
  } catch (e) {
    post({ kind: 'failed', message: (e as Error).message });
  }
}
