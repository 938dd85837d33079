// Builds the data of the Image Budgets view: local images with size, budget and percentage, history layers
// tied to Dockerfile lines, unbudgeted images, budgets with no image, and wasted bytes where computed.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileHost } from '../core/fileHost';
import type { ParsedDockerfile } from '../parse/dockerfile';
import type { ImageBudgetItem, ImageBudgetsResult, LayerItem } from '../protocol/dockerMessages';
import type { DockerEngine } from './connection';
import { modelOf } from '../model/dockerfile/model';
import { analyzeImage, listImages, type AnalyzedImage } from './images';
import type { SaveAnalysis } from './layers';
import type { WorkspaceModel } from './workspace';
import { recordedKey, type RecordedSizes } from './recordedSizes';
import { compareLayers, type LayerSizes } from './layerGrowth';

/** What `.hullcheck-sizes.json` holds, merged over the workspace folders. */
export interface Recorded { sizes: RecordedSizes; layers: Map<string, LayerSizes> }

/** The image against its recorded size (by tag, reference, service or budget key), when it was recorded. */
export function recordedItem(image: AnalyzedImage, recorded: Recorded | undefined): ImageBudgetItem['recorded'] {
  const key = recorded && recordedKey(recorded.sizes, [...image.tags, image.ref, image.mapping.service?.service, image.mapping.budget?.key]);
  if (!recorded || key === undefined) return undefined;
  const bytes = recorded.sizes.get(key)!;
  const layers = recorded.layers.get(key);
  return {
    bytes, change: image.size - bytes,
    ...(layers ? { steps: compareLayers(image.layers, layers).map(({ label, change, line }) => ({ label, change, ...(line !== undefined ? { line } : {}) })) } : {}),
  };
}

const uriOf = (file: string) => pathToFileURL(file).toString();

/** Layers newest first, with the wasted bytes each hides when a save analysis is known. */
export function layerItems(image: AnalyzedImage, save?: SaveAnalysis): LayerItem[] {
  const wastedByHistory = new Map<number, number>();
  if (save && save.config?.history?.length === image.layers.length) {
    for (const l of save.layers) if (l.history !== undefined) wastedByHistory.set(l.history, l.wastedBelow);
  }
  const uri = image.mapping.dockerfile ? uriOf(image.mapping.dockerfile) : undefined;
  return image.layers.map((e, i): LayerItem => ({
    size: e.size, short: e.short, keyword: e.keyword, base: e.base,
    uri: e.instr ? uri : undefined, line: e.instr?.range.start.line,
    wasted: save ? wastedByHistory.get(i) ?? 0 : undefined,
  })).reverse();
}

export function budgetItem(image: AnalyzedImage, save?: SaveAnalysis, recorded?: Recorded): ImageBudgetItem {
  const since = recordedItem(image, recorded);
  const b = image.mapping.budget;
  const stage = image.parsed ? modelOf(image.parsed).targetStage(image.mapping.target) : undefined;
  return {
    id: image.id, ref: image.ref, tags: image.tags, size: image.size, created: image.created,
    budget: b?.bytes, budgetText: b?.text, budgetKey: b?.key,
    percent: b ? Math.round((image.size / b.bytes) * 1000) / 10 : undefined,
    over: b ? image.size > b.bytes : undefined,
    service: image.mapping.service?.service,
    dockerfileUri: image.mapping.dockerfile ? uriOf(image.mapping.dockerfile) : undefined,
    fromLine: stage?.from.range.start.line,
    layers: layerItems(image, save),
    ...(since ? { recorded: since } : {}),
    // a layer that could not be read may hide more: no total rather than a low one
    wastedBytes: save && !save.unreadLayers ? save.wastedBytes : undefined,
    topWasted: save?.topWasted.slice(0, 10).map(({ path: p, bytes }) => ({ path: p, bytes })),
  };
}

/** Analyse every local image against the workspaces; images are deduplicated by id across folders. */
export async function imageBudgets(engine: DockerEngine, models: WorkspaceModel[], host: FileHost,
  wasted: Map<string, SaveAnalysis>, recorded?: Recorded): Promise<Omit<ImageBudgetsResult, 'engine'> & { analyzed: AnalyzedImage[] }> {
  const images = await listImages(engine);
  const parses = new Map<string, Promise<ParsedDockerfile | undefined>>();
  const analyzed: AnalyzedImage[] = [];
  for (const img of images) {
    // the first folder that knows the image (budget or Dockerfile) wins
    let best: AnalyzedImage | undefined;
    for (const model of models.length ? models : [emptyModel()]) {
      const a = await analyzeImage(engine, model, host, img, parses).catch((e) => {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined; // removed meanwhile
        throw e;
      });
      if (!a) break;
      if (!best || (!best.mapping.budget && !best.mapping.dockerfile && (a.mapping.budget || a.mapping.dockerfile))) best = a;
    }
    if (best) analyzed.push(best);
  }
  const items = analyzed.map((a) => budgetItem(a, wasted.get(a.id), recorded));
  const budgeted = items.filter((i) => i.budget !== undefined).sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0));
  const unbudgeted = items.filter((i) => i.budget === undefined).sort((a, b) => b.size - a.size);
  const usedKeys = new Set(budgeted.map((i) => i.budgetKey));
  const missing = models.flatMap((m) => m.budgets).filter((b) => !usedKeys.has(b.key))
    .map((b) => ({ key: b.key, budgetText: b.text, file: b.file }));
  return { budgeted, unbudgeted, missing, analyzed };
}

function emptyModel(): WorkspaceModel {
  return { folder: path.resolve('.'), services: [], budgets: [], allowRoot: [], dockerfiles: [], problems: [] };
}
