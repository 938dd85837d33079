// The CLI contract: formats, exit codes, discovery, --fix, --stdin and config errors.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { main } from '../../server/src/cli';
import { RULES_BY_ID } from '../../server/src/engine/linter';
import { FAIL_LEVELS, reachesFailLevel } from '../../server/src/cli/format';

const BAD = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, async () => stdin);
  return { code, stdout, stderr };
}

function tmpdir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

type JsonFinding = { file: string; rule: string; severity: string; message: string; line: number; column: number; fixable: boolean };
const only = (json: string, rule: string): JsonFinding[] => (JSON.parse(json).findings as JsonFinding[]).filter((f) => f.rule === rule);

describe('hullcheck lint', () => {
  it('reports findings in the JSON contract with 1-based positions', async () => {
    const r = await run(['lint', '--stdin', '--stdin-filename', 'services/api/Dockerfile', '--format', 'json'], BAD);
    const hits = only(r.stdout, 'apt-no-install-recommends');
    assert.equal(hits.length, 1);
    assert.deepEqual(Object.keys(hits[0]).sort(), ['column', 'endColumn', 'endLine', 'file', 'fixable', 'line', 'message', 'rule', 'severity'].sort());
    assert.equal(hits[0].file, 'services/api/Dockerfile');
    assert.equal(hits[0].line, 2);
    assert.equal(hits[0].column, BAD.split('\n')[1].indexOf('install') + 1);
    assert.equal(hits[0].fixable, true);
    assert.equal(r.code, 1);
  });

  it('exits 0 when nothing reaches the fail level, 1 when something does', async () => {
    assert.equal((await run(['lint', '--stdin', '--fail-level', 'none'], BAD)).code, 0);
    const errorsOnly = await run(['lint', '--stdin', '--fail-level', 'error', '--format', 'json'], BAD);
    const sevs = (JSON.parse(errorsOnly.stdout).findings as { severity: string }[]).map((f) => f.severity);
    assert.equal(errorsOnly.code, sevs.includes('error') ? 1 : 0);
    assert.equal((await run(['lint', '--stdin', '--fail-level', 'warning'], BAD)).code, 1);
  });

  it('one fail-level rule for lint, image and per-file .hadolint.yaml levels', () => {
    assert.deepEqual(FAIL_LEVELS, ['error', 'warning', 'info', 'none']);
    assert.equal(reachesFailLevel('error', 'warning'), true);
    assert.equal(reachesFailLevel('warning', 'warning'), true);
    assert.equal(reachesFailLevel('info', 'warning'), false);
    assert.equal(reachesFailLevel('hint', 'info'), false);
    assert.equal(reachesFailLevel('error', 'none'), false);
  });

  it('exits 3 when a rule throws: one internal-error finding, one log line with the stack, a note', async () => {
    const args = ['lint', '--stdin', '--no-shellcheck', '--format', 'json'];
    // the same input with every rule working: findings, exit 1, no log line
    const fine = await run(args, BAD);
    assert.equal(fine.code, 1);
    assert.equal(only(fine.stdout, 'internal-error').length, 0);
    assert.doesNotMatch(fine.stderr, /failed on|could not run/);
    const rule = RULES_BY_ID.get('apt-no-install-recommends') as { check: unknown };
    const check = rule.check;
    rule.check = () => { throw new Error('kaboom'); };
    try {
      for (const level of ['warning', 'none']) {
        const r = await run([...args, '--fail-level', level], BAD);
        assert.equal(r.code, 3, r.stderr);
        const internal = only(r.stdout, 'internal-error');
        assert.equal(internal.length, 1);
        assert.match(internal[0].message, /^Internal error in rule apt-no-install-recommends: kaboom\./);
        assert.equal(r.stderr.match(/hullcheck: rule apt-no-install-recommends failed on Dockerfile: Error: kaboom\n\s+at /g)?.length, 1, r.stderr);
        assert.match(r.stderr, /hullcheck: 1 check could not run; the result is incomplete \(exit 3\)\n/);
        // the other rules still ran
        assert.ok((JSON.parse(r.stdout).findings as JsonFinding[]).some((f) => f.rule !== 'internal-error'));
      }
    } finally {
      rule.check = check;
    }
  });

  it('exits 2 on usage errors and missing paths, and still lints the rest', async () => {
    assert.equal((await run(['lint', '--format', 'xml'])).code, 2);
    assert.equal((await run(['lint', '--fail-level', 'loud'])).code, 2);
    assert.equal((await run(['frobnicate'])).code, 2);
    assert.equal((await run(['lint', '--nope'])).code, 2);
    const dir = tmpdir({ Dockerfile: BAD });
    const r = await run(['lint', path.join(dir, 'missing'), dir, '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing: no such file or directory/);
    assert.equal(only(r.stdout, 'apt-no-install-recommends').length, 1);
  });

  it('discovers the conventional file names in folders and skips node_modules and vendored code', async () => {
    const dir = tmpdir({
      'Dockerfile': 'FROM scratch\n', 'api/Dockerfile.prod': 'FROM scratch\n', 'web/app.Dockerfile': 'FROM scratch\n',
      'Containerfile': 'FROM scratch\n', 'compose.yaml': 'services: {}\n', 'docker-compose.override.yml': 'services: {}\n',
      '.dockerignore': '.git\n', 'api/Dockerfile.prod.dockerignore': '.git\n', '.trivyignore': 'CVE-2020-1234\n',
      'node_modules/x/Dockerfile': BAD, 'vendor/acme/minify/Dockerfile': BAD, 'README.md': '# x\n', 'notes.yaml': 'a: 1\n',
    });
    const { discover } = await import('../../server/src/facts/discoverFiles');
    const { files } = await discover([dir]);
    const rel = files.map((f) => path.relative(dir, f)).sort();
    assert.deepEqual(rel, ['.dockerignore', '.trivyignore', 'Containerfile', 'Dockerfile', 'api/Dockerfile.prod', 'api/Dockerfile.prod.dockerignore', 'compose.yaml', 'docker-compose.override.yml', 'web/app.Dockerfile'].sort());
  });

  it('--fix applies safe fixes in place and reports what remains', async () => {
    const dir = tmpdir({ Dockerfile: BAD });
    const file = path.join(dir, 'Dockerfile');
    const r = await run(['lint', '--fix', '--format', 'json', file]);
    const after = fs.readFileSync(file, 'utf8');
    assert.match(after, /apt-get install --no-install-recommends -y curl/);
    assert.equal(only(r.stdout, 'apt-no-install-recommends').length, 0);
  });

  it('--stdin --fix prints the fixed text', async () => {
    const r = await run(['lint', '--stdin', '--fix'], BAD);
    assert.match(r.stdout, /^FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends -y curl/);
  });

  it('turns a broken --config into a config-error finding instead of crashing', async () => {
    const dir = tmpdir({ Dockerfile: BAD, 'bad.yaml': 'rules: [unclosed\n' });
    const r = await run(['lint', '--format', 'json', '--config', path.join(dir, 'bad.yaml'), path.join(dir, 'Dockerfile')]);
    const cfg = only(r.stdout, 'config-error');
    assert.equal(cfg.length, 1);
    assert.equal(cfg[0].file, path.join(dir, 'bad.yaml'));
    assert.match(cfg[0].message, /Invalid YAML/);
    assert.equal(r.code, 1);
    assert.equal(only(r.stdout, 'apt-no-install-recommends').length, 1, 'linting went on with defaults');
  });

  it('names a configuration problem relative to the working folder, as it names the files it lints', async () => {
    const dir = tmpdir({ 'svc/.hullcheck.yaml': 'rules: [unclosed\n', 'svc/Dockerfile': BAD });
    const before = process.cwd();
    process.chdir(dir);
    try {
      const text = await run(['lint', '--no-shellcheck', 'svc']);
      assert.match(text.stdout, /^svc\/\.hullcheck\.yaml:2:1: error Invalid YAML/m);
      assert.match(text.stdout, /^svc\/Dockerfile:\d+:\d+: /m);
      assert.ok(!text.stdout.includes(dir), text.stdout);
      const json = await run(['lint', '--no-shellcheck', '--format', 'json', path.join(dir, 'svc')]);
      assert.deepEqual(only(json.stdout, 'config-error').map((f) => f.file), ['svc/.hullcheck.yaml']);
    } finally {
      process.chdir(before);
    }
    // outside the working folder a path is shown as it was found (absolute)
    const outside = await run(['lint', '--no-shellcheck', '--format', 'json', path.join(dir, 'svc')]);
    assert.deepEqual(only(outside.stdout, 'config-error').map((f) => f.file), [path.join(dir, 'svc', '.hullcheck.yaml')]);
  });

  it('honours rule severities from .hullcheck.yaml found upward', async () => {
    const dir = tmpdir({ '.hullcheck.yaml': 'rules:\n  apt-no-install-recommends: off\n', 'svc/Dockerfile': BAD });
    const r = await run(['lint', '--format', 'json', path.join(dir, 'svc')]);
    assert.equal(only(r.stdout, 'apt-no-install-recommends').length, 0);
    const r2 = await run(['lint', '--format', 'json', '--enable-all', path.join(dir, 'svc')]);
    assert.equal(only(r2.stdout, 'apt-no-install-recommends').length, 1, '--enable-all overrides off');
  });

  it('writes SARIF 2.1.0 that validates against the schema', async () => {
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const r = await run(['lint', '--stdin', '--stdin-filename', 'dir with space/Dockerfile', '--format', 'sarif'], BAD);
    assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors?.slice(0, 3)));
    const log = JSON.parse(r.stdout);
    const res = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'apt-no-install-recommends');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 2);
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'dir%20with%20space/Dockerfile');
    assert.equal(log.runs[0].tool.driver.rules[res.ruleIndex].id, 'apt-no-install-recommends');
  });

  it('prints a readable text report with a summary line', async () => {
    const r = await run(['lint', '--stdin'], BAD);
    assert.match(r.stdout, /^Dockerfile:2:\d+: warning .*\[apt-no-install-recommends\]$/m);
    assert.match(r.stdout, /problems? \(.*\) in 1 file; \d+ fixable with --fix\.\n$/);
  });
});

