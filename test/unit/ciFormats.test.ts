// The CI output formats of `hullcheck lint`: SARIF against the 2.1.0 schema (with fingerprints and rule help),
// GitLab Code Quality against its documented shape, GitHub annotations by the workflow-command grammar.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { main } from '../../server/src/cli';
import { toGithub } from '../../server/src/cli/formats/github';
import type { FileFinding } from '../../server/src/cli/format';
import { RULES_BY_ID } from '../../server/src/engine/linter';

const BAD = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y git\n';

async function run(args: string[], stdin = '', cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const old = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => stdin);
    return { code, stdout, stderr };
  } finally { process.chdir(old); }
}

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-ci-'));
  fs.mkdirSync(path.join(dir, 'svc'));
  fs.writeFileSync(path.join(dir, 'svc', 'Dockerfile'), BAD);
  fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:latest\n  api:\n    image: nginx:latest\n');
  return dir;
}

/** Parse one workflow command line the way the runner does: `::name k=v,k=v::data`, then unescape. */
function parseCommand(line: string): { name: string; props: Record<string, string>; data: string } {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const unData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unProp = (s: string) => unData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = kv.indexOf('=');
    assert.ok(eq > 0, `property without a value: ${kv}`);
    props[kv.slice(0, eq)] = unProp(kv.slice(eq + 1));
  }
  assert.ok(!/[\r\n]/.test(m[3]), 'data must not break the line');
  return { name: m[1], props, data: unData(m[3]) };
}

type SarifResult = { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] };
type SarifLog = { runs: { results: SarifResult[]; tool: { driver: { rules: { id: string; helpUri: string; help: { text: string; markdown: string } }[] } } }[] };

const CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object', required: ['path', 'lines'],
        properties: {
          path: { type: 'string', pattern: '^[^/\\\\]' },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
};

describe('--format sarif', () => {
  it('validates against SARIF 2.1.0 and carries stable fingerprints and rule help', async () => {
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(schema);
    const dir = project();
    const r = await run(['lint', '--no-shellcheck', '--format', 'sarif', '.'], '', dir);
    const log = JSON.parse(r.stdout) as SarifLog;
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const results = log.runs[0].results;
    assert.ok(results.length >= 3);
    const fps = results.map((x) => x.partialFingerprints['hullcheck/v1']);
    assert.ok(fps.every((x) => /^[0-9a-f]{32}$/.test(x)));
    assert.equal(new Set(fps).size, fps.length, 'every result has its own fingerprint');
    const documented = log.runs[0].tool.driver.rules.filter((rule) => RULES_BY_ID.has(rule.id));
    assert.ok(documented.some((rule) => rule.id === 'apt-no-install-recommends'));
    for (const rule of documented) {
      assert.match(rule.helpUri, new RegExp(`/${rule.id}\\.md$`));
      assert.ok(rule.help.text.length > 20 && rule.help.markdown.startsWith(`# ${rule.id}`));
      assert.ok(!rule.help.markdown.includes('<!--'), 'no generator note');
    }
    // a line inserted above moves the findings but keeps their fingerprints
    fs.writeFileSync(path.join(dir, 'svc', 'Dockerfile'), BAD.replace('\n', '\n\n# packages\n'));
    const again = JSON.parse((await run(['lint', '--no-shellcheck', '--format', 'sarif', '.'], '', dir)).stdout) as SarifLog;
    const lines = (x: SarifResult) => x.locations[0].physicalLocation.region.startLine;
    assert.deepEqual(again.runs[0].results.map((x) => x.partialFingerprints['hullcheck/v1']).sort(), [...fps].sort());
    assert.notDeepEqual(again.runs[0].results.map(lines), log.runs[0].results.map(lines), 'the lines did move');
  });
  it('names files relative to the working folder, as the other CI formats do, even when linted by absolute path', async () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, '.hullcheck.yaml'), 'rules: [1]\n');
    const r = await run(['lint', '--no-shellcheck', '--format', 'sarif', dir], '', dir);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = new Set(log.runs[0].results.map((x) => `${x.ruleId} ${x.locations[0].physicalLocation.artifactLocation.uri}`));
    assert.ok(uris.has('apt-no-install-recommends svc/Dockerfile'), [...uris].join('; '));
    assert.ok(uris.has('config-error .hullcheck.yaml'), [...uris].join('; '));
  });
});

