// The language server's smoke-test request: runs `hullcheck smoke` for a workspace folder, reports each phase
// as a hullcheck/smokeProgress notification, and turns the request's cancellation into the run's abort (the
// teardown still runs before the request answers).

import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { uriToPath } from './documents';
import { nodeHost } from '../core/fileHost';
import { SmokeProgressNotification, SmokeRunRequest, type SmokeRunParams, type SmokeRunResponse } from '../protocol/messages';
import { loadSmokeSettings } from '../smoke/config';
import type { SmokeProgress } from '../protocol/smokeTypes';
import { runSmoke } from '../smoke/run';
import type { WorkspaceTrust } from './trust';

export interface SmokeFeatureDeps {
  folders: () => string[];
  log: (m: string) => void;
  /** The engine host setting, when one is configured. */
  host?: () => string | undefined;
  /** The smoke test runs Compose and the engine: only in a trusted workspace. */
  trust: WorkspaceTrust;
}

export async function smokeRun(connection: Connection, deps: SmokeFeatureDeps, p: SmokeRunParams, token: CancellationToken): Promise<SmokeRunResponse> {
  const folder = (p.folderUri && uriToPath(p.folderUri)) || deps.folders()[0];
  if (!folder) return { problems: ['Open a folder with a compose file to run the smoke test.'] };
  const loaded = await loadSmokeSettings(nodeHost, folder, undefined, { timeoutSeconds: p.timeoutSeconds });
  if (!loaded.settings) return { problems: loaded.problems };
  const engine = deps.trust.engine({ host: deps.host?.() });
  const state = await engine.connect();
  if (state.status !== 'connected') { engine.dispose(); return { problems: [state.reason] }; }
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  const send = (phase: SmokeProgress) => {
    try { connection.sendNotification(SmokeProgressNotification.method, { runId: p.runId, ...phase }).catch(() => undefined); } catch { /* connection closed */ }
  };
  try {
    const result = await runSmoke(engine, loaded.settings, { signal: abort.signal, keep: p.keep, onProgress: send });
    deps.log(`Smoke test ${result.project}: ${result.outcome}`);
    return { result, problems: [] };
  } finally {
    sub.dispose();
    engine.dispose();
  }
}

export function registerSmokeFeature(connection: Connection, deps: SmokeFeatureDeps): void {
  connection.onRequest(SmokeRunRequest.method, async (p: SmokeRunParams, token: CancellationToken) => {
    try { return await smokeRun(connection, deps, p, token); } catch (e) {
      deps.log(`${SmokeRunRequest.method} failed: ${(e as Error).stack ?? e}`);
      return { problems: [(e as Error).message] } satisfies SmokeRunResponse;
    }
  });
}
