// Image sizes as people write them in budgets (`600MB`, `1.2GB`) and as Hullcheck prints them. One definition
// everywhere: a "MB" is 1,048,576 bytes (a MiB) and a "GB" is 1,024 MB, because image budgets are compared
// against `docker inspect .Size / 1024 / 1024`, so `600MB` must mean what that comparison means.

const UNITS: Record<string, number> = {
  b: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4,
};

/**
 * Bytes of a size such as `600MB`, `1.2 GB`, `512MiB`, `2100` (a bare number is MB, as the budgets of the
 * seeds are written) or a number of MB from YAML. Returns undefined for anything else.
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * UNITS.mb) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i.exec(value.replace(/[,_]/g, '').trim());
  if (!m) return undefined;
  const unit = m[2].toLowerCase() || 'mb';
  const factor = UNITS[unit];
  return factor === undefined ? undefined : Math.round(parseFloat(m[1]) * factor);
}

/**
 * Bytes of a limit written with its unit (`100B`, `100k`, `512kB`, `5MB`, `1GiB`; binary units as above). A bare
 * number is refused with the reason: as a file-size limit it could mean bytes or megabytes, and a guess in either
 * direction either skips every file or reads files far too large. Returns the bytes, or the reason it is no size.
 */
export function parseByteSize(value: string): number | string {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i.exec(value.replace(/[,_]/g, '').trim());
  if (!m) return `'${value}' is not a size such as 512kB, 5MB or 1GiB`;
  if (!m[2]) return `'${value}' has no unit: write ${m[1]}B for bytes, ${m[1]}kB or ${m[1]}MB`;
  const factor = UNITS[m[2].toLowerCase()];
  if (factor === undefined) return `'${value}' has an unknown unit: use B, kB, MB or GB (KiB, MiB, GiB and k, M, G also work)`;
  const bytes = Math.round(parseFloat(m[1]) * factor);
  return bytes > 0 ? bytes : `'${value}' is no size: the limit must be at least 1B`;
}

/** A short human size in the same binary units: `1.2 GB`, `515 MB`, `3.1 kB`. */
export function formatSize(bytes: number): string {
  const abs = Math.abs(bytes);
  const sign = bytes < 0 ? '-' : '';
  if (abs < 1024) return `${sign}${abs} B`;
  const units: [string, number][] = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['kB', 1024]];
  for (const [name, factor] of units) {
    if (abs >= factor) {
      const v = abs / factor;
      return `${sign}${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${name}`;
    }
  }
  return `${sign}${abs} B`;
}

/** Size in MB (MiB) with one decimal, for tables and JSON next to a budget. */
export function toMB(bytes: number): number {
  return Math.round((bytes / UNITS.mb) * 10) / 10;
}

/** A size change with its sign (`+12.0 MB`, `−1.00 MB`, `±0 B` for none). */
export function formatChangeSize(change: number): string {
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${formatSize(Math.abs(change))}`;
}

/** `+12.0 MB since recorded`, `unchanged since recorded`: an image against its `.hullcheck-sizes.json` size. */
export function sinceRecorded(change: number): string {
  return change === 0 ? 'unchanged since recorded' : `${formatChangeSize(change)} since recorded`;
}
