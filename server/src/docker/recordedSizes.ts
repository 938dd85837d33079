// Recorded image sizes (`.hullcheck-sizes.json` in a workspace folder, written by `hullcheck budgets --record`):
// read only when present, bounded like any config file, and type-checked entry by entry so a damaged file
// gives no growth figures rather than wrong ones.

import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { parseLayerSizes, type LayerSizes } from './layerGrowth';

export const SIZES_FILE = '.hullcheck-sizes.json';

/** Sizes by image reference or budget key; entries that are not a byte count are left out. */
export type RecordedSizes = Map<string, number>;

function bytesOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (v && typeof v === 'object') {
    const o = v as { size?: unknown; bytes?: unknown };
    return bytesOf(o.bytes ?? o.size);
  }
  return undefined;
}

/** The recorded sizes of one folder: `{ "images": { "<ref or key>": bytes | { "bytes": n } } }` or the map itself. */
export function parseRecordedSizes(text: string): RecordedSizes {
  const out: RecordedSizes = new Map();
  let json: unknown;
  try { json = JSON.parse(text); } catch { return out; }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return out;
  const root = json as Record<string, unknown>;
  const images = root.images && typeof root.images === 'object' && !Array.isArray(root.images) ? root.images as Record<string, unknown> : root;
  for (const [key, v] of Object.entries(images)) {
    const b = bytesOf(v);
    if (b !== undefined) out.set(key, b);
  }
  return out;
}

/** The per-step layer sizes recorded for each image (`images.<ref>.layers`), where a file has them. */
export function parseRecordedLayers(text: string): Map<string, LayerSizes> {
  const out = new Map<string, LayerSizes>();
  let json: unknown;
  try { json = JSON.parse(text); } catch { return out; }
  const images = json && typeof json === 'object' ? (json as { images?: unknown }).images : undefined;
  if (!images || typeof images !== 'object' || Array.isArray(images)) return out;
  for (const [key, v] of Object.entries(images as Record<string, unknown>)) {
    const layers = v && typeof v === 'object' ? parseLayerSizes((v as { layers?: unknown }).layers) : undefined;
    if (layers) out.set(key, layers);
  }
  return out;
}

/** Recorded sizes of every folder, merged (first folder wins); folders without the file add nothing. */
export async function readRecordedSizes(host: FileHost, folders: string[]): Promise<RecordedSizes> {
  return (await readRecorded(host, folders)).sizes;
}

/** Recorded sizes and per-step layer sizes of every folder, merged the same way. */
export async function readRecorded(host: FileHost, folders: string[]): Promise<{ sizes: RecordedSizes; layers: Map<string, LayerSizes> }> {
  const sizes: RecordedSizes = new Map();
  const layers = new Map<string, LayerSizes>();
  for (const folder of folders) {
    const r = await host.read(path.join(folder, SIZES_FILE), 'config');
    if (!r.ok) continue;
    for (const [k, v] of parseRecordedSizes(r.text)) if (!sizes.has(k)) sizes.set(k, v);
    for (const [k, v] of parseRecordedLayers(r.text)) if (!layers.has(k)) layers.set(k, v);
  }
  return { sizes, layers };
}

/** The key an image was recorded under: one of its tags, its reference, then its service or budget key. */
export function recordedKey(sizes: RecordedSizes, keys: readonly (string | undefined)[]): string | undefined {
  return keys.find((k): k is string => k !== undefined && sizes.has(k));
}
