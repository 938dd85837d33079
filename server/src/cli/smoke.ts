// `hullcheck smoke`: builds and starts the workspace's compose stack under a unique project, waits for health,
// probes endpoints and ready markers, prints a per-service table and tears everything down again.
// Exit codes: 0 everything passed, 1 something failed (or timed out, or was interrupted), 2 usage or IO error.

import { parseArgs } from 'node:util';
import { EngineUnavailableError } from '../docker/connection';
import { nodeHost } from '../core/fileHost';
import { loadSmokeSettings } from '../smoke/config';
import { smokeToJson, smokeToText } from '../smoke/format';
import { runSmoke } from '../smoke/run';
import { cliEngine } from './image';

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export const SMOKE_USAGE = `Usage: hullcheck smoke [options]

Builds and starts the compose stack under a unique project name, waits for every health check, probes the
endpoints and ready markers from \`smoke:\` in .hullcheck.yaml, prints a table per service and removes the
containers, networks, built images and the volumes the run created.

Options:
  --config FILE              Use this .hullcheck.yaml instead of searching upward from the current folder
  --timeout S                Give up after S seconds (default: smoke.timeout, else 300)
  --keep                     Leave the stack running and print the command that removes it
  --format text|json         Output format (default: text)
  --host HOST                Docker host (default: DOCKER_HOST, then the current docker context)
  -h, --help                 Show this help
`;

export interface SmokeCliOptions {
  cwd?: string;
  /** Cancels the run (teardown still happens); the CLI wires SIGINT/SIGTERM to it. */
  signal?: AbortSignal;
  progress?: boolean;
}

export async function smokeMain(argv: string[], out: Out, opts: SmokeCliOptions = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, allowPositionals: false,
      options: { config: { type: 'string' }, timeout: { type: 'string' }, keep: { type: 'boolean' }, format: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n\n${SMOKE_USAGE}`);
    return 2;
  }
  if (values.help) { out.stdout(SMOKE_USAGE); return 0; }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') { out.stderr(`hullcheck: --format must be text or json for smoke, got '${format}'\n`); return 2; }
  let timeoutSeconds: number | undefined;
  if (values.timeout !== undefined) {
    timeoutSeconds = Number(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(values.timeout) || !(timeoutSeconds > 0)) { out.stderr(`hullcheck: --timeout must be a positive number of seconds, got '${values.timeout}'\n`); return 2; }
  }
  const loaded = await loadSmokeSettings(nodeHost, opts.cwd ?? process.cwd(), values.config, { timeoutSeconds });
  if (!loaded.settings) {
    for (const p of loaded.problems) out.stderr(`hullcheck: ${p}\n`);
    return 2;
  }
  let engine;
  try { engine = await cliEngine(values.host); } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n`);
    return 2;
  }

  // SIGINT/SIGTERM cancel the run; the teardown then runs before the process exits
  const ctl = new AbortController();
  const onSignal = () => { out.stderr('hullcheck: interrupted; tearing down the smoke project\n'); ctl.abort(); };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  if (!opts.signal) for (const s of signals) process.on(s, onSignal);
  opts.signal?.addEventListener('abort', () => ctl.abort(), { once: true });
  try {
    const result = await runSmoke(engine, loaded.settings, {
      signal: ctl.signal, keep: values.keep,
      onProgress: (p) => { if (opts.progress ?? format === 'text') out.stderr(`[${p.phase}] ${p.message}\n`); },
    });
    out.stdout(format === 'json' ? smokeToJson(result) : smokeToText(result));
    if (result.outcome === 'passed') return 0;
    // problems before anything started (no compose, a name clash, a bad service name) are usage errors
    return result.outcome === 'error' && result.services.length === 0 && result.teardown.skipped && !result.composeOutput ? 2 : 1;
  } catch (e) {
    out.stderr(`hullcheck: ${e instanceof EngineUnavailableError ? e.message : (e as Error).message}\n`);
    return 2;
  } finally {
    if (!opts.signal) for (const s of signals) process.off(s, onSignal);
    engine.dispose();
  }
}
