// Recorded image sizes (`.hullcheck-sizes.json` in a workspace folder, written by `hullcheck budgets --record`):
// read only when present, bounded like any config file, and type-checked entry by entry so a damaged file
// gives no growth figures rather than wrong ones.

import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';

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

/** Recorded sizes of every folder, merged (first folder wins); folders without the file add nothing. */
export async function readRecordedSizes(host: FileHost, folders: string[]): Promise<RecordedSizes> {
  const merged: RecordedSizes = new Map();
  for (const folder of folders) {
    const r = await host.read(path.join(folder, SIZES_FILE), 'config');
    if (!r.ok) continue;
    for (const [k, v] of parseRecordedSizes(r.text)) if (!merged.has(k)) merged.set(k, v);
  }
  return merged;
}
