// Growth per layer: an image's layer bytes by build step, recorded beside its size in .hullcheck-sizes.json and
// compared with an earlier image's. A step is named by its history entry (the instruction as the engine recorded
// it, content hashes of classic-builder COPY/ADD left out), so the same instruction matches across rebuilds
// whatever its line; the base image's layers count as one step when the Dockerfile tells which they are.

import { classifyCreatedBy, shortCreatedBy, type AttributedEntry } from '../model/imageHistory';

/** The step key of the base image's layers. */
export const BASE_STEP = 'base image';

/** Bytes per step. */
export type LayerSizes = Map<string, number>;

/** The step a history entry belongs to. */
export function stepKey(e: Pick<AttributedEntry, 'createdBy' | 'base'>): string {
  if (e.base) return BASE_STEP;
  const { keyword, args } = classifyCreatedBy(e.createdBy);
  const text = `${keyword} ${args}`.replace(/\b(file|dir|multi):[0-9a-f]{12,}/g, '$1').replace(/\s+/g, ' ').trim();
  return text || '(imported layer)';
}

/** Bytes per step of an image's history (entries that added nothing are left out). */
export function layerSizes(layers: readonly AttributedEntry[]): LayerSizes {
  const out: LayerSizes = new Map();
  for (const e of layers) if (e.size > 0) out.set(stepKey(e), (out.get(stepKey(e)) ?? 0) + e.size);
  return out;
}

export interface LayerGrowthRow {
  step: string;
  /** One line for people: the instruction (`RUN apt-get install …`) or `base image debian:bookworm`. */
  label: string;
  /** 0-based line of the Dockerfile instruction in the current image's file, when known. */
  line?: number;
  before: number | null;
  now: number | null;
  change: number;
}

/**
 * The steps whose bytes changed between `before` and the image's current layers, most growth first; steps that
 * appear or vanish count from or to zero. Unchanged steps are left out.
 */
export function compareLayers(now: readonly AttributedEntry[], before: LayerSizes): LayerGrowthRow[] {
  const current = layerSizes(now);
  const first = new Map<string, AttributedEntry>();
  for (const e of now) if (!first.has(stepKey(e))) first.set(stepKey(e), e);
  const rows: LayerGrowthRow[] = [];
  for (const step of new Set([...current.keys(), ...before.keys()])) {
    const a = before.get(step) ?? null, b = current.get(step) ?? null;
    const change = (b ?? 0) - (a ?? 0);
    if (change === 0) continue;
    const e = first.get(step);
    const base = e?.instr?.argsText.trim().split(/\s+/)[0];
    const label = step === BASE_STEP ? `base image${base ? ` ${base}` : ''}` : e ? shortCreatedBy(e.createdBy) : step.length > 72 ? `${step.slice(0, 71)}…` : step;
    rows.push({ step, label, ...(e?.instr ? { line: e.instr.range.start.line } : {}), before: a, now: b, change });
  }
  return rows.sort((x, y) => y.change - x.change);
}

/** Layer sizes from a recorded entry's `layers` object; entries that are not byte counts are left out. */
export function parseLayerSizes(v: unknown): LayerSizes | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: LayerSizes = new Map();
  for (const [k, n] of Object.entries(v as Record<string, unknown>)) if (typeof n === 'number' && Number.isFinite(n) && n >= 0) out.set(k, n);
  return out;
}
