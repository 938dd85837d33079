// `hullcheck image REF...`: the image checks against a running engine, with the lint command's output formats
// and exit codes (`file` is the image reference). The workspace in the current folder supplies budgets,
// allowRoot and the Dockerfiles the findings point into.

import { DockerEngine, EngineUnavailableError } from '../docker/connection';
import { checkImage, type ImageFinding } from '../engine/imageRules';
import { analyzeImage, findImage, inspectImage, saveAndAnalyze } from '../docker/images';
import { parseSize } from '../core/size';
import { loadWorkspace } from '../docker/workspace';
import { nodeHost } from '../core/fileHost';
import { EXIT, FAIL_LEVELS, failedChecks, incompleteNote, reachesFailLevel, toJson } from './format';
import { toSarif } from './formats/sarif';
import { printable } from '../core/terminal';

export interface ImageFlags { format?: string; 'fail-level'?: string; budget?: string; host?: string }
type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export class ImageUsageError extends Error {}


/** A connected engine for one CLI run, or the reason it is not reachable. */
export async function cliEngine(host: string | undefined): Promise<DockerEngine> {
  const engine = new DockerEngine({ host: host ?? process.env.HULLCHECK_DOCKER_HOST });
  const state = await engine.connect();
  if (state.status !== 'connected') { engine.dispose(); throw new EngineUnavailableError(state); }
  return engine;
}

export async function imageCommand(refs: string[], flags: ImageFlags, out: Out, version: string): Promise<number> {
  const format = flags.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new ImageUsageError(`--format must be text, json or sarif, got '${format}'`);
  const failLevel = flags['fail-level'] ?? 'warning';
  if (!FAIL_LEVELS.includes(failLevel)) throw new ImageUsageError(`--fail-level must be one of ${FAIL_LEVELS.join(', ')}, got '${failLevel}'`);
  if (refs.length === 0) throw new ImageUsageError('image needs at least one image reference');
  const budget = flags.budget === undefined ? undefined : parseSize(flags.budget);
  if (flags.budget !== undefined && budget === undefined) throw new ImageUsageError(`--budget must be a size such as 600MB or 1.2GB, got '${flags.budget}'`);

  let engine: DockerEngine;
  try { engine = await cliEngine(flags.host); } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n`);
    return 2;
  }
  const findings: ImageFinding[] = [];
  let ioError = false;
  try {
    const model = await loadWorkspace(process.cwd(), nodeHost);
    for (const p of model.problems) out.stderr(`hullcheck: ${p}\n`);
    for (const ref of refs) {
      const local = await findImage(engine, ref);
      if (!local) { out.stderr(`hullcheck: ${ref}: no such image in the engine\n`); ioError = true; continue; }
      // the save stream takes longest: history and inspect run while it flows
      const [image, inspect, save] = await Promise.all([
        analyzeImage(engine, model, nodeHost, { ...local, ref }), inspectImage(engine, local.id), saveAndAnalyze(engine, local.id),
      ]);
      findings.push(...checkImage({ image, inspect, save, budget, log: (m) => out.stderr(`hullcheck: ${m}\n`) }));
    }
  } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n`);
    return 2;
  } finally {
    engine.dispose();
  }

  if (format === 'json') out.stdout(toJson(findings));
  else if (format === 'sarif') out.stdout(toSarif(findings, version));
  else out.stdout(toText(findings, refs.length));
  if (failedChecks(findings)) { out.stderr(incompleteNote(failedChecks(findings))); return EXIT.incomplete; }
  if (ioError) return 2;
  return findings.some((f) => reachesFailLevel(f.severity, failLevel)) ? 1 : 0;
}

function toText(findings: ImageFinding[], images: number): string {
  const lines = findings.map((f) => printable(`${f.file}: ${f.severity} ${f.message} [${f.rule}]`));
  lines.push(findings.length === 0 ? `No problems in ${images} image${images === 1 ? '' : 's'}.`
    : `${findings.length} problem${findings.length === 1 ? '' : 's'} in ${images} image${images === 1 ? '' : 's'}.`);
  return lines.join('\n') + '\n';
}
