// Size growth gates: `budgets: { growth: 5% }` (or an absolute size such as `20MB`), the `.hullcheck-sizes.json`
// that `hullcheck budgets --record` writes, and the comparison of each budgeted image with its recorded size.
//
// The file's shape (read back by readRecordedSizes for the editor's lenses and the Image Budgets view):
//   { "version": 1, "recorded": "<ISO date>",
//     "images": { "<image ref>": { "bytes": <n>, "budget": "<budget key>", "layers": { "<step>": <n>, ... } } } }
// Keys are image references as `docker images` lists them; `bytes` is the engine's image size; `layers` holds the
// bytes each build step added (see layerGrowth), for the growth per instruction.

import type { AttributedEntry } from '../model/imageHistory';
import { compareLayers, layerSizes, type LayerGrowthRow, type LayerSizes } from './layerGrowth';
import { parseRecordedLayers, parseRecordedSizes, type RecordedSizes } from './recordedSizes';
import { formatSize, parseSize } from '../core/size';

/** How much an image may grow over its recorded size before the gate fails. */
export type GrowthLimit = { percent: number; text: string } | { bytes: number; text: string };

/** `5%`, `2.5 %`, or a size (`20MB`); undefined (with `problem` set) for anything else. */
export function parseGrowth(value: unknown): { limit?: GrowthLimit; problem?: string } {
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    if (m) return { limit: { percent: parseFloat(m[1]), text: `${m[1]}%` } };
  }
  const bytes = parseSize(value);
  if (bytes !== undefined) return { limit: { bytes, text: String(value) } };
  return { problem: `"${String(value)}" is not a growth such as 5% or 20MB` };
}

export interface SizedImage {
  ref: string;
  budget: string;
  size: number;
  /** The image's history, attributed to its Dockerfile when known: recorded per step, compared per step. */
  layers?: readonly AttributedEntry[];
}

/** Earlier sizes: per image (by reference or budget key) and, where known, per build step. */
export interface EarlierSizes { sizes: RecordedSizes; layers: Map<string, LayerSizes> }

/** The text of `.hullcheck-sizes.json` for these images (sorted, so re-recording unchanged sizes changes nothing). */
export function renderSizesFile(images: SizedImage[], now: Date): string {
  const sorted = [...images].sort((a, b) => a.ref.localeCompare(b.ref));
  const entries = Object.fromEntries(sorted.map((i) => [i.ref, {
    bytes: i.size, budget: i.budget, ...(i.layers ? { layers: Object.fromEntries([...layerSizes(i.layers)].sort((a, b) => b[1] - a[1])) } : {}),
  }]));
  return JSON.stringify({ version: 1, recorded: now.toISOString(), images: entries }, null, 2) + '\n';
}

export interface GrowthRow {
  ref: string;
  budget: string;
  size: number;
  /** The recorded (or earlier image's) size; null when the image was not recorded. */
  before: number | null;
  change: number | null;
  changePercent: number | null;
  /** `grown`: past the limit; `ok`: within it (or no limit set); `new`: nothing to compare with. */
  status: 'grown' | 'ok' | 'new';
  /** The build steps whose bytes changed, most growth first; absent when the earlier layers are not known. */
  layers?: LayerGrowthRow[];
}

/** Each image against its earlier size: by its reference, else by its budget key when one image had that budget. */
export function compareGrowth(images: SizedImage[], earlier: EarlierSizes, limit?: GrowthLimit): GrowthRow[] {
  const before = earlier.sizes;
  return images.map((img) => {
    const prev = before.get(img.ref) ?? before.get(img.budget);
    const prevLayers = before.has(img.ref) ? earlier.layers.get(img.ref) : earlier.layers.get(img.budget);
    if (prev === undefined) return { ref: img.ref, budget: img.budget, size: img.size, before: null, change: null, changePercent: null, status: 'new' };
    const change = img.size - prev;
    const changePercent = prev > 0 ? Math.round((change / prev) * 1000) / 10 : null;
    const over = limit === undefined ? false
      : 'percent' in limit ? (prev > 0 ? (change / prev) * 100 > limit.percent : change > 0)
        : change > limit.bytes;
    return {
      ref: img.ref, budget: img.budget, size: img.size, before: prev, change, changePercent, status: over ? 'grown' : 'ok',
      ...(prevLayers && img.layers ? { layers: compareLayers(img.layers, prevLayers) } : {}),
    };
  });
}

/** Recorded sizes from the text of a sizes file; a file without usable entries is an error, not "no growth". */
export function readSizesFile(text: string, name: string): EarlierSizes | string {
  const sizes = parseRecordedSizes(text);
  return sizes.size ? { sizes, layers: parseRecordedLayers(text) } : `${name} holds no recorded image sizes`;
}

/** `+12.3 MB (+4.1%)`, `-1.0 MB (-0.5%)`, `new`. */
export function formatChange(row: GrowthRow): string {
  if (row.change === null) return 'new';
  const sign = row.change > 0 ? '+' : row.change < 0 ? '-' : '±';
  return `${sign}${formatSize(Math.abs(row.change))}${row.changePercent === null ? '' : ` (${row.changePercent > 0 ? '+' : ''}${row.changePercent}%)`}`;
}
