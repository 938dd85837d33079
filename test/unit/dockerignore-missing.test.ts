// dockerignore-missing creates a file rather than editing text, so the fixture harness cannot check its fix:
// these tests check the exact .dockerignore it proposes, and that creating it is safe for the Dockerfile.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFixes, selectFixes } from '../../server/src/core/fixes';
import type { Finding, Fix } from '../../server/src/core/findings';
import { lint } from '../helpers';

const RULE = 'dockerignore-missing';

function project(dockerfile: string): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hullcheck-ignore-'));
  const file = path.join(dir, 'Dockerfile');
  fs.writeFileSync(file, dockerfile);
  return { dir, file };
}

function createFix(findings: Finding[]): Fix {
  assert.equal(findings.length, 1, 'expected one finding');
  const fixes = findings[0].fixes;
  assert.equal(fixes.length, 1);
  assert.equal(fixes[0].safety, 'safe');
  assert.deepEqual(fixes[0].edits, []);
  assert.ok(fixes[0].createFile, 'the fix creates a file');
  return fixes[0];
}

const BASE = [
  '# Version control and local secrets',
  '.git',
  '**/.env',
  '**/.env.*',
  '!**/.env.example',
  '',
  '# Read by the builder directly; excluding them keeps edits from invalidating COPY . layers',
  '.dockerignore',
  'Dockerfile*',
];

describe('dockerignore-missing fix', () => {
  it('creates a Node.js .dockerignore in the build context', async () => {
    const { dir, file } = project('FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n');
    const fix = createFix(await lint(file, { only: [RULE] }));
    assert.equal(fix.createFile!.path, path.join(dir, '.dockerignore'));
    assert.equal(fix.createFile!.text, [
      ...BASE, '',
      '# Node.js: dependencies are installed inside the image',
      '**/node_modules',
      'npm-debug.log*',
      '',
    ].join('\n'));
  });

  it('adds Python caches, and .venv only when packages are installed in the image', async () => {
    const installs = project('FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-cache-dir /app\n');
    assert.equal(createFix(await lint(installs.file, { only: [RULE] })).createFile!.text, [
      ...BASE, '',
      '# Python: bytecode, caches and local virtual environments',
      '**/__pycache__',
      '**/*.pyc',
      '.pytest_cache',
      '.venv',
      '',
    ].join('\n'));

    const runsOnly = project('FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n');
    const text = createFix(await lint(runsOnly.file, { only: [RULE] })).createFile!.text;
    assert.ok(text.includes('**/__pycache__\n**/*.pyc\n.pytest_cache\n'));
    assert.ok(!text.includes('.venv'));
  });

  it('adds target for Rust builds and nothing ecosystem-specific otherwise', async () => {
    const rust = project('FROM rust:1.80 AS build\nCOPY . .\nRUN cargo build --release\n');
    assert.ok(createFix(await lint(rust.file, { only: [RULE] })).createFile!.text.endsWith('\n# Rust: build output, rebuilt inside the image\ntarget\n'));
    const plain = project('FROM nginx:1.27-alpine\nCOPY . /usr/share/nginx/html\n');
    assert.equal(createFix(await lint(plain.file, { only: [RULE] })).createFile!.text, [...BASE, ''].join('\n'));
  });

  it('leaves out entries that would hide a file the Dockerfile copies by name', async () => {
    const { file } = project('FROM node:22-slim\nCOPY .env.production Dockerfile /app/\nCOPY . /app\nRUN npm install\n');
    const text = createFix(await lint(file, { only: [RULE] })).createFile!.text;
    assert.ok(!text.includes('**/.env.*\n'), 'the .env.* line would hide .env.production');
    assert.ok(!text.includes('Dockerfile*'), 'the Dockerfile* line would hide Dockerfile');
    assert.ok(text.includes('**/.env\n'), 'unrelated entries stay');
    assert.ok(text.includes('**/node_modules\n'));
  });

  it('keeps the Dockerfile line endings', async () => {
    const { file } = project('FROM alpine:3.20\r\nCOPY . /src\r\n');
    const text = createFix(await lint(file, { only: [RULE] })).createFile!.text;
    assert.equal(text, [...BASE, ''].join('\r\n'));
  });

  it('once the file exists the rule is silent and no COPY source is ignored', async () => {
    const { dir, file } = project('FROM node:22-slim\nCOPY package.json .env.example ./\nCOPY src/ ./src/\nRUN npm ci\nCOPY . .\n');
    // the sources it names exist, so the Dockerfile's folder is its build context
    fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
    fs.writeFileSync(path.join(dir, '.env.example'), 'A=1\n');
    fs.mkdirSync(path.join(dir, 'src'));
    const fix = createFix(await lint(file, { only: [RULE] }));
    fs.writeFileSync(fix.createFile!.path, fix.createFile!.text);
    assert.deepEqual(await lint(file, { only: [RULE] }), []);
    assert.deepEqual(await lint(file, { only: ['copy-ignored-file'] }), []);
    assert.ok(fs.existsSync(path.join(dir, '.dockerignore')));
  });

  it('is not applied as a text edit', async () => {
    const text = 'FROM alpine:3.20\nCOPY . /src\n';
    const { file } = project(text);
    const fix = createFix(await lint(file, { only: [RULE] }));
    assert.deepEqual(selectFixes(text, [fix]), []);
    assert.equal(applyFixes(text, [fix]), text);
  });
});
