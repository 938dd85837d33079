// Docker Compose itself as the reference for Hullcheck's effective compose project: each corpus compose file is put
// back at its original path (with its repository's other corpus files, as manifest.json records them), `docker
// compose config --format json` (the pinned Compose, every profile enabled) renders it, and Hullcheck's model of the
// same file is compared field by field: services, image, ports, volumes, depends_on with conditions, healthcheck
// test, build context/dockerfile/target, profiles. Files Compose rejects are listed, not compared.
// Writes server/docs/compose-parity.md (UPDATE_FIXTURES=1 refreshes it).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadComposeModel, type ModelService } from '../../server/src/model/composeProject';
import { nodeHost } from '../../server/src/core/fileHost';
import { CORPUS, REPO } from '../helpers';
import { IN_CI, cachedOutputs, checkGenerated, missing, oracle, run, sha256 } from './oracles';

const DOC = path.join(REPO, 'server', 'docs', 'compose-parity.md');
const EXPLAINED = path.join(__dirname, 'compose-explained.json');
const FIELDS = ['service', 'image', 'build', 'ports', 'volumes', 'depends_on', 'healthcheck', 'profiles'] as const;
type Field = (typeof FIELDS)[number];

interface Entry { file: string; kind: string; repo: string; path: string }
interface Rendered { ok: boolean; error?: string; services?: Record<string, Record<string, unknown>> }
interface Difference { file: string; service: string; field: Field; compose: string; hullcheck: string }

