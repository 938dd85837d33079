// Runs `trivy image --format json` for one image reference (no shell), one scan per reference at a time,
// cancellable through an AbortSignal. Every failure comes back as a typed error value with a message a user
// can act on; nothing here throws.

import { spawn } from 'node:child_process';
import { resolveExecutable } from '../core/executables';
import { parseReport, type TrivyReport } from './report';

export interface ScanOptions {
  /** The trivy executable: an absolute path, or a name looked up on PATH. Default `trivy`. */
  trivyPath?: string;
  /** Passed as `--ignorefile` so Trivy itself drops the listed ids. */
  ignoreFile?: string;
  /** Passed as `--severity` (e.g. ['CRITICAL', 'HIGH']). */
  severities?: string[];
  signal?: AbortSignal;
  /** Environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Called when the scan actually starts (after any queued scan of the same reference). */
  onStart?: () => void;
  /** Folders whose PATH entries are not searched for trivy (the workspace, the project). */
  untrustedRoots?: string[];
}

export type ScanErrorKind = 'not-installed' | 'invalid-ref' | 'failed' | 'bad-output' | 'cancelled' | 'killed';

export type ScanResult =
  | { ok: true; report: TrivyReport; warnings: string[] }
  | { ok: false; kind: ScanErrorKind; error: string };

export const INSTALL_HINT = 'Install it from https://trivy.dev (for example `brew install trivy`, or the aquasec/trivy packages for apt and rpm) or set the path to the trivy executable.';

/** How much of stderr is kept for error messages: the end is where Trivy says what went wrong. */
const STDERR_TAIL = 2000;

/** Scans in flight per image reference; a new scan of the same reference waits for the previous one. */
const queues = new Map<string, Promise<unknown>>();

/** The command line for a scan, without the executable (exported for tests and for showing to users). */
export function trivyArgs(ref: string, opts: Pick<ScanOptions, 'ignoreFile' | 'severities'> = {}): string[] {
  const args = ['image', '--format', 'json', '--quiet'];
  if (opts.ignoreFile) args.push('--ignorefile', opts.ignoreFile);
  if (opts.severities?.length) args.push('--severity', opts.severities.join(','));
  // `--` keeps a reference from ever being read as an option
  args.push('--', ref);
  return args;
}

/** Scan an image. Scans of the same reference run one after the other; different references run in parallel. */
export function scanImage(ref: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const key = ref.trim();
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(() => runOnce(key, opts), () => runOnce(key, opts));
  const settled = run.finally(() => { if (queues.get(key) === settled) queues.delete(key); });
  queues.set(key, settled);
  return run;
}

/** Whether a scan of this reference is running or queued. */
export function isScanning(ref: string): boolean {
  return queues.has(ref.trim());
}

async function runOnce(ref: string, opts: ScanOptions): Promise<ScanResult> {
  if (!ref || ref.startsWith('-') || /[\s\0]/.test(ref)) {
    return { ok: false, kind: 'invalid-ref', error: `'${ref}' is not an image reference.` };
  }
  if (opts.signal?.aborted) return { ok: false, kind: 'cancelled', error: `The scan of ${ref} was cancelled.` };
  opts.onStart?.();
  const wanted = opts.trivyPath?.trim() || 'trivy';
  // only absolute PATH entries outside the project: never a relative entry or a program the repository ships
  const exe = await resolveExecutable(wanted, { env: opts.env, untrustedRoots: opts.untrustedRoots });
  if (!exe) return spawnFailure(wanted, Object.assign(new Error('not found'), { code: 'ENOENT' }));
  if (opts.signal?.aborted) return { ok: false, kind: 'cancelled', error: `The scan of ${ref} was cancelled.` };
  return new Promise<ScanResult>((resolve) => {
    let done = false;
    const finish = (r: ScanResult) => { if (!done) { done = true; opts.signal?.removeEventListener('abort', onAbort); resolve(r); } };
    const out: Buffer[] = [];
    let err = '';
    let cancelled = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(exe, trivyArgs(ref, opts), { shell: false, windowsHide: true, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      finish(spawnFailure(exe, e as NodeJS.ErrnoException));
      return;
    }
    const onAbort = () => { cancelled = true; child.kill('SIGTERM'); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // the error listener before any stream: a refused spawn (EMFILE, EAGAIN) may come without them
    child.on('error', (e: NodeJS.ErrnoException) => finish(spawnFailure(exe, e)));
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => { err = (err + c.toString('utf8')).slice(-STDERR_TAIL * 2); });
    child.on('close', (code, signal) => {
      if (cancelled) return finish({ ok: false, kind: 'cancelled', error: `The scan of ${ref} was cancelled.` });
      const tail = stderrTail(err);
      if (signal) return finish({ ok: false, kind: 'killed', error: `Trivy was stopped by ${signal} while scanning ${ref}.${tail ? ` Its last output: ${tail}` : ''}` });
      if (code !== 0) return finish({ ok: false, kind: 'failed', error: `Trivy exited with code ${code} while scanning ${ref}.${tail ? ` ${tail}` : ''}` });
      const text = Buffer.concat(out).toString('utf8');
      out.length = 0; // the report can be large: keep one copy at a time
      const parsed = parseReport(text, `trivy image ${ref}`);
      if (!parsed.ok) {
        const head = text.trim().slice(0, 120);
        return finish({ ok: false, kind: 'bad-output', error: `Trivy did not print a JSON report for ${ref}${head ? ` (it printed: ${JSON.stringify(head)})` : ' (it printed nothing)'}.` });
      }
      if (!parsed.report.artifact.name) parsed.report.artifact.name = ref;
      finish(parsed);
    });
  });
}

function spawnFailure(exe: string, e: NodeJS.ErrnoException): ScanResult {
  if (e.code === 'ENOENT') {
    const where = exe.includes('/') || exe.includes('\\') ? `at ${exe}` : 'on PATH';
    return { ok: false, kind: 'not-installed', error: `Trivy is not installed (no executable ${where}). ${INSTALL_HINT}` };
  }
  if (e.code === 'EACCES') return { ok: false, kind: 'not-installed', error: `${exe} cannot be executed (permission denied). ${INSTALL_HINT}` };
  return { ok: false, kind: 'failed', error: `Could not start ${exe}: ${e.message}` };
}

/** The end of stderr on one line, without ANSI colours. */
function stderrTail(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').map((l) => l.trim()).filter(Boolean).join(' | ');
  return clean.length > STDERR_TAIL ? `…${clean.slice(-STDERR_TAIL)}` : clean;
}