describe('hullcheck rules', () => {
  it('lists every rule in the JSON contract', async () => {
    const r = await run(['rules', '--format', 'json']);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.deepEqual(Object.keys(row).sort(), ['buildkit', 'category', 'fix', 'hadolint', 'id', 'language', 'severity', 'title'].sort());
    }
    assert.ok(rows.some((x) => x.id === 'apt-no-install-recommends' && (x.hadolint as string[]).includes('DL3015')));
  });
});

describe('hullcheck lint --fix creating files', () => {
  it('creates the missing .dockerignore that dockerignore-missing proposes, and never overwrites one', async () => {
    const dir = tmpdir({ Dockerfile: 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n', 'package.json': '{}\n' });
    const r = await run(['lint', '--fix', '--format', 'json', path.join(dir, 'Dockerfile')]);
    const created = fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8');
    assert.match(created, /^\.git$/m);
    assert.match(created, /^\*\*\/node_modules$/m);
    assert.match(r.stderr, /created .*\.dockerignore/);
    assert.equal(only(r.stdout, 'dockerignore-missing').length, 0);
    fs.writeFileSync(path.join(dir, '.dockerignore'), 'mine\n');
    await run(['lint', '--fix', path.join(dir, 'Dockerfile')]);
    assert.equal(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), 'mine\n');
  });
});

describe('hullcheck as a process', () => {
  it('exits without a crash when its reader closes the pipe early (hullcheck rules | head -1)', async () => {
    const { spawn } = await import('node:child_process');
    const { pathToFileURL } = await import('node:url');
    const cli = path.join(__dirname, '../../server/src/cli.ts');
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, cli, 'rules'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    // the reader goes away before the listing is written, as `head` does after its first lines
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/, stderr);
    assert.equal(code, 0, stderr);
  });
});
