// Parity with BuildKit's own Dockerfile checks (the ones `docker build --check` reports), run by the Go program in
// test/conformance/buildkit-lint at the pinned BuildKit version, over every corpus Dockerfile plus the directive
// fixtures in test/fixtures/buildkit. Per check, the same lines must fire in Hullcheck with every BuildKit-mapped rule
// on; `# check=skip=` (file and instruction), `# check=experimental=` and `# check=error=true` are honoured by both.
// Writes server/docs/buildkit-parity.md (UPDATE_FIXTURES=1 refreshes it).

import { describe, it, before } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules';
import { lintFile } from '../../server/src/engine/lintFile';
import { nodeHost } from '../../server/src/core/fileHost';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { corpusDockerfiles, walk } from '../bench/corpus';
import { CORPUS, FIXTURES, REPO } from '../helpers';
import { IN_CI, cachedOutputs, checkGenerated, missing, oracle, pct, run, sha256 } from './oracles';
import { agreement, audit, compare, formatDifference, renderSection, type Comparison, type Hit } from './parity';

const DOC = path.join(REPO, 'server', 'docs', 'buildkit-parity.md');
const EXPLAINED = path.join(__dirname, 'buildkit-explained.json');
const DIRECTIVES = path.join(FIXTURES, 'buildkit');

interface Warning { rule: string; line: number; endLine: number; message: string }
interface Output { warnings: Warning[]; error?: string }

/** BuildKit check name -> the Hullcheck rules that implement it. */
function units(): { rulesOf: Map<string, string>; unitOfRule: Map<string, string> } {
  const rulesOf = new Map<string, string>(), unitOfRule = new Map<string, string>();
  for (const r of RULES) {
    for (const name of r.meta.buildkit ?? []) {
      unitOfRule.set(r.meta.id, name);
      rulesOf.set(name, [rulesOf.get(name), `\`${r.meta.id}\``].filter(Boolean).join(', '));
    }
  }
  return { rulesOf, unitOfRule };
}

/** BuildKit mode: every rule that implements a BuildKit check on, except the experimental one, which the file's
 * `# check=experimental=` directive turns on as it does in BuildKit. */
function buildkitModeConfig(): string {
  const rules = RULES.filter((r) => r.meta.buildkit?.length && r.meta.id !== 'invalid-definition-description').map((r) => `  ${r.meta.id}: warning`);
  return `rules:\n${rules.join('\n')}\n`;
}

