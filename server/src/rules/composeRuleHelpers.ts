// Helpers shared by the compose rules: service keys and their ranges (merge keys followed), health checks in
// compose or in the service's Dockerfile, well-known database and cache images with their native probes.

import * as path from 'node:path';
import type { Node, Pair } from 'yaml';
import type { Range } from '../core/findings';
import type { RuleContext } from './context';
import { nodeIn, pairIn, type ComposeService, type ParsedCompose } from '../parse/compose';
import type { ParsedDockerfile } from '../parse/dockerfile';
import { modelOf } from '../model/dockerfile/model';
import { definedEarlier } from '../facts/composeFileSets';
import { dependsOn, imageName, interpolate, parseMount } from '../model/composeValues';
import { devPathReason } from '../model/dockerfile/imagePurpose';
import { canRunTogether, mergedProfiles } from '../model/composeProfiles';
import { DEFAULT_FILES, DEFAULT_OVERRIDES } from '../model/composeProject';

export type ComposeCtx = RuleContext<ParsedCompose>;

export function pairOf(svc: ComposeService, key: string): Pair | undefined {
  return svc.node ? pairIn(svc.doc, svc.node, key) : undefined;
}

export function nodeOf(svc: ComposeService, key: string): Node | undefined {
  return svc.node ? nodeIn(svc.doc, svc.node, key) : undefined;
}

/** The range of a service key (`ports:`), or of the service name when the key is absent. */
export function keyRange(ctx: ComposeCtx, svc: ComposeService, key: string): Range {
  const p = pairOf(svc, key);
  return p ? ctx.parsed.range(p.key as Node) : svc.keyRange;
}

/** The range of a service key's value, or of the key/service when there is no value node. */
export function valueRange(ctx: ComposeCtx, svc: ComposeService, key: string): Range {
  const n = nodeOf(svc, key);
  return n ? ctx.parsed.range(n) : keyRange(ctx, svc, key);
}

/** The image of a service with variables given their defaults. */
export function imageOf(svc: ComposeService): string | undefined {
  return typeof svc.value.image === 'string' ? interpolate(svc.value.image).value : undefined;
}

/** Whether a compose `healthcheck:` value enables a check (not `disable: true` or `test: [NONE]`). */
export function composeHealthcheck(v: unknown): 'on' | 'off' | 'none' {
  if (!v || typeof v !== 'object') return 'none';
  const h = v as Record<string, unknown>;
  if (h.disable === true || h.disable === 'true') return 'off';
  const test = h.test;
  if (Array.isArray(test) && String(test[0]).toUpperCase() === 'NONE') return 'off';
  if (test === undefined) return 'none'; // options only: the image's HEALTHCHECK decides
  return 'on';
}

/** The HEALTHCHECK the image built from a Dockerfile (for a target stage) ends up with: 'on', 'off' (NONE) or 'none'. */
export function dockerfileHealthcheck(parsed: ParsedDockerfile | undefined, target?: string): 'on' | 'off' | 'none' {
  const hc = parsed ? modelOf(parsed).finalImage(target)?.healthcheck : undefined;
  if (!hc) return 'none';
  return /^\s*NONE\s*$/i.test(hc.argsText) ? 'off' : 'on';
}

/** Where a service's health check comes from, looking at every file of its projects and its Dockerfile. */
export function healthOf(ctx: ComposeCtx, name: string): 'compose' | 'dockerfile' | 'off' | 'none' {
  const own = ctx.parsed.service(name);
  const values = [own?.value.healthcheck];
  for (const p of ctx.facts.compose?.projects ?? []) for (const f of p.files) values.push(f.parsed.service(name)?.value.healthcheck);
  // the effective service: a base it extends, or an included file, may hold the check
  values.push(ctx.facts.compose?.model?.services.find((s) => s.name === name)?.healthcheck);
  const states = values.map(composeHealthcheck);
  if (states.includes('off')) return 'off';
  if (states.includes('on')) return 'compose';
  const build = ctx.facts.compose?.builds.get(name);
  const df = dockerfileHealthcheck(build?.parsed, build?.target);
  if (df === 'on') return 'dockerfile';
  if (df === 'off') return 'off';
  return definedAround(ctx, name) ? 'none' : healthInUsers(ctx, name);
}

/** Whether this file, its project or its effective project defines the service. */
function definedAround(ctx: ComposeCtx, name: string): boolean {
  const facts = ctx.facts.compose;
  return !!ctx.parsed.service(name) || (facts?.projects ?? []).some((p) => p.files.some((f) => f.parsed.service(name)))
    || !!facts?.model?.services.some((s) => s.name === name);
}

/**
 * A service this file names but only the files using it define (a base that `extends:` reaches depends on a
 * database its users declare): checked when every user's definition has a compose health check.
 */
