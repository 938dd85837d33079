// The image analysis beside its two peers, on the images the other engine tests build: dive (per-layer sizes and
// wasted bytes) and dockle (the checks both tools have: root user, HEALTHCHECK, credentials in the environment and in
// files). Both run on the `docker save` tarball of the image Hullcheck reads from the engine; they are built from their
// Go modules at the versions pinned in test/conformance/pins.json (test/oracles.sh). Where a figure differs, the test
// states the documented reason and checks the difference itself, so a change on either side shows up.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerEngine } from '../../server/src/docker/connection';
import { saveAndAnalyze } from '../../server/src/docker/images';
import type { SaveAnalysis } from '../../server/src/docker/layers';
import { TarParser } from '../../server/src/docker/tar';
import { IN_CI, missing, oracle, run as runTool } from '../conformance/oracles';
import { BASE_IMAGE, build, cleanup, context, docker, ensureEngine, runCli, SCRATCH_HEADER } from './engine';

// the images of images.test.ts: the Debian chain (builder -> runtime -> FROM scratch squash), the busybox image that
// wastes bytes by overwriting and deleting files, and the bad and clean images of the image checks
const CHAIN = `FROM ${BASE_IMAGE} AS builder
RUN mkdir -p /out && head -c 5000000 /dev/urandom > /out/tool && echo built > /out/version
FROM ${BASE_IMAGE} AS runtime
COPY --from=builder /out /opt/app
RUN rm -rf /usr/share/doc /usr/share/man && mkdir -p /app/data
FROM scratch
COPY --from=runtime / /
USER 1000:1000
CMD ["/bin/sleep", "300"]
`;
const WASTE = `${SCRATCH_HEADER}RUN dd if=/dev/zero of=/big bs=1048576 count=8\nRUN dd if=/dev/zero of=/x bs=1048576 count=1\nRUN dd if=/dev/zero of=/x bs=1048576 count=2\nRUN rm /big\n`;
const BAD = `${SCRATCH_HEADER}ENV API_TOKEN=abcd1234efgh5678 LOG_LEVEL=info\nCOPY .env /app/.env\nCOPY deep /app/deep\nCMD ["/bin/sleep", "60"]\n`;
const CLEAN = `${SCRATCH_HEADER}LABEL org.opencontainers.image.version=1.0\nUSER 1000:1000\nHEALTHCHECK --interval=5s --timeout=1s CMD ["/bin/true"]\nCMD ["/bin/sleep", "60"]\n`;

const tags = ['hc-peer/builder:1', 'hc-peer/runtime:1', 'hc-peer/squash:1', 'hc-peer/waste:1', 'hc-peer/bad:1', 'hc-peer/clean:1'];
const dirs: string[] = [];
let work = '';
let engine: DockerEngine;

before(() => {
  ensureEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-peers-'));
  const chain = context({ Dockerfile: CHAIN }, false);
  build(chain, 'hc-peer/builder:1', ['--target', 'builder']);
  build(chain, 'hc-peer/runtime:1', ['--target', 'runtime']);
  build(chain, 'hc-peer/squash:1');
  const waste = context({ Dockerfile: WASTE });
  build(waste, 'hc-peer/waste:1');
  const bad = context({ Dockerfile: BAD, '.env': 'API_TOKEN=abcd1234efgh5678\n', 'deep/a/b/.env.production': 'X=1\n' });
  build(bad, 'hc-peer/bad:1');
  const clean = context({ Dockerfile: CLEAN });
  build(clean, 'hc-peer/clean:1');
  dirs.push(chain, waste, bad, clean);
  engine = new DockerEngine();
});
after(() => {
  engine?.dispose();
  cleanup(tags);
  for (const d of [...dirs, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** `docker save` of one image into the scratch folder (the peers read the same bytes the engine streams to Hullcheck). */
function saved(tag: string): string {
  const file = path.join(work, `${tag.replace(/[^a-z0-9]+/g, '-')}.tar`);
  if (!fs.existsSync(file)) docker(['save', '-o', file, tag]);
  return file;
}

/** Skip (outside CI) when the peer was not built, with the command that builds it. */
function absent(tool: 'dive' | 'dockle', t: { skip(m: string): void }): boolean {
  const why = missing(tool);
  if (why && !IN_CI) { t.skip(why); return true; }
  return false;
}

interface DiveExport {
  layer: { index: number; sizeBytes: number; command: string }[];
  image: { sizeBytes: number; inefficientBytes: number; fileReference: { count: number; sizeBytes: number; file: string }[] | null };
}

async function dive(tag: string): Promise<DiveExport> {
  const out = path.join(work, `${tag.replace(/[^a-z0-9]+/g, '-')}.dive.json`);
  const r = await runTool(oracle('dive').bin, ['--source', 'docker-archive', saved(tag), '--json', out]);
  assert.equal(r.code, 0, `dive failed on ${tag}: ${r.stderr}${r.stdout}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as DiveExport;
}

/** Sizes of regular files in the image's final filesystem (`docker export` of a container that never starts). */
async function finalFiles(tag: string): Promise<Map<string, number>> {
  const id = docker(['create', tag, '/bin/true']).trim();
  try {
    const files = new Map<string, number>();
    const parser = new TarParser((e) => { if (e.type === '0' || e.type === '\0' || e.type === '7') files.set(`/${e.name.replace(/^\.?\/+/, '')}`, e.size); return undefined; });
    const child = spawn('docker', ['export', id], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c: Buffer) => parser.data(c));
    await new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker export exited ${code}`)))));
    parser.end();
    return files;
  } finally {
    docker(['rm', id]);
  }
}

