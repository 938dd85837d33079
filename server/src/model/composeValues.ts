// Reading Compose values the way Compose does: `${VAR:-default}` interpolation without an environment,
// port specs (short and long syntax, ranges), volume mounts, depends_on in both syntaxes and image references.

/** Whether a string uses interpolation (`$$` is an escaped dollar, not a variable). */
export function hasInterpolation(s: string): boolean {
  return /(^|[^$])(\$\$)*\$(\{|[A-Za-z_])/.test(s);
}

/**
 * Substitute variables with what an empty environment gives: `${X:-d}`/`${X-d}` take their default, `${X:+a}`
 * is empty, plain `${X}`/`$X` are unknown. `unknown` tells whether any unknown variable took part.
 */
export function interpolate(s: string, env: Record<string, string> = {}): { value: string; unknown: boolean } {
  let unknown = false;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '$') { out += c; continue; }
    const next = s[i + 1];
    if (next === '$') { out += '$'; i++; continue; }
    if (next === '{') {
      const close = matchingBrace(s, i + 1);
      if (close < 0) { out += s.slice(i); break; }
      const body = s.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
      i = close;
      if (!m) { unknown = true; continue; }
      const [, name, op, arg] = m;
      const set = env[name];
      if (op === ':-' || op === '-') {
        if (set !== undefined && (op === '-' || set !== '')) out += set;
        else { const inner = interpolate(arg ?? '', env); out += inner.value; unknown ||= inner.unknown; }
      } else if (op === ':+' || op === '+') {
        if (set !== undefined && (op === '+' || set !== '')) { const inner = interpolate(arg ?? '', env); out += inner.value; unknown ||= inner.unknown; }
      } else if (set !== undefined) out += set;
      else unknown = true;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
    if (!m) { out += c; continue; }
    if (env[m[0]] !== undefined) out += env[m[0]]; else unknown = true;
    i += m[0].length;
  }
  return { value: out, unknown };
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

export interface PortSpec {
  hostIp?: string;
  /** First and last published host port; undefined when nothing is published or the port is unknown. */
  host?: [number, number];
  target?: string;
  protocol: string;
}

/** A `ports:` entry (string/number short syntax or long-syntax mapping), interpolated with `env` and defaults. */
export function parsePort(entry: unknown, env: Record<string, string> = {}): PortSpec | undefined {
  if (typeof entry === 'number') return { target: String(entry), protocol: 'tcp' };
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const e = entry as Record<string, unknown>;
    const proto = typeof e.protocol === 'string' ? e.protocol.toLowerCase() : 'tcp';
    const pub = e.published === undefined || e.published === null ? undefined : portRange(interpolate(String(e.published), env).value);
    return { hostIp: typeof e.host_ip === 'string' ? e.host_ip : undefined, host: pub ?? undefined, target: e.target === undefined ? undefined : String(e.target), protocol: proto };
  }
  if (typeof entry !== 'string') return undefined;
  const { value, unknown } = interpolate(entry, env);
  let rest = value.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) { protocol = rest.slice(slash + 1).toLowerCase(); rest = rest.slice(0, slash); }
  let hostIp: string | undefined;
  // [host_ip:]host:container; an IPv6 host ip is written in brackets
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  if (v6) { hostIp = v6[1]; rest = v6[2]; }
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) { hostIp = parts.shift(); }
  if (parts.length === 1) return { hostIp, target: parts[0], protocol };
  if (parts.length !== 2) return undefined;
  const [h, target] = parts;
  // an unknown variable in the host part means the published port is not known statically
  if (unknown && (h === '' || /\$/.test(entry.split(':')[0] ?? ''))) return { hostIp, target, protocol };
  return { hostIp, host: h === '' ? undefined : portRange(h), target, protocol };
}

function portRange(s: string): [number, number] | undefined {
  const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(s);
  if (!m) return undefined;
  const a = Number(m[1]), b = m[2] ? Number(m[2]) : a;
  return a > 0 && b >= a ? [a, b] : undefined;
}

export interface MountSpec {
  type: 'volume' | 'bind' | 'tmpfs' | 'other';
  /** Named volume name, bind path, or undefined for anonymous volumes. */
  source?: string;
  target?: string;
  readOnly: boolean;
}

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** A `volumes:` entry of a service (short or long syntax), interpolated with defaults. */
export function parseMount(entry: unknown): MountSpec | undefined {
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const e = entry as Record<string, unknown>;
    const type = e.type === 'volume' || e.type === 'bind' || e.type === 'tmpfs' ? e.type : 'other';
    const source = typeof e.source === 'string' ? interpolate(e.source).value || undefined : undefined;
    const target = typeof e.target === 'string' ? interpolate(e.target).value : undefined;
    return { type, source, target, readOnly: e.read_only === true };
  }
  if (typeof entry !== 'string') return undefined;
  const { value, unknown } = interpolate(entry);
  let src: string | undefined, target: string, mode = '';
  let rest = value;
  let drive = '';
  if (WINDOWS_DRIVE.test(rest)) { drive = rest.slice(0, 2); rest = rest.slice(2); }
  const parts = rest.split(':');
  if (parts.length === 1) target = drive + parts[0];
  else { src = drive + parts[0]; target = parts[1]; mode = parts.slice(2).join(':'); }
  const readOnly = /(^|,)ro(,|$)/.test(mode);
  if (src === undefined || src === '') return { type: 'volume', target, readOnly };
  const isPath = /^[./~]/.test(src) || src.includes('/') || drive !== '' || src.startsWith('\\');
  // `${VAR}` with no default could be a path or a name; treat it as neither
  if (unknown && src === '') return { type: 'other', target, readOnly };
  return { type: isPath ? 'bind' : 'volume', source: src, target, readOnly };
}

/** depends_on as `{ service: condition }` (short syntax means service_started). */
export function dependsOn(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(value)) for (const v of value) { if (typeof v === 'string') out.set(v, 'service_started'); }
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const cond = v && typeof v === 'object' ? (v as Record<string, unknown>).condition : undefined;
      out.set(k, typeof cond === 'string' ? cond : 'service_started');
    }
  }
  return out;
}

/** The name part of an image reference (`postgres` from `docker.io/library/postgres:16`), lower-cased. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const noTag = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return noTag.slice(noTag.lastIndexOf('/') + 1).toLowerCase();
}

/** Environment entries as [name, value|undefined] (list `K=V` / `K` entries or a mapping). */
export function envEntries(value: unknown): [string, string | undefined][] {
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === 'string').map((v) => {
      const eq = v.indexOf('=');
      return eq < 0 ? [v, undefined] : [v.slice(0, eq), v.slice(eq + 1)];
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]);
  }
  return [];
}