function healthInUsers(ctx: ComposeCtx, name: string): 'compose' | 'off' | 'none' {
  const defs = (ctx.facts.compose?.users ?? []).flatMap((m) => m.services.filter((s) => s.name === name));
  if (defs.length === 0) return 'none';
  const states = defs.map((s) => composeHealthcheck(s.healthcheck));
  if (states.every((st) => st === 'on')) return 'compose';
  return states.includes('off') ? 'off' : 'none';
}

/** Whether the service only adjusts one that an earlier file of its project defines (the base reports on it). */
export function isOverlay(ctx: ComposeCtx, svc: ComposeService): boolean {
  if (definedEarlier(ctx.facts.compose?.projects, svc.name)) return true;
  // a service with no image, build or extends cannot run as written (Compose refuses it): another file completes it,
  // even when the other services of its file are whole (`overrides/compose.backup-cron.yaml` adds labels to `scheduler`)
  const v = svc.value;
  return v.image === undefined && v.build === undefined && v.extends === undefined;
}

/** Whether the file is only a building block: other files extend its services, and it is no project file itself. */
function isFragment(ctx: ComposeCtx): boolean {
  const base = path.basename(ctx.file);
  return (ctx.facts.compose?.users.length ?? 0) > 0 && (ctx.facts.compose?.projects.length ?? 0) === 0
    && !DEFAULT_FILES.includes(base) && !DEFAULT_OVERRIDES.includes(base);
}

/**
 * The definitions a rule about a missing setting judges for a service: the effective service (what its base adds
 * through `extends:` counts), or, in a fragment that other files extend, each service extending it (the fragment
 * is reported only when one of them still lacks the setting, and once, here, where adding it fixes them all).
 */
export function judgedValues(ctx: ComposeCtx, svc: ComposeService): Record<string, unknown>[] {
  const facts = ctx.facts.compose;
  const self = path.resolve(ctx.file);
  if (isFragment(ctx)) {
    const extenders = (facts?.users ?? []).flatMap((m) => m.services).filter((s) => s.bases.some((b) => b.file === self && b.service === svc.name));
    if (extenders.length) return extenders.map((s) => s.value);
  }
  const own = facts?.model?.services.find((s) => s.name === svc.name && s.files.includes(self));
  return [own?.value ?? svc.value];
}

export interface KnownImage { kind: string; probe: string[]; startPeriod: string }

