// Docker Compose itself as the reference for Hullcheck's effective compose project: each corpus compose file is put
// back at its original path (with its repository's other corpus files, as manifest.json records them), `docker
// compose config --format json` (the pinned Compose, every profile enabled) renders it, and Hullcheck's model of the
// same file is compared field by field: services, image, ports, volumes, depends_on with conditions, healthcheck
// test, build context/dockerfile/target, profiles. The projects of compose-projects.json are compared the same way:
// several `-f` files, `--env-file`, `--profile`, and COMPOSE_FILE / COMPOSE_PROFILES from a `.env` (there Compose and
// Hullcheck each find the files themselves). Files Compose rejects alone are listed, with the project that renders
// them when there is one; a file Compose renders (alone, or in its declared project) gets none of the errors Compose
// would refuse it for. Writes server/docs/compose-parity.md (UPDATE_FIXTURES=1 refreshes it).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultComposeFiles, loadComposeModel, projectEnv, type ComposeModel, type ModelService } from '../../server/src/model/composeProject';
import { nodeHost } from '../../server/src/core/fileHost';
import { lintFile } from '../../server/src/engine/lintFile';
import { CORPUS, REPO } from '../helpers';
import { IN_CI, cachedOutputs, checkGenerated, missing, oracle, run, sha256 } from './oracles';

const DOC = path.join(REPO, 'server', 'docs', 'compose-parity.md');
const EXPLAINED = path.join(__dirname, 'compose-explained.json');
const FIELDS = ['service', 'image', 'build', 'ports', 'volumes', 'depends_on', 'healthcheck', 'profiles'] as const;
type Field = (typeof FIELDS)[number];

const PROJECTS = path.join(__dirname, 'compose-projects.json');
/** Rules whose errors Compose shares: it refuses to render such a file, so on a file it renders each would be false. */
const REFUSED = ['compose-schema', 'compose-undeclared-volume', 'compose-env-file-missing'];

interface Entry { file: string; kind: string; repo: string; path: string }
interface Rendered { ok: boolean; error?: string; services?: Record<string, Record<string, unknown>> }
interface Difference { file: string; service: string; field: Field; compose: string; hullcheck: string }

/** A project of compose-projects.json (see its `about`). */
interface Declared {
  id: string; repo: string; dir?: string; files?: string[]; profiles?: string[];
  dotenv?: string; envFile?: string; extra?: Record<string, string>; source?: string;
}
/** One rendering to compare: a corpus file alone (every profile), or a declared project in its own copy of the tree. */
interface Job {
  /** The name differences are listed under: the corpus file, or the project's id. */
  name: string;
  /** The folder Compose runs in (the project folder), the root its output's paths are rebased from, and the repository's copy. */
  cwd: string; root: string; repoRoot: string;
  /** `-f` files (absolute), absent when Compose and Hullcheck find them; profiles (`*` for a file alone). */
  files?: string[]; profiles?: string[]; envFile?: string;
  key: string;
  /** A project of compose-projects.json (not a corpus file alone). */
  declared: boolean;
  /** The corpus file (its name in the tables) of each compose file of the repository's copy. */
  corpusNames: Map<string, string>;
}

const MANIFEST = (): Entry[] => JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as Entry[];
const repoDir = (repo: string) => repo.replace('/', '__');