const within1pct = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 0.01 * Math.max(a, b), `${what}: Hullcheck ${a}, dive ${b} (more than 1 % apart)`);

/** Per-layer sizes: the bytes of each layer's files, the same count of layers in the same order. */
function sameLayers(ours: SaveAnalysis, theirs: DiveExport, tag: string): void {
  assert.equal(ours.layers.length, theirs.layer.length, `${tag}: layer count`);
  ours.layers.forEach((l, i) => within1pct(l.bytes, theirs.layer[i].sizeBytes, `${tag} layer ${i} (${theirs.layer[i].command.slice(0, 40)})`));
}

/**
 * Wasted bytes, reconciled path by path. dive 0.13 counts a path once it has appeared in two layers, and then charges
 * every copy, the one still visible included (dive#684, "double counting of potential space savings"): for such a
 * path, dive = Hullcheck's hidden copies + the visible copy. A path that appears only once is never charged by dive, even
 * when a later layer deletes its directory (`rm -rf dir` is one whiteout entry for the directory, seen once): those
 * bytes are in the image and invisible in its filesystem, which is what Hullcheck counts. So
 *   dive = Σ over dive's paths (Hullcheck's hidden bytes of the path + its size in the final filesystem)
 *   Hullcheck = Σ over dive's paths (hidden bytes) + what hides in directories deleted in one step.
 * Returns the bytes only Hullcheck counts.
 */
async function reconcile(ours: SaveAnalysis, theirs: DiveExport, tag: string): Promise<number> {
  const paths = theirs.image.fileReference ?? [];
  assert.ok(ours.topWasted.length < 20 || paths.length === 0, 'the test images waste few enough paths to list them all');
  const hiddenOf = new Map(ours.topWasted.map((w) => [w.path, w.bytes]));
  const final = paths.length ? await finalFiles(tag) : new Map<string, number>();
  let expectedDive = 0, shared = 0;
  for (const p of paths) {
    const hidden = hiddenOf.get(p.file) ?? 0;
    assert.ok(hidden > 0 || p.sizeBytes === 0, `${tag}: dive charges ${p.file} (${p.sizeBytes}), Hullcheck hides nothing there`);
    expectedDive += hidden + (final.get(p.file) ?? 0);
    shared += hidden;
  }
  within1pct(expectedDive, theirs.image.inefficientBytes, `${tag}: dive's wasted bytes as Hullcheck's hidden copies plus the visible copies`);
  return ours.wastedBytes - shared;
}

test('dive: per-layer sizes agree; wasted bytes differ only by the visible copies dive also charges (dive#684)', async (t) => {
  if (absent('dive', t)) return;
  await engine.connect();
  const waste = await saveAndAnalyze(engine, 'hc-peer/waste:1');
  const theirs = await dive('hc-peer/waste:1');
  sameLayers(waste, theirs, 'hc-peer/waste:1');
  // /big: 8 MiB written, then deleted: both count it. /x: 1 MiB overwritten by 2 MiB: Hullcheck counts the hidden
  // 1 MiB, dive both copies (3 MiB), the 2 MiB a user cannot reclaim included
  assert.deepEqual(theirs.image.fileReference?.map((f) => [f.file, f.count, f.sizeBytes]).sort(), [['/big', 2, 8 << 20], ['/x', 2, 3 << 20]]);
  assert.equal(waste.wastedBytes, 9 << 20);
  assert.equal(theirs.image.inefficientBytes, 11 << 20);
  assert.equal(await reconcile(waste, theirs, 'hc-peer/waste:1'), 0, 'every byte Hullcheck counts, dive counts too');
});