async function runBuildkit(files: { file: string; text: string }[]): Promise<Output[]> {
  const { bin } = oracle('buildkit');
  return cachedOutputs('buildkit', files, (f) => sha256(f.text), async (batch) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-buildkit-'));
    try {
      const paths = batch.map((f, i) => { const p = path.join(dir, `${i}.Dockerfile`); fs.writeFileSync(p, f.text); return p; });
      const r = await run(bin, [], { input: paths.join('\n') + '\n' });
      if (r.code !== 0) throw new Error(`buildkit-lint exited ${r.code}: ${r.stderr.slice(0, 500)}`);
      const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Output & { file: string });
      return paths.map((p) => {
        const o = lines.find((x) => x.file === p);
        if (!o) throw new Error(`buildkit-lint gave no result for ${p}`);
        return { warnings: o.warnings, ...(o.error ? { error: o.error } : {}) };
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 500);
}

describe(`BuildKit's checks on the corpus`, () => {
  const absent = missing('buildkit');
  const { rulesOf, unitOfRule } = units();
  // `reasons` holds each reason once under a short id; `differences` keys a difference (see parity.ts) to one
  const raw = JSON.parse(fs.readFileSync(EXPLAINED, 'utf8')) as { reasons: Record<string, string>; differences: Record<string, string> };
  const explained = Object.fromEntries(Object.entries(raw.differences).map(([k, v]) => [k, raw.reasons[v] ?? v]));
  let result: Comparison, fileCount = 0, fixtureCount = 0;
  /** Files where `# check=error=true` makes BuildKit fail, and whether Hullcheck made each of those findings an error. */
  const errorFiles: { file: string; buildkitFails: boolean; hullcheckErrors: boolean }[] = [];

  before(async () => {
    if (absent) return;
    const corpus = corpusDockerfiles();
    const fixtures = walk(DIRECTIVES, (n) => n.endsWith('Dockerfile')).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
    fileCount = corpus.length; fixtureCount = fixtures.length;
    const files = [...corpus, ...fixtures];
    const reference = await runBuildkit(files);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-buildkit-mode-'));
    const config = path.join(dir, '.hullcheck.yaml');
    fs.writeFileSync(config, buildkitModeConfig());
    const ref: Hit[] = [], ours: Hit[] = [];
    try {
      for (let i = 0; i < files.length; i++) {
        const { file, text } = files[i];
        const rel = file.startsWith(DIRECTIVES) ? `fixtures/${path.relative(DIRECTIVES, file)}` : path.relative(path.join(CORPUS, 'dockerfiles'), file);
        for (const w of reference[i].warnings) ref.push({ unit: w.rule, file: rel, line: w.line });
        const parsed = parseDockerfile(text);
        const r = await lintFile(file, text, { host: nodeHost, language: 'dockerfile', parsed, explicitConfig: config });
        const mine = r.findings.filter((f) => unitOfRule.has(f.rule));
        for (const f of mine) ours.push({ unit: unitOfRule.get(f.rule)!, file: rel, line: f.range.start.line + 1 });
        if (parsed.directives.get('check') && /error\s*=\s*(true|1|t)\b/i.test(parsed.directives.get('check')!.value)) {
          errorFiles.push({ file: rel, buildkitFails: /lint violation/.test(reference[i].error ?? ''), hullcheckErrors: mine.length > 0 && mine.every((f) => f.severity === 'error') });
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    result = compare(ref, ours, rulesOf);
    if (process.env.PARITY_DUMP) fs.writeFileSync(process.env.PARITY_DUMP, JSON.stringify(result.differences, null, 1));
  });

  it('has the BuildKit checks program built', (t) => {
    if (absent && !IN_CI) { t.skip(absent); return; }
    assert.equal(absent, undefined);
    assert.equal(fileCount, 483, 'the whole corpus is compared');
    assert.ok(fixtureCount >= 5, 'the directive fixtures are compared');
  });

  it('explains every difference, and no explanation is stale', (t) => {
    if (absent) { t.skip(absent); return; }
    const a = audit(result.differences, explained);
    assert.deepEqual(a.unexplained.map(formatDifference), [], `new differences: fix the rule or explain each in ${path.relative(REPO, EXPLAINED)}`);
    assert.deepEqual(a.stale, [], `explanations that match no difference any more: remove them from ${path.relative(REPO, EXPLAINED)}`);
  });

  it('agrees exactly on the directive fixtures (skip, experimental, error, and where each check is reported)', (t) => {
    if (absent) { t.skip(absent); return; }
    assert.deepEqual(result.differences.filter((d) => d.file.startsWith('fixtures/')).map(formatDifference), []);
  });

  it('makes every BuildKit finding an error where `# check=error=true` fails the build', (t) => {
    if (absent) { t.skip(absent); return; }
    assert.ok(errorFiles.length > 0, 'a fixture sets check=error=true');
    for (const e of errorFiles) assert.equal(e.hullcheckErrors, e.buildkitFails, e.file);
  });

  it('keeps the generated agreement table up to date', (t) => {
    if (absent) { t.skip(absent); return; }
    const doc = [
      '# BuildKit parity',
      '',
      '<!-- Generated by test/conformance/buildkit.test.ts (UPDATE_FIXTURES=1 to refresh). Do not edit by hand. -->',
      '',
      `BuildKit's Dockerfile checks (github.com/moby/buildkit ${oracle('buildkit').version.replace(/-.*/, '')}, the checks of`,
      '`docker build --check`, run without a daemon by test/conformance/buildkit-lint) and Hullcheck, with every rule',
      `that implements a BuildKit check on, run on the ${fileCount} corpus Dockerfiles and ${fixtureCount} directive fixtures`,
      '(test/fixtures/buildkit). A check agrees on a line when both report it there. Base images are not pulled: BuildKit',
      'sees each as a linux/amd64 image whose config sets only PATH, so checks that read the real base image config',
      '(UndefinedVar, InvalidBaseImagePlatform) can differ for that reason alone; each such difference is listed.',
      'Every difference carries its explanation (test/conformance/buildkit-explained.json); the test fails on a new one.',
      '',
      ...renderSection('Agreement per check', 'Lines are 1-based, as BuildKit reports them.', result, explained),
    ].join('\n');
    console.log(result.tallies.filter((x) => x.reference + x.hullcheck > 0).map((x) => `${x.unit} ${pct(agreement(x), 1)}`).join(', '));
    assert.equal(checkGenerated(DOC, doc), undefined);
  });
});

// The second BuildKit oracle: a real `docker build --check` (the pinned buildx plugin and the BuildKit inside the
// modern engine) on the directive fixtures, compared with the daemonless program above. No registry is reachable, so
// the fixtures build on the engine's local Debian base (`# syntax=` lines, which would pull a frontend, become the
// equivalent `# escape=\\` directive: lines and directives stay where they were).
describe('`docker build --check` on the directive fixtures', () => {
  const BASE = 'local/debian:bookworm-minbase';
  /** The engine under test when it has BuildKit's checks (Engine 27 and later, API 1.46), else a modern one. */
  function engineHost(): string | undefined {
    const hostOf = (engine?: string) => spawnSync('bash', [path.join(REPO, 'test/docker/dockerd.sh'), '--host'],
      { encoding: 'utf8', env: { ...process.env, ...(engine ? { HULLCHECK_TEST_ENGINE: engine } : {}) } }).stdout.trim();
    return [process.env.DOCKER_HOST || hostOf(), hostOf('containerd'), hostOf('classic')].find((host) => {
      const env = { ...process.env, DOCKER_HOST: host };
      const v = spawnSync('docker', ['version', '--format', '{{.Server.APIVersion}}'], { encoding: 'utf8', env });
      const [major, minor] = v.stdout.trim().split('.').map(Number);
      return v.status === 0 && (major > 1 || minor >= 46) && spawnSync('docker', ['image', 'inspect', BASE], { env }).status === 0;
    });
  }

  it('reports what the daemonless checks report, except the instruction-level skips the engine\'s older BuildKit ignores', async (t) => {
    const host = engineHost();
    const absent = missing('buildx') ?? missing('buildkit') ?? (host ? undefined : `no engine with BuildKit's checks (Engine 27+) and ${BASE} answers; start one with HULLCHECK_TEST_ENGINE=containerd bash test/docker/dockerd.sh`);
    if (absent) { if (IN_CI) assert.fail(absent); t.skip(absent); return; }
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-buildx-'));
    fs.mkdirSync(path.join(config, 'cli-plugins'));
    fs.symlinkSync(oracle('buildx').bin, path.join(config, 'cli-plugins', 'docker-buildx'));
    const fixtures = walk(DIRECTIVES, (n) => n.endsWith('Dockerfile')).sort();
    try {
      const texts = fixtures.map((f) => fs.readFileSync(f, 'utf8').replace(/^# syntax=.*$/m, '# escape=\\').replace(/\balpine:3\.20\b/g, BASE));
      const daemonless = await runBuildkit(texts.map((text, i) => ({ file: fixtures[i], text })));
      const extra: { file: number; line: number; rule: string }[] = [], missed: string[] = [];
      texts.forEach((text, i) => {
        const ctx = fs.mkdtempSync(path.join(config, 'ctx-'));
        fs.writeFileSync(path.join(ctx, 'Dockerfile'), text);
        const r = spawnSync('docker', ['build', '--call=check,format=json', ctx], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: host!, DOCKER_CONFIG: config } });
        const out = JSON.parse(r.stdout) as { warnings: { ruleName: string; location: { ranges: { start: { line: number } }[] } }[] | null };
        const engine = (out.warnings ?? []).map((w) => ({ file: i, line: w.location.ranges[0].start.line, rule: w.ruleName }));
        const reference = daemonless[i].warnings;
        extra.push(...engine.filter((e) => !reference.some((w) => w.line === e.line && w.rule === e.rule)));
        missed.push(...reference.filter((w) => !engine.some((e) => w.line === e.line && w.rule === e.rule)).map((w) => `${path.basename(fixtures[i])}:${w.line} ${w.rule}`));
      });
      // every extra warning is one that a `# check=skip=` comment right above its instruction silences in the newer
      // BuildKit (instruction-level skips); the engine's BuildKit honours only the file-level directive
      const explained = extra.filter(({ file, line, rule }) => {
        const above = texts[file].split('\n').slice(0, line - 1).reverse();
        const end = above.findIndex((l) => !l.trim().startsWith('#') && l.trim() !== '');
        const comments = end < 0 ? above : above.slice(0, end);
        return comments.some((l) => /^#\s*check=skip=/.test(l.trim()) && l.includes(rule));
      });
      assert.ok(extra.length > 0, 'the instruction-level skip fixtures show the older BuildKit');
      assert.deepEqual(extra.filter((e) => !explained.includes(e)).map((e) => `${path.basename(fixtures[e.file])}:${e.line} ${e.rule}`), []);
      assert.deepEqual(missed, [], 'the engine\'s BuildKit reports everything the daemonless checks report');
    } finally {
      fs.rmSync(config, { recursive: true, force: true });
    }
  });
});