/** Each repository's corpus files at their original paths under `root`; returns the compose files placed. */
function rebuild(root: string): { rel: string; abs: string; key: string }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as Entry[];
  const byRepo = new Map<string, Entry[]>();
  for (const e of manifest) byRepo.set(e.repo, [...(byRepo.get(e.repo) ?? []), e]);
  const out: { rel: string; abs: string; key: string }[] = [];
  for (const [repo, entries] of byRepo) {
    const dir = path.join(root, repo.replace('/', '__'));
    const texts: string[] = [];
    for (const e of entries) {
      const target = path.join(dir, e.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const text = fs.readFileSync(path.join(CORPUS, e.file), 'utf8');
      fs.writeFileSync(target, text);
      texts.push(`${e.path}\0${sha256(text)}`);
    }
    // a file's rendering depends on its repository's tree (includes, extends, env files, build contexts)
    const tree = sha256(texts.sort().join('\n'));
    // (the key also names the output's shape, so a change of shape never reads an older entry)
    for (const e of entries) if (e.kind === 'compose') out.push({ rel: e.file.replace(/^compose\//, ''), abs: path.join(dir, e.path), key: sha256(`rebased-v1\0${os.homedir()}\0${tree}\0${e.path}`) });
  }
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

/** Where Compose's paths are rebased before they are cached and compared. */
const FIXED_ROOT = '/corpus';
/** Compose expands `~` with the home folder of whoever runs it, as Hullcheck's model does. */
const HOME = os.homedir();

async function render(files: { abs: string; key: string }[], root: string): Promise<Rendered[]> {
  const { bin } = oracle('compose');
  return cachedOutputs('compose', files, (f) => f.key, (batch) => Promise.all(batch.map(async (f) => {
    const r = await run(bin, ['-f', f.abs, '--profile', '*', 'config', '--format', 'json'], { cwd: path.dirname(f.abs), env: { HOME } });
    // the message names the temporary tree: keep it independent of where the tree was written
    if (r.code !== 0) return { ok: false, error: (r.stderr.trim().split('\n').pop() ?? '').split(path.dirname(f.abs)).join('.').split(root).join('<corpus>').slice(0, 200) };
    // paths in the output name the temporary tree; cached under a fixed root instead, so entries are stable
    const json = JSON.parse(r.stdout.split(root).join(FIXED_ROOT)) as { services?: Record<string, Record<string, unknown>> };
    return { ok: true, services: json.services ?? {} };
  })), 8);
}

// ---- one canonical string per field, from Compose's JSON and from Hullcheck's model ----

const sorted = (xs: string[]) => [...xs].sort().join(', ');
const healthTest = (t: unknown): string => (typeof t === 'string' ? `CMD-SHELL ${t}` : Array.isArray(t) ? t.map(String).join(' ') : '');
/** A path inside the repository relative to it; anything else (outside it, a URL, a Windows path) as it is. */
const relTo = (root: string, p: string | undefined): string => {
  if (!p) return '';
  if (!path.isAbsolute(p)) return p;
  const r = path.relative(root, p);
  return r.startsWith('..') ? p : r || '.';
};

function fromCompose(s: Record<string, unknown>, root: string): Record<Exclude<Field, 'service'>, string> {
  const rel = (p: unknown) => relTo(root, typeof p === 'string' ? p : undefined);
  const b = s.build as Record<string, unknown> | undefined;
  const ports = ((s.ports as Record<string, unknown>[] | undefined) ?? []).map((p) => `${p.host_ip ?? ''}|${p.published ?? ''}|${p.target}|${p.protocol ?? 'tcp'}`);
  const vols = ((s.volumes as Record<string, unknown>[] | undefined) ?? []).map((v) => `${v.type}|${v.type === 'bind' ? rel(v.source) : v.source ?? ''}|${v.target}|${v.read_only ? 'ro' : 'rw'}`);
  const deps = Object.entries((s.depends_on as Record<string, { condition?: string; required?: boolean }> | undefined) ?? {}).map(([k, v]) => `${k}:${v.condition}:${v.required !== false}`);
  const hc = s.healthcheck as Record<string, unknown> | undefined;
  return {
    image: typeof s.image === 'string' ? s.image : '',
    build: b ? `${rel(b.context)}|${b.dockerfile_inline !== undefined ? '(inline)' : (b.dockerfile as string | undefined) ?? 'Dockerfile'}|${b.target ?? ''}` : '',
    ports: sorted(ports), volumes: sorted(vols), depends_on: sorted(deps),
    // Compose prints the test re-escaped (`$$` for a literal `$`); the model holds the value the container runs
    healthcheck: hc ? (hc.disable ? 'disabled' : healthTest(hc.test).replace(/\$\$/g, '$')) : '',
    profiles: sorted((s.profiles as string[] | undefined) ?? []),
  };
}

function fromModel(s: ModelService, root: string): Record<Exclude<Field, 'service'>, string> {
  const rel = (p: string | undefined) => relTo(root, p);
  const b = s.build;
  const ports = s.ports.flatMap((p) => {
    const [lo, hi] = p.host ?? [undefined, undefined];
    const [tlo, thi] = (p.target ?? '').split('-').map(Number);
    if (lo !== undefined && hi !== undefined && hi > lo) return Array.from({ length: hi - lo + 1 }, (_, i) => `${p.hostIp ?? ''}|${lo + i}|${thi ? tlo + i : tlo}|${p.protocol}`);
    return [`${p.hostIp ?? ''}|${lo ?? ''}|${p.target}|${p.protocol}`];
  });
  const vols = s.volumes.map((v) => `${v.type}|${v.type === 'bind' ? rel(v.source) : v.source ?? ''}|${v.target}|${v.readOnly ? 'ro' : 'rw'}`);
  const deps = Object.entries(s.dependsOn).map(([k, v]) => `${k}:${v.condition}:${v.required}`);
  const hc = s.healthcheck;
  return {
    image: s.image ?? '',
    build: b ? `${b.remote ?? rel(b.context)}|${b.inline !== undefined ? '(inline)' : b.dockerfile && b.context ? path.relative(b.context, b.dockerfile) : 'Dockerfile'}|${b.target ?? ''}` : '',
    ports: sorted(ports), volumes: sorted(vols), depends_on: sorted(deps),
    healthcheck: hc ? (hc.disable === true ? 'disabled' : healthTest(hc.test)) : '',
    profiles: sorted(s.profiles),
  };
}

describe('Docker Compose as the reference for the compose model', () => {
  const absent = missing('compose');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-compose-ref-'));
  const explained = JSON.parse(fs.readFileSync(EXPLAINED, 'utf8')) as { reasons: Record<string, string>; differences: Record<string, string> };
  const differences: Difference[] = [];
  const rejected: { file: string; error: string }[] = [];
  const compared = new Map<Field, { total: number; same: number }>(FIELDS.map((f) => [f, { total: 0, same: 0 }]));
  let projects = 0;

  before(async () => {
    if (absent) return;
    const files = rebuild(root);
    const rendered = await render(files, root);
    for (let i = 0; i < files.length; i++) {
      const { rel, abs } = files[i];
      const r = rendered[i];
      if (!r.ok) { rejected.push({ file: rel, error: r.error ?? '' }); continue; }
      projects++;
      const model = await loadComposeModel(nodeHost, [abs], { profiles: ['*'] });
      const repoRoot = path.join(root, rel.split('/')[0]);
      const ours = new Map(model.services.map((s) => [s.name, s]));
      const theirs = r.services ?? {};
      const tally = (field: Field, service: string, compose: string, hullcheck: string) => {
        const t = compared.get(field)!;
        t.total++;
        if (compose === hullcheck) t.same++;
        else differences.push({ file: rel, service, field, compose, hullcheck });
      };
      for (const name of new Set([...Object.keys(theirs), ...ours.keys()])) {
        const c = theirs[name], h = ours.get(name);
        tally('service', name, c ? 'present' : 'absent', h ? 'present' : 'absent');
        if (!c || !h) continue;
        const a = fromCompose(c, path.join(FIXED_ROOT, rel.split('/')[0])), b = fromModel(h, repoRoot);
        for (const f of FIELDS) if (f !== 'service') tally(f, name, a[f], b[f]);
      }
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const key = (d: Difference) => `${d.file} ${d.service} ${d.field}`;
  const reason = (d: Difference) => {
    const v = explained.differences[key(d)] ?? explained.differences[`${d.file} * ${d.field}`];
    return v === undefined ? undefined : explained.reasons[v] ?? v;
  };

  it('has the pinned Compose built', (t) => {
    if (absent && !IN_CI) { t.skip(absent); return; }
    assert.equal(absent, undefined);
    assert.ok(projects > 100, `only ${projects} corpus compose files were rendered by Compose`);
  });

  it('explains every difference from Compose, and no explanation is stale', (t) => {
    if (absent) { t.skip(absent); return; }
    assert.deepEqual(differences.filter((d) => !reason(d)).map((d) => `${key(d)}: compose ${JSON.stringify(d.compose)} / hullcheck ${JSON.stringify(d.hullcheck)}`), [],
      `new differences: fix the model or explain each in ${path.relative(REPO, EXPLAINED)}`);
    const used = new Set(differences.flatMap((d) => [key(d), `${d.file} * ${d.field}`]));
    assert.deepEqual(Object.keys(explained.differences).filter((k) => !used.has(k)), [], 'explanations that match no difference any more');
  });

  it('keeps the generated difference table up to date', (t) => {
    if (absent) { t.skip(absent); return; }
    const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)} %` : '–');
    const lines = [
      '# Compose model parity',
      '',
      '<!-- Generated by test/conformance/compose.test.ts (UPDATE_FIXTURES=1 to refresh). Do not edit by hand. -->',
      '',
      `Docker Compose ${oracle('compose').version} (\`docker compose config --format json\`, every profile enabled) and Hullcheck's effective`,
      `compose project, on each corpus compose file put back at its original path. Compose renders ${projects} of them;`,
      'each service is compared field by field. Every difference carries its explanation',
      '(test/conformance/compose-explained.json); the test fails on a new one.',
      '',
      '| field | compared | same | agreement |', '|---|---|---|---|',
      ...FIELDS.map((f) => { const c = compared.get(f)!; return `| ${f} | ${c.total} | ${c.same} | ${pct(c.same, c.total)} |`; }),
      '', `## Differences (${differences.length})`, '',
      ...(differences.length ? differences.map((d) => `- \`${d.file}\` ${d.service} **${d.field}**: Compose \`${d.compose || '(none)'}\`, Hullcheck \`${d.hullcheck || '(none)'}\` — ${reason(d) ?? '**Not explained.**'}`) : ['None.']),
      '', `## Files Compose does not render (${rejected.length})`, '',
      ...rejected.map((r) => `- \`${r.file}\`: ${r.error.replace(/`/g, "'")}`),
      '',
    ];
    assert.equal(checkGenerated(DOC, lines.join('\n')), undefined);
  });
});