/** A repository's corpus files at their original paths under `root`; returns the hash of that tree. */
function writeRepo(root: string, entries: Entry[]): string {
  const dir = path.join(root, repoDir(entries[0].repo));
  const texts: string[] = [];
  for (const e of entries) {
    const target = path.join(dir, e.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const text = fs.readFileSync(path.join(CORPUS, e.file), 'utf8');
    fs.writeFileSync(target, text);
    texts.push(`${e.path}\0${sha256(text)}`);
  }
  return sha256(texts.sort().join('\n'));
}

const tableName = (e: Entry) => e.file.replace(/^compose\//, '');
const corpusNames = (dir: string, entries: Entry[]) => new Map(entries.filter((e) => e.kind === 'compose').map((e) => [path.join(dir, e.path), tableName(e)]));

/** Every corpus compose file alone, in its repository's tree, and every declared project in a copy of its own. */
function rebuild(root: string): Job[] {
  const byRepo = new Map<string, Entry[]>();
  for (const e of MANIFEST()) byRepo.set(e.repo, [...(byRepo.get(e.repo) ?? []), e]);
  const jobs: Job[] = [];
  const trees = new Map<string, string>();
  for (const [repo, entries] of byRepo) {
    // a file's rendering depends on its repository's tree (includes, extends, env files, build contexts)
    const tree = writeRepo(root, entries);
    trees.set(repo, tree);
    const dir = path.join(root, repoDir(repo));
    // (the key also names the output's shape, so a change of shape never reads an older entry)
    for (const e of entries) {
      if (e.kind !== 'compose') continue;
      const abs = path.join(dir, e.path);
      jobs.push({ name: tableName(e), cwd: path.dirname(abs), root, repoRoot: dir, files: [abs], profiles: ['*'], key: sha256(`rebased-v1\0${os.homedir()}\0${tree}\0${e.path}`), declared: false, corpusNames: corpusNames(dir, entries) });
    }
  }
  jobs.sort((a, b) => a.name.localeCompare(b.name));
  const declared = JSON.parse(fs.readFileSync(PROJECTS, 'utf8')) as { projects: Declared[]; envFiles: Record<string, string> };
  declared.projects.forEach((p, n) => {
    const entries = byRepo.get(p.repo);
    assert.ok(entries, `compose-projects.json: ${p.id} names ${p.repo}, which the corpus does not hold`);
    const projRoot = path.join(root, 'projects', String(n));
    writeRepo(projRoot, entries);
    const repoRoot = path.join(projRoot, repoDir(p.repo));
    const cwd = path.join(repoRoot, p.dir ?? '.');
    for (const [f, text] of Object.entries(p.extra ?? {})) { fs.mkdirSync(path.dirname(path.join(cwd, f)), { recursive: true }); fs.writeFileSync(path.join(cwd, f), text); }
    if (p.dotenv !== undefined) fs.writeFileSync(path.join(cwd, '.env'), p.dotenv);
    // declared to Hullcheck as a user would: a composeProjects set in .hullcheck.yaml (Compose ignores the file)
    if (p.files) fs.writeFileSync(path.join(cwd, '.hullcheck.yaml'), `composeProjects:\n  - [${p.files.map((f) => JSON.stringify(f)).join(', ')}]\n`);
    let envFile: string | undefined;
    if (p.envFile !== undefined) {
      envFile = path.join(projRoot, `${p.envFile}.env`);
      fs.writeFileSync(envFile, declared.envFiles[p.envFile] ?? assert.fail(`compose-projects.json: no envFiles.${p.envFile}`));
    }
    const files = p.files?.map((f) => path.join(cwd, f));
    const spec = JSON.stringify({ ...p, id: undefined, source: undefined, env: p.envFile ? declared.envFiles[p.envFile] : undefined });
    jobs.push({ name: p.id, cwd, root: projRoot, repoRoot, files, profiles: p.profiles, envFile, key: sha256(`project-v1\0${os.homedir()}\0${trees.get(p.repo)}\0${spec}`), declared: true, corpusNames: corpusNames(repoRoot, entries) });
  });
  return jobs;
}

/** Where Compose's paths are rebased before they are cached and compared. */
const FIXED_ROOT = '/corpus';
/** Compose expands `~` with the home folder of whoever runs it, as Hullcheck's model does. */
const HOME = os.homedir();

async function render(jobs: Job[]): Promise<Rendered[]> {
  const { bin } = oracle('compose');
  return cachedOutputs('compose', jobs, (j) => j.key, (batch) => Promise.all(batch.map(async (j) => {
    const args = [
      ...(j.envFile ? ['--env-file', j.envFile] : []), ...(j.files ?? []).flatMap((f) => ['-f', f]),
      ...(j.profiles ?? []).flatMap((p) => ['--profile', p]), 'config', '--format', 'json',
    ];
    const r = await run(bin, args, { cwd: j.cwd, env: { HOME } });
    // the message names the temporary tree: keep it independent of where the tree was written
    if (r.code !== 0) return { ok: false, error: (r.stderr.trim().split('\n').pop() ?? '').split(j.cwd).join('.').split(j.root).join('<corpus>').slice(0, 200) };
    // paths in the output name the temporary tree; cached under a fixed root instead, so entries are stable
    const json = JSON.parse(r.stdout.split(j.root).join(FIXED_ROOT)) as { services?: Record<string, Record<string, unknown>> };
    return { ok: true, services: json.services ?? {} };
  })), 8);
}

/** Hullcheck's model of a job, found and read as Compose does it. */
async function modelOf(j: Job): Promise<ComposeModel> {
  const envFiles = j.envFile ? [j.envFile] : undefined;
  const files = j.files ?? await defaultComposeFiles(nodeHost, j.cwd, await projectEnv(nodeHost, j.cwd, envFiles));
  return loadComposeModel(nodeHost, files, { profiles: j.profiles, envFiles, projectDirectory: j.files ? undefined : j.cwd });
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
  const explained = JSON.parse(fs.readFileSync(EXPLAINED, 'utf8')) as { reasons: Record<string, string>; differences: Record<string, string>; rejected: Record<string, string> };
  const differences: Difference[] = [];
  const rejected: { file: string; error: string }[] = [];
  const declaredFailed: string[] = [];
  /** Errors on files Compose renders of the kinds Compose itself refuses: each would be a false error. */
  const refusedErrors: string[] = [];
  /** Corpus files a declared project renders, with the projects' names. */
  const renderedIn = new Map<string, string[]>();
  const compared = new Map<Field, { total: number; same: number }>(FIELDS.map((f) => [f, { total: 0, same: 0 }]));
  let projects = 0, declared = 0;

  before(async () => {
    if (absent) return;
    const jobs = rebuild(root);
    const rendered = await render(jobs);
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      const rel = job.name;
      const r = rendered[i];
      if (!r.ok) { if (job.declared) declaredFailed.push(`${rel}: ${r.error}`); else rejected.push({ file: rel, error: r.error ?? '' }); continue; }
      const model = await modelOf(job);
      // every file of the project, linted as a user would with the project declared
      for (const file of job.declared ? model.files : job.files!) {
        const r = await lintFile(file, fs.readFileSync(file, 'utf8'), { host: nodeHost, language: 'compose', enableAll: true });
        const where = job.declared ? `${rel}: ${path.relative(job.repoRoot, file)}` : rel;
        for (const f of r.findings) if (REFUSED.includes(f.rule) && f.severity === 'error') refusedErrors.push(`${where}:${f.range.start.line + 1} ${f.message}`);
      }
      if (!job.declared) projects++;
      else {
        declared++;
        for (const f of model.files) { const c = job.corpusNames.get(f); if (c) renderedIn.set(c, [...(renderedIn.get(c) ?? []), rel]); }
      }
      const repoRoot = job.repoRoot;
      // the services the chosen profiles start are the ones Compose renders
      const ours = new Map(model.services.filter((s) => s.active).map((s) => [s.name, s]));
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
        const a = fromCompose(c, path.join(FIXED_ROOT, path.basename(repoRoot))), b = fromModel(h, repoRoot);
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

  it('reports no error Compose would refuse the file for (schema, undeclared volume, missing env file) where Compose renders it', (t) => {
    if (absent) { t.skip(absent); return; }
    assert.deepEqual(refusedErrors, []);
  });

  it('renders every declared project (several -f files, --env-file, --profile, COMPOSE_FILE and COMPOSE_PROFILES in .env)', (t) => {
    if (absent) { t.skip(absent); return; }
    assert.deepEqual(declaredFailed, [], `fix ${path.relative(REPO, PROJECTS)}: Compose rejects these projects`);
    assert.ok(declared > 0);
  });

  it('explains every difference from Compose, and no explanation is stale', (t) => {
    if (absent) { t.skip(absent); return; }
    assert.deepEqual(differences.filter((d) => !reason(d)).map((d) => `${key(d)}: compose ${JSON.stringify(d.compose)} / hullcheck ${JSON.stringify(d.hullcheck)}`), [],
      `new differences: fix the model or explain each in ${path.relative(REPO, EXPLAINED)}`);
    const used = new Set(differences.flatMap((d) => [key(d), `${d.file} * ${d.field}`]));
    assert.deepEqual(Object.keys(explained.differences).filter((k) => !used.has(k)), [], 'explanations that match no difference any more');
  });

  /** Why Compose rejects a corpus file alone: an entry for the file, or for a `prefix*` of names. */
  const rejectedKey = (file: string) => Object.keys(explained.rejected).find((k) => (k.endsWith('*') ? file.startsWith(k.slice(0, -1)) : k === file));
  const whyRejected = (file: string) => { const k = rejectedKey(file); return k === undefined ? undefined : explained.reasons[explained.rejected[k]] ?? explained.rejected[k]; };

  it('explains every file Compose rejects alone that no declared project renders', (t) => {
    if (absent) { t.skip(absent); return; }
    assert.deepEqual(rejected.filter((r) => !renderedIn.has(r.file) && !whyRejected(r.file)).map((r) => `${r.file}: ${r.error}`), [],
      `declare the project in ${path.relative(REPO, PROJECTS)} or explain why in ${path.relative(REPO, EXPLAINED)} (rejected)`);
    const used = new Set(rejected.filter((r) => !renderedIn.has(r.file)).map((r) => rejectedKey(r.file)));
    assert.deepEqual(Object.keys(explained.rejected).filter((k) => !used.has(k)), [], 'rejection explanations that match no rejected file any more');
  });

  it('keeps the generated difference table up to date', (t) => {
    if (absent) { t.skip(absent); return; }
    const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)} %` : '–');
    const lines = [
      '# Compose model parity',
      '',
      '<!-- Generated by test/conformance/compose.test.ts (UPDATE_FIXTURES=1 to refresh). Do not edit by hand. -->',
      '',
      `Docker Compose ${oracle('compose').version} (\`docker compose config --format json\`, a file alone with every profile enabled) and Hullcheck's effective`,
      `compose project, on each corpus compose file put back at its original path. Compose renders ${projects} of them alone;`,
      `the ${declared} projects of test/conformance/compose-projects.json add several \`-f\` files, \`--env-file\`, \`--profile\`, and`,
      'COMPOSE_FILE / COMPOSE_PROFILES from a `.env`. Each service is compared field by field. Every difference carries',
      'its explanation (test/conformance/compose-explained.json); the test fails on a new one.',
      '',
      '| field | compared | same | agreement |', '|---|---|---|---|',
      ...FIELDS.map((f) => { const c = compared.get(f)!; return `| ${f} | ${c.total} | ${c.same} | ${pct(c.same, c.total)} |`; }),
      '', `## Differences (${differences.length})`, '',
      ...(differences.length ? differences.map((d) => `- \`${d.file}\` ${d.service} **${d.field}**: Compose \`${d.compose || '(none)'}\`, Hullcheck \`${d.hullcheck || '(none)'}\` — ${reason(d) ?? '**Not explained.**'}`) : ['None.']),
      '', `## Files Compose does not render alone (${rejected.length})`, '',
      `${rejected.filter((r) => renderedIn.has(r.file)).length} of them are parts of a declared project, which Compose renders and which is compared above; each other one says why Compose rejects it.`, '',
      ...rejected.map((r) => `- \`${r.file}\`: ${r.error.replace(/`/g, "'")} — ${renderedIn.has(r.file) ? `rendered in ${renderedIn.get(r.file)!.map((p) => `*${p}*`).join(', ')}` : whyRejected(r.file) ?? '**Not explained.**'}`),
      '',
    ];
    assert.equal(checkGenerated(DOC, lines.join('\n')), undefined);
  });
});
