// Compares what a reference tool and Hullcheck report per check and line over a set of files, tallies the agreement
// per check, matches every difference with a written explanation and renders the result as a Markdown table.
// Shared by the hadolint and BuildKit conformance tests.

import { pct } from './oracles';

/** One fired check: the comparison unit (a code, or codes one Hullcheck rule covers together), a file and a 1-based line. */
export interface Hit { unit: string; file: string; line: number }
export interface Difference extends Hit { side: 'reference only' | 'Hullcheck only' }
export interface UnitTally { unit: string; rules: string; reference: number; hullcheck: number; both: number }

/** Explanations keyed `UNIT` (every difference of the unit), `UNIT file` (one file) or `UNIT file:line`. */
export type Explanations = Record<string, string>;

const hitKey = (h: Hit) => `${h.unit}\u0000${h.file}\u0000${h.line}`;

export interface Comparison { tallies: UnitTally[]; differences: Difference[] }

/** Sets of (unit, file, line) on each side; a unit counts once per line however many findings it has there. */
export function compare(reference: Hit[], hullcheck: Hit[], units: Map<string, string>): Comparison {
  const ref = new Map(reference.map((h) => [hitKey(h), h]));
  const ours = new Map(hullcheck.map((h) => [hitKey(h), h]));
  const tallies = new Map<string, UnitTally>();
  const tally = (unit: string) => tallies.get(unit) ?? tallies.set(unit, { unit, rules: units.get(unit) ?? '', reference: 0, hullcheck: 0, both: 0 }).get(unit)!;
  for (const u of units.keys()) tally(u);
  const differences: Difference[] = [];
  for (const [k, h] of ref) {
    const t = tally(h.unit);
    t.reference++;
    if (ours.has(k)) t.both++;
    else differences.push({ ...h, side: 'reference only' });
  }
  for (const [k, h] of ours) {
    tally(h.unit).hullcheck++;
    if (!ref.has(k)) differences.push({ ...h, side: 'Hullcheck only' });
  }
  const order = (a: Hit, b: Hit) => a.unit.localeCompare(b.unit) || a.file.localeCompare(b.file) || a.line - b.line;
  return { tallies: [...tallies.values()].sort((a, b) => a.unit.localeCompare(b.unit)), differences: differences.sort(order) };
}

/**
 * Agreement of one unit: lines both report over lines either reports (1 when neither reports any). `excused` lines
 * (differences where the reference tool is documented to be wrong) leave the count.
 */
export const agreement = (t: UnitTally, excused = 0): number => {
  const union = t.reference + t.hullcheck - t.both - excused;
  return union <= 0 ? 1 : t.both / union;
};

/**
 * Per unit, how many differences are explained by a reason that documents a defect of the reference tool: Hullcheck
 * is right there and keeps its behaviour. `defectKeys` are explanation keys (see explain()).
 */
export function excusedPerUnit(c: Comparison, ex: Explanations, defectKeys: ReadonlySet<string>): Map<string, number> {
  const n = new Map<string, number>();
  for (const d of c.differences) {
    const e = explain(d, ex);
    if (e && defectKeys.has(e.key)) n.set(d.unit, (n.get(d.unit) ?? 0) + 1);
  }
  return n;
}

/** The explanation of a difference, most specific key first. */
export function explain(d: Hit, ex: Explanations): { key: string; reason: string } | undefined {
  for (const key of [`${d.unit} ${d.file}:${d.line}`, `${d.unit} ${d.file}`, d.unit]) if (ex[key]) return { key, reason: ex[key] };
  return undefined;
}

export interface Audit { unexplained: Difference[]; stale: string[] }

/** Differences nobody explained, and explanations that no longer match any difference. */
export function audit(differences: Difference[], ex: Explanations): Audit {
  const used = new Set<string>();
  const unexplained: Difference[] = [];
  for (const d of differences) {
    const e = explain(d, ex);
    if (e) used.add(e.key);
    else unexplained.push(d);
  }
  return { unexplained, stale: Object.keys(ex).filter((k) => !used.has(k)) };
}

export const formatDifference = (d: Difference) => `${d.unit} ${d.file}:${d.line} (${d.side})`;

/**
 * The per-unit table plus the explained differences, grouped by explanation so a class reads as one entry. With
 * `defectKeys`, the table adds the agreement once the reference tool's documented defects are set aside, and marks
 * those differences.
 */
export function renderSection(title: string, intro: string, c: Comparison, ex: Explanations, defectKeys?: ReadonlySet<string>): string[] {
  const excused = defectKeys ? excusedPerUnit(c, ex, defectKeys) : undefined;
  const head = excused
    ? ['| check | Hullcheck rule | reference lines | Hullcheck lines | both | agreement | reference defects | agreement without them |', '|---|---|---|---|---|---|---|---|']
    : ['| check | Hullcheck rule | reference lines | Hullcheck lines | both | agreement |', '|---|---|---|---|---|---|'];
  const lines = [`## ${title}`, '', intro, '', ...head];
  for (const t of c.tallies) {
    if (t.reference === 0 && t.hullcheck === 0) continue;
    const row = `| ${t.unit} | ${t.rules || '(none)'} | ${t.reference} | ${t.hullcheck} | ${t.both} | ${pct(agreement(t), 1)} |`;
    const n = excused?.get(t.unit) ?? 0;
    lines.push(excused ? `${row} ${n} | ${pct(agreement(t, n), 1)} |` : row);
  }
  lines.push('', `### Differences (${c.differences.length})`, '');
  if (c.differences.length === 0) lines.push('None.');
  // one entry per unit and reason, however many lines or explanation keys share them
  const groups = new Map<string, { reason: string; defect: boolean; items: Difference[] }>();
  for (const d of c.differences) {
    const e = explain(d, ex);
    const reason = e?.reason ?? '**Not explained.**';
    const k = `${d.unit}\u0000${reason}`;
    const g = groups.get(k) ?? groups.set(k, { reason, defect: false, items: [] }).get(k)!;
    g.defect ||= !!e && !!defectKeys?.has(e.key);
    g.items.push(d);
  }
  for (const g of groups.values()) {
    const where = g.items.slice(0, 6).map((d) => `\`${d.file}:${d.line}\`${d.side === 'Hullcheck only' ? ' (Hullcheck only)' : ' (reference only)'}`).join(', ');
    const more = g.items.length > 6 ? ` and ${g.items.length - 6} more` : '';
    lines.push(`- **${g.items[0].unit}** ×${g.items.length}${g.defect ? ' *(reference defect)*' : ''}: ${g.reason} ${where}${more}`);
  }
  lines.push('');
  return lines;
}
