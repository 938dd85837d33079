// `hullcheck budgets`: every budgeted image of the workspace in the current folder against its budget, as a
// table or JSON. Exit 1 when any image is over budget, 2 when the engine cannot be reached.

import * as path from 'node:path';
import { listImages, type LocalImage } from '../docker/images';
import { formatSize, toMB } from '../docker/size';
import { loadWorkspace, mapImage, type BudgetRule, type WorkspaceModel } from '../docker/workspace';
import { nodeHost } from '../engine/nodeHost';
import { cliEngine, ImageUsageError } from './image';
import { printable } from '../core/terminal';

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

export async function budgetsCommand(flags: { format?: string; host?: string }, out: Out): Promise<number> {
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
  try {
    const engine = await cliEngine(flags.host);
    try { rows = budgetRows(model, await listImages(engine)); } finally { engine.dispose(); }
  } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n`);
    return 2;
  }
  if (format === 'json') out.stdout(JSON.stringify({ images: rows }, null, 2) + '\n');
  else out.stdout(table(rows));
  return rows.some((r) => r.status === 'over') ? 1 : 0;
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
