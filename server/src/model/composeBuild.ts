// The one reading of a compose service's `build:`: its context (local folder or remote URL), its Dockerfile (a path
// or `dockerfile_inline`), target and args, interpolated the way Compose does. Rules, editor links, file watchers,
// budgets and the smoke test all ask this module, so they agree on every spelling.

import * as path from 'node:path';
import { interpolate } from './composeValues';

export interface ResolvedBuild {
  /** Absolute local context folder; undefined when the context is remote or uses a variable with no value. */
  context?: string;
  /** The context as written (interpolated) when Compose fetches it: a git repository or an HTTP(S) tarball. */
  remote?: string;
  /** Absolute Dockerfile path in a local context; undefined with `dockerfile_inline`, a remote context or unknown variables. */
  dockerfile?: string;
  /** The Dockerfile text of `dockerfile_inline`. */
  inline?: string;
  target?: string;
  /** Build arguments (mapping or `K=V` list); a name without a value takes it from the environment (undefined here). */
  args: Record<string, string | undefined>;
  /** Whether some part of the spec used a variable that has neither a value nor a default. */
  unknown: boolean;
}

/** Contexts Compose hands to the builder as URLs: git repositories (`https://…git`, `git@…`, `github.com/…`) and tarballs. */
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

export function isRemoteContext(context: string): boolean {
  return REMOTE.test(context);
}

function argsOf(raw: unknown, env: Record<string, string>, onUnknown: () => void): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const value = (v: string) => { const r = interpolate(v, env); if (r.unknown) onUnknown(); return r.value; };
  if (Array.isArray(raw)) {
    for (const e of raw) {
      if (typeof e !== 'string') continue;
      const eq = e.indexOf('=');
      if (eq < 0) out[e] = env[e];
      else out[e.slice(0, eq)] = value(e.slice(eq + 1));
    }
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = v === null || v === undefined ? env[k] : value(String(v));
  }
  return out;
}

/**
 * A service's `build:` value (string or mapping) resolved against the folder its compose file's relative paths use.
 * Undefined when the service does not build.
 */
export function resolveBuild(build: unknown, dir: string, env: Record<string, string> = {}): ResolvedBuild | undefined {
  if (build === undefined || build === null) return undefined;
  const spec = typeof build === 'string' ? { context: build } : typeof build === 'object' && !Array.isArray(build) ? (build as Record<string, unknown>) : undefined;
  if (!spec) return undefined;
  const out: ResolvedBuild = { args: {}, unknown: false };
  const known = (v: unknown, fallback: string): string | undefined => {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    const r = interpolate(String(v), env);
    if (r.unknown) { out.unknown = true; return undefined; }
    return r.value;
  };
  const ctx = known(spec.context, '.');
  if (ctx !== undefined && isRemoteContext(ctx)) out.remote = ctx;
  else if (ctx !== undefined) out.context = path.resolve(dir, ctx === '' ? '.' : ctx);
  if (typeof spec.dockerfile_inline === 'string') out.inline = spec.dockerfile_inline;
  else if (out.context !== undefined) {
    const df = known(spec.dockerfile, 'Dockerfile');
    if (df !== undefined) out.dockerfile = path.resolve(out.context, df);
  }
  if (spec.target !== undefined) out.target = known(spec.target, '');
  out.args = argsOf(spec.args, env, () => { out.unknown = true; });
  return out;
}