describe('--format gitlab', () => {
  it('writes a Code Quality report of the documented shape, with unique fingerprints and relative paths', async () => {
    const dir = project();
    const r = await run(['lint', '--no-shellcheck', '--format', 'gitlab', dir], '', dir);
    const report = JSON.parse(r.stdout) as { check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
    const validate = new Ajv({ strict: true, allErrors: true }).compile(CODE_QUALITY_SCHEMA);
    assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(new Set(report.map((x) => x.fingerprint)).size, report.length);
    const apt = report.filter((x) => x.check_name === 'apt-no-install-recommends');
    assert.deepEqual(apt.map((x) => [x.location.path, x.location.lines.begin]), [['svc/Dockerfile', 2], ['svc/Dockerfile', 3]]);
    assert.ok(apt.every((x) => x.severity === 'major'), 'warnings are major');
    assert.equal(r.code, 1);
  });

  it('writes an empty array when nothing is found', async () => {
    const r = await run(['lint', '--format', 'gitlab', '--stdin'], 'FROM scratch\nCOPY --chown=1000:1000 app /app\nUSER 1000\n');
    const report = JSON.parse(r.stdout);
    assert.ok(Array.isArray(report));
  });
});

describe('--format github', () => {
  it('prints one workflow command per finding, with positions and the rule as title', async () => {
    const dir = project();
    const r = await run(['lint', '--no-shellcheck', '--format', 'github', '.'], '', dir);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.ok(lines.length >= 3);
    const cmds = lines.map(parseCommand);
    assert.ok(cmds.every((c) => ['error', 'warning', 'notice'].includes(c.name)));
    const apt = cmds.filter((c) => c.props.title === 'Hullcheck apt-no-install-recommends');
    assert.deepEqual(apt.map((c) => [c.name, c.props.file, c.props.line]), [['warning', 'svc/Dockerfile', '2'], ['warning', 'svc/Dockerfile', '3']]);
    assert.ok(Number(apt[0].props.col) > 1 && Number(apt[0].props.endColumn) > Number(apt[0].props.col));
    assert.match(apt[0].data, /\[apt-no-install-recommends\]$/);
  });

  it('escapes % CR LF in messages and also : , in properties, so every value reads back exactly', () => {
    const nasty: FileFinding = {
      file: 'dir,with:odd%name\r\n/Dockerfile', rule: 'r', severity: 'error', message: '100% sure:\r\nline two, really',
      range: { start: { line: 0, character: 0 }, end: { line: 2, character: 3 } }, fixes: [],
    };
    const out = toGithub([nasty]);
    assert.equal(out.split('\n').filter(Boolean).length, 1, 'one line');
    const c = parseCommand(out.trimEnd());
    assert.equal(c.name, 'error');
    assert.equal(c.props.file, nasty.file);
    assert.equal(c.data, `${nasty.message} [r]`);
    assert.equal(c.props.endLine, '3');
    assert.equal(c.props.col, undefined, 'no columns on a multi-line range');
  });
});

describe("the README's CI recipes", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## In CI'), readme.indexOf('## Configuration'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('GitHub Actions uploads the SARIF file the lint step writes; GitLab reports the Code Quality file it writes', async () => {
    const { parse } = await import('yaml');
    const gh = blocks.map((b) => parse(b)).find((y) => y?.jobs?.hullcheck?.steps);
    assert.ok(gh, 'a GitHub workflow');
    const steps = gh.jobs.hullcheck.steps as { uses?: string; run?: string; with?: Record<string, string> }[];
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    const sarifRun = steps.find((s) => s.run?.includes('--format sarif'));
    assert.ok(upload && sarifRun);
    assert.equal(/> (\S+)$/.exec(sarifRun.run!)![1], upload.with!.sarif_file);
    assert.equal(gh.permissions['security-events'], 'write');
    const gl = blocks.map((b) => parse(b)).find((y) => y?.hullcheck?.script);
    assert.ok(gl, 'a GitLab job');
    assert.equal(/> (\S+)$/.exec(gl.hullcheck.script[0])![1], gl.hullcheck.artifacts.reports.codequality);
  });

  it('every hullcheck command in them runs and writes its format', async () => {
    const commands = [...section.matchAll(/npx --yes hullcheck@[\d.]+ (lint[^\n`]*)/g)].map((m) => m[1].replace(/\s*>\s*\S+$/, ''))
      .filter((c) => !c.includes('${{'));
    assert.ok(commands.length >= 3);
    const dir = project();
    for (const c of commands) {
      const args = c.split(/\s+/);
      const r = await run([...args, '--no-shellcheck'], '', dir);
      assert.ok(r.code === 0 || r.code === 1, `${c}: exit ${r.code} ${r.stderr}`);
      const format = args[args.indexOf('--format') + 1];
      if (format === 'github') assert.ok(r.stdout.split('\n').filter(Boolean).every((l) => parseCommand(l)), c);
      else assert.ok(JSON.parse(r.stdout), c);
    }
  });
});

describe('fingerprints under a baseline', () => {
  it('a finding keeps its SARIF fingerprint when a baseline hides an identical one above it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-ci-baseline-'));
    const one = 'FROM debian:bookworm-slim\nRUN apt-get install -y curl\n';
    fs.writeFileSync(path.join(dir, 'Dockerfile'), one);
    assert.equal((await run(['baseline', '--no-shellcheck', '.'], '', dir)).code, 0);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), one + 'RUN apt-get install -y curl\n');
    const fp = (log: SarifLog, line: number) => log.runs[0].results
      .filter((x) => x.ruleId === 'apt-no-install-recommends' && x.locations[0].physicalLocation.region.startLine === line)
      .map((x) => x.partialFingerprints['hullcheck/v1']);
    const plain = JSON.parse((await run(['lint', '--no-shellcheck', '--format', 'sarif', '.'], '', dir)).stdout) as SarifLog;
    const based = JSON.parse((await run(['lint', '--no-shellcheck', '--format', 'sarif', '--baseline', '.hullcheck-baseline.json', '.'], '', dir)).stdout) as SarifLog;
    assert.equal(fp(plain, 2).length, 1);
    assert.deepEqual(fp(based, 2), [], 'the first is in the baseline');
    assert.equal(fp(based, 3).length, 1);
    assert.deepEqual(fp(based, 3), fp(plain, 3));
    assert.notDeepEqual(fp(plain, 3), fp(plain, 2));
  });
});

describe('a run outside any repository', () => {
  it('reports no file-not-read for the speculative look for a .git above the project', () => {
    const dir = project();
    const cli = path.resolve(__dirname, '../../server/src/cli.ts');
    // tsx by absolute URL: the run's working folder is the project, which has no node_modules
    const tsx = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;
    const r = spawnSync(process.execPath, ['--import', tsx, cli, 'lint', '--no-shellcheck', '--format', 'json', dir], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const findings = JSON.parse(r.stdout).findings as { rule: string; message: string }[];
    assert.ok(findings.length > 0, r.stderr);
    assert.deepEqual(findings.filter((f) => f.rule === 'file-not-read').map((f) => f.message), []);
  });
});