/** Databases and caches with a native readiness probe. */
const KNOWN: [RegExp, KnownImage][] = [
  [/^(postgres|postgis|timescaledb|paradedb|pgvector|supabase-postgres)$/, { kind: 'PostgreSQL', probe: ['CMD-SHELL', 'pg_isready -U $${POSTGRES_USER:-postgres}'], startPeriod: '30s' }],
  [/^(mysql|percona|percona-server)$/, { kind: 'MySQL', probe: ['CMD', 'mysqladmin', 'ping', '-h', 'localhost'], startPeriod: '30s' }],
  [/^mariadb$/, { kind: 'MariaDB', probe: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'], startPeriod: '30s' }],
  [/^(redis|redis-stack|redis-stack-server|valkey|keydb)$/, { kind: 'Redis', probe: ['CMD', 'redis-cli', 'ping'], startPeriod: '10s' }],
  [/^(mongo|mongodb|mongodb-community-server)$/, { kind: 'MongoDB', probe: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"], startPeriod: '30s' }],
  [/^memcached$/, { kind: 'Memcached', probe: ['CMD-SHELL', 'echo stats | nc localhost 11211'], startPeriod: '10s' }],
  [/^(rabbitmq)$/, { kind: 'RabbitMQ', probe: ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'], startPeriod: '30s' }],
  [/^(elasticsearch|opensearch)$/, { kind: 'Elasticsearch', probe: ['CMD-SHELL', 'curl -fs http://localhost:9200/_cluster/health || exit 1'], startPeriod: '60s' }],
  [/^(cassandra)$/, { kind: 'Cassandra', probe: ['CMD-SHELL', 'cqlsh -e "describe keyspaces"'], startPeriod: '60s' }],
];

/** The database or cache a service runs, judged by its image name (`postgres:16-alpine` -> PostgreSQL). */
export function knownImage(svc: ComposeService): KnownImage | undefined {
  const img = imageOf(svc);
  if (!img) return undefined;
  const name = imageName(img).replace(/^(bitnami-|library-)/, '');
  return KNOWN.find(([re]) => re.test(name))?.[1];
}

/** Render a list in YAML flow style with single quotes where needed. */
export function flowList(items: string[]): string {
  return `[${items.map((s) => (/^[A-Za-z0-9_.\-/]+$/.test(s) ? s : `'${s.replace(/'/g, "''")}'`)).join(', ')}]`;
}

/**
 * Every service name that some service of this file (or its project) depends on and can be up together with; with
 * `anyProfiles`, also across profiles that are only enabled together (`--profile web --profile postgres`).
 */
export function dependedOn(ctx: ComposeCtx, anyProfiles = false): Set<string> {
  const files = [{ parsed: ctx.parsed }, ...(ctx.facts.compose?.projects ?? []).flatMap((p) => p.files)];
  const profiles = new Map<string, string[]>();
  const profilesOfService = (name: string) => {
    let p = profiles.get(name);
    if (!p) { p = mergedProfiles(files, name); profiles.set(name, p); }
    return p;
  };
  const out = new Set<string>();
  for (const f of files) {
    for (const s of f.parsed.services) {
      // a dependency in profiles the dependent never shares is not started with it
      for (const dep of dependsOn(s.value.depends_on).keys()) if (anyProfiles || canRunTogether(profilesOfService(s.name), profilesOfService(dep))) out.add(dep);
    }
  }
  // dependents written elsewhere: in a file this one includes, extends from, or is included by
  for (const m of [ctx.facts.compose?.model, ...(ctx.facts.compose?.users ?? [])]) {
    for (const s of m?.services ?? []) {
      for (const dep of Object.keys(s.dependsOn)) {
        const target = m!.services.find((x) => x.name === dep);
        if (anyProfiles || canRunTogether(s.profiles, target?.profiles ?? [])) out.add(dep);
      }
    }
  }
  return out;
}

/** Words of a folder name (within the repository, its own name included) that mark example, demo and development stacks. */
const EXAMPLE_WORDS = new Set(['example', 'examples', 'sample', 'samples', 'demo', 'demos', 'quickstart', 'quickstarts',
  'contrib', 'sandbox', 'playground', 'tutorial', 'tutorials', 'workshop', 'starter', 'boilerplate']);
/** Folder words of development stacks, below the root only (a repository named `local-ai` is not a local stack). */
const DEV_WORDS = new Set(['dev', 'development', 'devenv', 'local']);
/** The same words closing a compound name (`bakerydemo`, `flaskexample`). */
const EXAMPLE_SUFFIX = /(?:example|sample|demo|quickstart|tutorial|starter|boilerplate)s?$/;

/**
 * The folder, from the compose file's up to the repository root (whose own name counts: `keycloak-quickstarts`), whose
 * name marks an example, quickstart, demo, contributed or development stack; without a known root, the nearest three.
 */
function exampleFolder(file: string, root: string | undefined): string | undefined {
  const dir = path.dirname(path.resolve(file));
  const rel = root ? path.relative(root, dir) : '';
  const inside = root && !rel.startsWith('..') && !path.isAbsolute(rel);
  const below = inside ? rel.split(path.sep).filter(Boolean).reverse() : dir.split(path.sep).filter(Boolean).reverse().slice(0, 3);
  const words = (n: string) => n.toLowerCase().split(/[^a-z0-9]+/);
  const example = (n: string) => words(n).some((w) => EXAMPLE_WORDS.has(w) || (w.length > 8 && EXAMPLE_SUFFIX.test(w)));
  return below.find((n) => example(n) || words(n).some((w) => DEV_WORDS.has(w))) ?? (inside && example(path.basename(root!)) ? path.basename(root!) : undefined);
}

/**
 * Why a compose file describes a local development, test or example stack, or undefined: its folder or name
 * (`.devcontainer/`, `tests/`, `examples/`, `docker-compose.dev.yml`, `compose.override.yaml`), a folder up to the
 * repository root named as an example, quickstart, demo, contributed or development stack (`contrib/`,
 * `keycloak-quickstarts`, `dev/containers/`), a service built from a development or test Dockerfile
 * (`Dockerfile.dev`), or a service that builds the project and bind-mounts its source folder (`- .:/app`), which only
 * makes sense on a checkout.
 */
export function localStackReason(file: string, parsed: ParsedCompose, root?: string): string | undefined {
  const dev = devPathReason(file);
  if (dev) return dev;
  const name = file.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  if (/(^|[.\-_])override([.\-_]|$)/.test(name)) return 'it is a compose override file';
  const folder = exampleFolder(file, root);
  if (folder) return `it sits in \`${folder}\``;
  for (const svc of parsed.services) {
    // a service built from a development or test Dockerfile (`Dockerfile.dev`, `dockerfiles/Dockerfile.dev-self-contained`)
    const build = svc.value.build;
    const dockerfile = build && typeof build === 'object' ? (build as { dockerfile?: unknown }).dockerfile : undefined;
    const devFile = typeof dockerfile === 'string' ? devPathReason(dockerfile) : undefined;
    if (devFile) return `service \`${svc.name}\` builds \`${dockerfile}\`, ${devFile.replace(/^its /, 'whose ').replace(/^it /, 'which ')}`;
  }
  for (const svc of parsed.services) {
    if (svc.value.build === undefined || !Array.isArray(svc.value.volumes)) continue;
    for (const v of svc.value.volumes) {
      const m = parseMount(v);
      if (m?.type === 'bind' && m.source && /^\.\.?\/?$/.test(m.source)) return `service \`${svc.name}\` builds the project and mounts its source folder`;
    }
  }
  return undefined;
}