test('dive: on the Debian chain, layer sizes agree and the directories a RUN deletes are waste only Hullcheck sees', async (t) => {
  if (absent('dive', t)) return;
  await engine.connect();
  for (const tag of ['hc-peer/builder:1', 'hc-peer/squash:1']) {
    const ours = await saveAndAnalyze(engine, tag);
    const theirs = await dive(tag);
    sameLayers(ours, theirs, tag);
    assert.equal(ours.wastedBytes, 0, `${tag} hides nothing`);
    assert.equal(theirs.image.inefficientBytes, 0, `${tag}: dive agrees`);
  }
  const runtime = await saveAndAnalyze(engine, 'hc-peer/runtime:1');
  const theirs = await dive('hc-peer/runtime:1');
  sameLayers(runtime, theirs, 'hc-peer/runtime:1');
  const onlyOurs = await reconcile(runtime, theirs, 'hc-peer/runtime:1');
  // what dive misses is exactly the base image's files under the two directories `rm -rf` deleted
  const base = await finalFiles(BASE_IMAGE);
  let deleted = 0;
  for (const [p, size] of base) if (p.startsWith('/usr/share/doc/') || p.startsWith('/usr/share/man/')) deleted += size;
  assert.ok(deleted > 1e6, `the base image has documentation to delete (${deleted} bytes)`);
  assert.equal(onlyOurs, deleted, 'Hullcheck counts the deleted documentation, dive does not see it');
  assert.equal(runtime.layers.at(-1)!.wastedBelow, deleted, 'charged to the RUN that deletes it');
});

interface DockleReport { details: { code: string; level: string; alerts: string[] }[] }

async function dockle(tag: string): Promise<DockleReport> {
  const out = path.join(work, `${tag.replace(/[^a-z0-9]+/g, '-')}.dockle.json`);
  const r = await runTool(oracle('dockle').bin, ['--format', 'json', '--output', out, '--input', saved(tag)]);
  assert.equal(r.code, 0, `dockle failed on ${tag}: ${r.stderr}${r.stdout}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as DockleReport;
}

/** The verdicts of the checks both tools have, with the env keys and file paths each names. */
interface Verdicts { root: boolean; healthcheck: boolean; envKeys: string[]; files: string[] }

function dockleVerdicts(r: DockleReport): Verdicts {
  const alerts = (code: string) => r.details.filter((d) => d.code === code).flatMap((d) => d.alerts);
  const credentials = alerts('CIS-DI-0010');
  return {
    root: alerts('CIS-DI-0001').length > 0,
    healthcheck: alerts('CIS-DI-0006').length > 0,
    envKeys: credentials.map((a) => /^Suspicious ENV key found : (\S+)/.exec(a)?.[1]).filter((k): k is string => !!k).sort(),
    files: credentials.map((a) => /^Suspicious filename found : (\S+)/.exec(a)?.[1]).filter((k): k is string => !!k).map((f) => `/${f}`).sort(),
  };
}

async function hullcheckVerdicts(tag: string, cwd: string): Promise<Verdicts> {
  const r = await runCli(['image', '--format', 'json', '--fail-level', 'none', tag], cwd);
  assert.equal(r.code, 0, r.stderr);
  const findings = JSON.parse(r.stdout).findings as { rule: string; message: string }[];
  const of = (rule: string) => findings.filter((f) => f.rule === rule);
  return {
    root: of('image-non-root').length > 0,
    healthcheck: of('image-healthcheck').length > 0,
    envKeys: of('image-secret-env').map((f) => / value for ([A-Za-z_][A-Za-z0-9_]*) /.exec(f.message)?.[1] ?? f.message).sort(),
    files: of('image-secret-file').map((f) => /(\/\S+?),/.exec(f.message)?.[1] ?? f.message).sort(),
  };
}

test('dockle: root user, HEALTHCHECK and credentials in environment variables and files get the same verdicts', async (t) => {
  if (absent('dockle', t)) return;
  const [badDir, cleanDir] = [dirs[2], dirs[3]];
  const bad = { ours: await hullcheckVerdicts('hc-peer/bad:1', badDir), theirs: dockleVerdicts(await dockle('hc-peer/bad:1')) };
  assert.deepEqual(bad.theirs, { root: true, healthcheck: true, envKeys: ['API_TOKEN'], files: ['/app/.env'] });
  assert.equal(bad.ours.root, bad.theirs.root);
  assert.equal(bad.ours.healthcheck, bad.theirs.healthcheck);
  assert.deepEqual(bad.ours.envKeys, bad.theirs.envKeys);
  // dockle matches credential files by exact name (.env); Hullcheck also knows the .env.<environment> variants
  assert.deepEqual(bad.ours.files, [...bad.theirs.files, '/app/deep/a/b/.env.production'].sort());

  const clean = { ours: await hullcheckVerdicts('hc-peer/clean:1', cleanDir), theirs: dockleVerdicts(await dockle('hc-peer/clean:1')) };
  const none: Verdicts = { root: false, healthcheck: false, envKeys: [], files: [] };
  assert.deepEqual(clean.theirs, none);
  assert.deepEqual(clean.ours, none);
});
