// Temporary folders and helper processes that never outlive the process: each is removed (killed) when its owner is
// done, and whatever is still registered goes on exit and on SIGINT, SIGTERM or SIGHUP, after which the signal's
// default action resumes.

import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

const live = new Set<string>();
const children = new Set<ChildProcess>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/** A new folder under the system temp folder, e.g. `hullcheck-sc-XXXXXX`, removed at the latest when the process ends. */
export async function makeTempDir(prefix: string): Promise<string> {
  install();
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  live.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  live.delete(dir);
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/** Kill `child` if this process ends first; the returned function forgets it (call it when the child exits). */
export function killOnExit(child: ChildProcess): () => void {
  install();
  children.add(child);
  return () => { children.delete(child); };
}

function removeAllSync(): void {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
  children.clear();
  for (const dir of live) {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* nothing more to do on the way out */ }
  }
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAllSync);
  for (const signal of SIGNALS) {
    const onSignal = () => {
      removeAllSync();
      // when nobody else handles the signal, the process ends as it would have without this listener
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
