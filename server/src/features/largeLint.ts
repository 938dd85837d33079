// Large documents are linted in a worker thread with a deadline, so the server keeps answering other requests while
// a multi-megabyte file is analysed. When the deadline hits, the findings of the rule groups that finished are kept
// and a notice says the analysis is partial.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { compareFindings, type Finding } from '../core/findings';
import { MAX_LARGE_FINDINGS, WORKER_FLAG, type LargeLintJob, type LargeLintMessage } from './largeLintWorker';

/** Rule id of the notice on a document whose analysis was cut short. */
export const PARTIAL_RULE = 'analysis-partial';

/** How long a large document may be analysed; HULLCHECK_LARGE_LINT_DEADLINE_MS overrides it (tests). */
export function deadlineMs(): number {
  const env = Number(process.env.HULLCHECK_LARGE_LINT_DEADLINE_MS);
  return Number.isFinite(env) && env > 0 ? env : 5000;
}

/**
 * How to start a worker: the server's own entry point, which runs the worker instead of a server when started with
 * the worker flag. From the bundle that is the bundle itself; from source (tests) it is server.ts, loaded through
 * tsx's CommonJS hook because a worker does not inherit the parent's TypeScript loader.
 */
function workerScript(): { script: string; eval: boolean } | undefined {
  // existsSync on Hullcheck's own installed scripts, never on workspace files: no file host needed
  if (!__filename.endsWith('.ts')) return fs.existsSync(__filename) ? { script: __filename, eval: false } : undefined;
  const source = path.join(__dirname, '..', 'server.ts');
  if (!fs.existsSync(source)) return undefined;
  return { script: `require('tsx/cjs'); require(${JSON.stringify(source)});`, eval: true };
}

function notice(message: string): Finding {
  return { rule: PARTIAL_RULE, severity: 'info', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [] };
}

export interface LargeLintResult { findings: Finding[]; partial: boolean }

/** Running analyses per document: a newer version stops the older one at once. */
const running = new Map<string, Worker>();

export function lintLarge(
  uri: string, job: LargeLintJob,
  log: (m: string) => void,
): Promise<LargeLintResult> {
  const script = workerScript();
  if (!script) return Promise.resolve({ findings: [notice('Hullcheck cannot analyse this large file here (its worker script is missing).')], partial: true });
  running.get(uri)?.terminate().catch(() => undefined);
  const limit = deadlineMs();
  const full: LargeLintJob = { ...job };
  return new Promise((resolve) => {
    let findings: Finding[] = [];
    /** How many findings the rules reported in all, of which `findings` keeps the first MAX_LARGE_FINDINGS. */
    let found = 0;
    let parsed = false;
    let progress = { done: 0, total: 0 };
    let settled = false;
    const worker = new Worker(script.script, { eval: script.eval, workerData: { [WORKER_FLAG]: true, job: full } });
    running.set(uri, worker);
    const finish = (r: LargeLintResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (running.get(uri) === worker) running.delete(uri);
      void worker.terminate().catch(() => undefined);
      resolve(r);
    };
    const timer = setTimeout(() => {
      const seconds = (limit / 1000).toFixed(limit % 1000 ? 1 : 0);
      const what = !parsed ? 'it could not be read in time, so no rules ran'
        : `${progress.done} of ${progress.total} rules ran, so some findings may be missing`;
      finish({ findings: [notice(`This file is large: Hullcheck stopped analysing it after ${seconds} s; ${what}.`), ...findings], partial: true });
    }, limit);
    worker.on('message', (m: LargeLintMessage) => {
      if (m.kind === 'parsed') parsed = true;
      else if (m.kind === 'log') log(m.message);
      else if (m.kind === 'group') {
        found += m.found;
        findings.push(...m.findings);
        if (findings.length > MAX_LARGE_FINDINGS) findings = findings.sort(compareFindings).slice(0, MAX_LARGE_FINDINGS);
        progress = { done: m.rulesDone, total: m.rulesTotal };
      } else if (m.kind === 'done') {
        const capped = found > findings.length
          ? [notice(`This file is large: Hullcheck shows its first ${findings.length} findings of ${found}.`)] : [];
        finish({ findings: [...capped, ...findings.sort(compareFindings)], partial: false });
      }
      else if (m.kind === 'failed') {
        log(`Linting large document ${uri} failed: ${m.message}`);
        finish({ findings: [notice(`Hullcheck could not finish analysing this large file: ${m.message}`), ...findings], partial: true });
      }
    });
    worker.on('error', (e) => {
      log(`Large-document worker for ${uri} failed: ${e.stack ?? e.message}`);
      finish({ findings: [notice('Hullcheck could not analyse this large file; see the Hullcheck output for details.'), ...findings], partial: true });
    });
    worker.on('exit', () => finish({ findings: [notice('Hullcheck stopped analysing this large file before it finished.'), ...findings], partial: true }));
  });
}

