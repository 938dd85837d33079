// `hullcheck budgets`: every budgeted image of the workspace in the current folder against its budget, as a
// table or JSON. Exit 1 when any image is over budget, 2 when the engine cannot be reached.

import * as path from 'node:path';
import { analyzeImage, imageHistory, listImages, type AnalyzedImage, type LocalImage } from '../docker/images';
import { formatSize, toMB } from '../core/size';
import { loadWorkspace, mapImage, type BudgetRule, type WorkspaceModel } from '../docker/workspace';
import { nodeHost } from '../core/fileHost';
import { cliEngine, ImageUsageError } from './image';
import { printable } from '../core/terminal';
import type { DockerEngine } from '../docker/connection';
import { compareGrowth, formatChange, readSizesFile, renderSizesFile, type EarlierSizes, type GrowthRow } from '../docker/growth';
import { imageSize, inspectImage } from '../docker/images';
import { SIZES_FILE } from '../docker/recordedSizes';
import { layerSizes, type LayerGrowthRow } from '../docker/layerGrowth';
import { attributeHistory } from '../model/imageHistory';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { writeFileAtomic } from '../core/atomicWrite';

export interface BudgetRow {
  /** The budget key: a compose service or an image glob. */
  budget: string;
  image: string | null;
  service: string | null;
  size: number | null;
  limit: number;
  sizeMB: number | null;
  limitMB: number;
  percent: number | null;
  status: 'over' | 'under' | 'missing';
  dockerfile: string | null;
}

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

/** Pair every budget with the local images it covers; budgets without a local image are `missing`. */
export function budgetRows(model: WorkspaceModel, images: LocalImage[]): BudgetRow[] {
  const rows: BudgetRow[] = [];
  const used = new Set<BudgetRule>();
  for (const img of images) {
    const m = mapImage(model, img.tags, img.labels);
    if (!m.budget || img.tags.length === 0) continue;
    used.add(m.budget);
    const percent = Math.round((img.size / m.budget.bytes) * 1000) / 10;
    rows.push({
      budget: m.budget.key, image: img.ref, service: m.service?.service ?? null, size: img.size, limit: m.budget.bytes,
      sizeMB: toMB(img.size), limitMB: toMB(m.budget.bytes), percent, status: img.size > m.budget.bytes ? 'over' : 'under',
      dockerfile: m.dockerfile ? path.relative(model.folder, m.dockerfile) : null,
    });
  }
  for (const b of model.budgets) {
    if (used.has(b)) continue;
    rows.push({ budget: b.key, image: null, service: null, size: null, limit: b.bytes, sizeMB: null, limitMB: toMB(b.bytes), percent: null, status: 'missing', dockerfile: null });
  }
  // worst first: over budget by percentage, then under, then images not built
  return rows.sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1));
}

export interface BudgetsFlags { format?: string; host?: string; record?: boolean; against?: string }

export async function budgetsCommand(flags: BudgetsFlags, out: Out): Promise<number> {
  const format = flags.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new ImageUsageError(`--format must be text or json for budgets, got '${format}'`);
  const model = await loadWorkspace(process.cwd(), nodeHost);
  for (const p of model.problems) out.stderr(`hullcheck: ${p}\n`);
  if (model.budgets.length === 0) {
    if (format === 'json') out.stdout(JSON.stringify({ images: [] }, null, 2) + '\n');
    else out.stdout('No budgets in this workspace (declare them under `budgets:` in .hullcheck.yaml or as `x-hullcheck: { budget }` on a compose service).\n');
    return 0;
  }
  let rows: BudgetRow[];
  let earlier: EarlierSizes | string | undefined;
  const analyzed = new Map<string, AnalyzedImage>();
  try {
    const engine = await cliEngine(flags.host);
    try {
      const images = await listImages(engine);
      rows = budgetRows(model, images);
      // the layers (history attributed to the Dockerfile) are read only to record or compare them
      if (flags.record || flags.against !== undefined) {
        const parses = new Map<string, Promise<ParsedDockerfile | undefined>>();
        for (const img of images) {
          if (rows.some((r) => r.image === img.ref)) analyzed.set(img.ref, await analyzeImage(engine, model, nodeHost, img, parses));
        }
      }
      if (flags.against !== undefined) earlier = await againstSizes(flags.against, model.folder, rows, engine, analyzed);
    } finally { engine.dispose(); }
  } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n`);
    return 2;
  }
  if (typeof earlier === 'string') { out.stderr(`hullcheck: ${earlier}\n`); return 2; }
  const sized = rows.filter((r) => r.image !== null && r.size !== null)
    .map((r) => ({ ref: r.image!, budget: r.budget, size: r.size!, layers: analyzed.get(r.image!)?.layers }));
  const growth = earlier ? compareGrowth(sized, earlier, model.growth) : undefined;
  const fileOf = (ref: string) => rows.find((r) => r.image === ref)?.dockerfile ?? null;
  if (format === 'json') {
    const growthJson = growth?.map((g) => ({ ...g, ...(g.layers ? { layers: g.layers.map((l) => layerJson(l, fileOf(g.ref))) } : {}) }));
    out.stdout(JSON.stringify({ images: rows, ...(growthJson ? { growth: growthJson, growthLimit: model.growth?.text ?? null } : {}) }, null, 2) + '\n');
  } else out.stdout(table(rows) + (growth ? growthTable(growth, model.growth?.text, fileOf) : ''));
  if (flags.record) {
    const file = path.join(model.folder, SIZES_FILE);
    try {
      await writeFileAtomic(file, renderSizesFile(sized, new Date()));
    } catch (e) {
      out.stderr(`hullcheck: cannot write ${SIZES_FILE}: ${(e as Error).message}\n`);
      return 2;
    }
    out.stderr(`hullcheck: recorded ${sized.length} image size${sized.length === 1 ? '' : 's'} in ${SIZES_FILE}\n`);
  }
  return rows.some((r) => r.status === 'over') || growth?.some((g) => g.status === 'grown') ? 1 : 0;
}

/**
 * The earlier sizes to compare with: a recorded sizes file, or an image in the engine. An image is the earlier
 * version of the one budgeted image that is built; with several, a file says which is which.
 */
async function againstSizes(against: string, folder: string, rows: BudgetRow[], engine: DockerEngine, analyzed: Map<string, AnalyzedImage>): Promise<EarlierSizes | string> {
  const file = path.resolve(folder, against);
  const kind = await nodeHost.kind(file, { userChosen: true });
  if (kind === 'file' || /\.json$/i.test(against)) {
    const r = await nodeHost.read(file, 'config', { userChosen: true });
    if (!r.ok) return r.reason === 'missing' ? `${against}: no such file` : `${against}: ${r.message}`;
    return readSizesFile(r.text, against);
  }
  const built = rows.filter((r) => r.image !== null);
  if (built.length !== 1) return `--against ${against}: an image can be compared with one budgeted image, and ${built.length} are built; record the sizes with --record and compare with the file`;
  const earlier = await inspectImage(engine, against).catch(() => undefined);
  if (!earlier) return `--against ${against}: no such image in the engine`;
  const ref = built[0].image!;
  // the earlier image's history is attributed with the current Dockerfile: its base image is found when the
  // build steps still match, and its other steps are named by their history entries either way
  const now = analyzed.get(ref);
  const history = attributeHistory(await imageHistory(engine, earlier.Id), now?.parsed, now?.mapping.target);
  return { sizes: new Map([[ref, imageSize(earlier)]]), layers: new Map([[ref, layerSizes(history)]]) };
}

/** A changed build step for JSON output: 1-based line in the image's Dockerfile when known. */
function layerJson(l: LayerGrowthRow, dockerfile: string | null): Record<string, unknown> {
  return {
    step: l.step, label: l.label, ...(l.line !== undefined && dockerfile ? { file: dockerfile, line: l.line + 1 } : {}),
    before: l.before, now: l.now, change: l.change,
  };
}

/** `+1.43 MB`, `-200 kB`. */
function signed(n: number): string {
  return `${n > 0 ? '+' : '-'}${formatSize(Math.abs(n))}`;
}

function growthTable(rows: GrowthRow[], limit: string | undefined, fileOf: (ref: string) => string | null): string {
  const cells = rows.map((r) => [r.status === 'grown' ? 'GROWN' : r.status === 'new' ? 'new' : 'ok', r.ref, r.before === null ? '-' : formatSize(r.before), formatSize(r.size), formatChange(r)].map((c) => printable(c)));
  const head = ['GROWTH', 'IMAGE', 'BEFORE', 'NOW', 'CHANGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  // under each image, the build steps whose bytes changed (by Dockerfile instruction when the file is known)
  const indent = ' '.repeat(widths[0] + 2);
  const steps = (r: GrowthRow) => (r.layers ?? []).map((l) => {
    const file = fileOf(r.ref);
    const at = l.line !== undefined && file ? ` (${file}:${l.line + 1})` : '';
    const what = l.before === null ? ', new step' : l.now === null ? ', step removed' : '';
    return printable(`${indent}${signed(l.change).padStart(10)}  ${l.label}${at}${what}`);
  });
  const grown = rows.filter((r) => r.status === 'grown').length;
  const verdict = !limit ? 'No growth limit is set (budgets: { growth: 5% } in .hullcheck.yaml).'
    : grown ? `${grown} image${grown === 1 ? '' : 's'} grew more than ${limit}.` : `No image grew more than ${limit}.`;
  return ['', line(head), ...cells.flatMap((c, i) => [line(c), ...steps(rows[i])]), verdict].join('\n') + '\n';
}

function table(rows: BudgetRow[]): string {
  const cells = rows.map((r) => [
    r.status === 'over' ? 'OVER' : r.status === 'under' ? 'ok' : 'not built',
    r.budget, r.image ?? '-', r.size === null ? '-' : formatSize(r.size), formatSize(r.limit),
    r.percent === null ? '-' : `${r.percent}%`, r.dockerfile ?? '',
  ].map((c) => printable(c)));
  const head = ['STATUS', 'BUDGET', 'IMAGE', 'SIZE', 'LIMIT', 'USED', 'DOCKERFILE'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  const over = rows.filter((r) => r.status === 'over').length;
  return [line(head), ...cells.map(line), over ? `${over} image${over === 1 ? '' : 's'} over budget.` : 'Every built image is within budget.'].join('\n') + '\n';
}
