// dockerignore-missing: copying the whole build context without any .dockerignore sends .git, local .env
// files and dependency folders to the builder; the fix creates one suited to the Dockerfile's ecosystem.

import * as path from 'node:path';
import type { DockerfileRule } from '../context';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { programArgs, programName } from '../../parse/shell';
import { IgnoreMatcher, makePattern, matchesOrParent } from '../../parse/ignoreMatch';
import { copyInstructions, isWholeContext } from '../../model/dockerfile/copySources';
import { parseImageRef } from '../../model/dockerfile/imageRefs';
import { runCommands, subcommand } from '../../model/dockerfile/wordsAndEdits';
import { trimTrailing } from '../../core/strings';

interface Section { comment: string; entries: string[] }

interface Ecosystem { node: boolean; nodeInstall: boolean; python: boolean; pythonInstall: boolean; rustBuild: boolean }

/** What the Dockerfile builds, from its base images and the package managers its RUNs call. */
export function detectEcosystem(parsed: ParsedDockerfile): Ecosystem {
  const eco: Ecosystem = { node: false, nodeInstall: false, python: false, pythonInstall: false, rustBuild: false };
  for (const stage of parsed.stages) {
    const name = parseImageRef(stage.image)?.name.toLowerCase() ?? '';
    if (name === 'node' || name === 'bun') eco.node = true;
    if (name === 'python') eco.python = true;
  }
  for (const { cmd } of runCommands(parsed)) {
    const prog = programName(cmd);
    const sub = subcommand(cmd)?.value;
    const args = programArgs(cmd).map((w) => w.value);
    if (['npm', 'yarn', 'pnpm', 'bun'].includes(prog) && (sub === undefined || ['install', 'i', 'ci', 'add'].includes(sub))) {
      eco.node = eco.nodeInstall = true;
    } else if ((/^pip[0-9.]*$/.test(prog) && sub === 'install')
      || (prog === 'uv' && (sub === 'sync' || (sub === 'pip' && args.includes('install'))))
      || (['poetry', 'pipenv', 'pdm'].includes(prog) && (sub === 'install' || sub === 'sync'))
      || (/^python[0-9.]*$/.test(prog) && args.join(' ').includes('-m pip install'))) {
      eco.python = eco.pythonInstall = true;
    } else if (prog === 'cargo' && (sub === 'build' || sub === 'install')) {
      eco.rustBuild = true;
    }
  }
  return eco;
}

/** The .dockerignore sections for an ecosystem, before removing entries the Dockerfile copies explicitly. */
function sections(eco: Ecosystem): Section[] {
  const out: Section[] = [
    { comment: '# Version control and local secrets', entries: ['.git', '**/.env', '**/.env.*', '!**/.env.example'] },
    { comment: '# Read by the builder directly; excluding them keeps edits from invalidating COPY . layers', entries: ['.dockerignore', 'Dockerfile*'] },
  ];
  if (eco.nodeInstall) out.push({ comment: '# Node.js: dependencies are installed inside the image', entries: ['**/node_modules', 'npm-debug.log*'] });
  if (eco.python) {
    const entries = ['**/__pycache__', '**/*.pyc', '.pytest_cache'];
    if (eco.pythonInstall) entries.push('.venv');
    out.push({ comment: '# Python: bytecode, caches and local virtual environments', entries });
  }
  if (eco.rustBuild) out.push({ comment: '# Rust: build output, rebuilt inside the image', entries: ['target'] });
  return out;
}

/**
 * The text of a new .dockerignore for this Dockerfile. Entries that would hide a path the Dockerfile
 * copies by name are left out, so creating the file cannot break a COPY.
 */
export function dockerignoreFor(parsed: ParsedDockerfile, eol = parsed.index.eol): string {
  const secs = sections(detectEcosystem(parsed));
  const copied: string[] = [];
  for (const { onbuild, sources } of copyInstructions(parsed)) {
    if (onbuild) continue;
    for (const s of sources) if (s.kind === 'context' && !s.glob && !s.variable && !isWholeContext(s.value)) copied.push(s.value);
  }
  for (let changed = true; changed;) {
    changed = false;
    const matcher = IgnoreMatcher.fromText(secs.flatMap((s) => s.entries).join('\n'));
    for (const src of copied) {
      if (!matcher.excludes(src)) continue;
      const clean = trimTrailing(src.replace(/^\.?\/+/, ''), '/');
      for (const sec of secs) {
        sec.entries = sec.entries.filter((e) => e.startsWith('!') || !matchesOrParent(makePattern(e, false), clean));
      }
      changed = true;
      break;
    }
  }
  const lines: string[] = [];
  for (const sec of secs) {
    if (sec.entries.every((e) => e.startsWith('!'))) continue;
    if (lines.length) lines.push('');
    lines.push(sec.comment, ...sec.entries);
  }
  return lines.join(eol) + eol;
}

const rule: DockerfileRule = {
  meta: {
    id: 'dockerignore-missing',
    language: 'dockerfile',
    category: 'context',
    title: 'Add a .dockerignore when copying the whole build context',
    severity: 'warning',
    fix: 'safe',
    docs: {
      rationale:
        'Without a `.dockerignore`, `COPY . .` sends everything in the folder to the builder and into the image: the ' +
        '`.git` history, local `.env` files with real credentials, and host-built `node_modules` or virtual ' +
        'environments that do not match the image\'s platform. The upload slows every build, and any change to those ' +
        'files invalidates the COPY layer and everything after it.',
      invalid: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      valid: 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY src/ ./src/\n',
      notes:
        'Fires once per Dockerfile, on the first COPY or ADD of the whole context (`.`, `./`, `*`, `./*`), when neither ' +
        '`.dockerignore` in the build context nor `<Dockerfile>.dockerignore` beside the Dockerfile exists. Silent when ' +
        'the context is unknown: standard input, unsaved files, or a Dockerfile that no compose service builds, that ' +
        '`contexts:` in `.hullcheck.yaml` does not map, and whose COPY/ADD sources exist neither in its folder nor above it. `COPY --from` and ONBUILD instructions do not count.\n\n' +
        'The fix creates `.dockerignore` in the build context. It always lists `.git`, `.env` files (keeping ' +
        '`.env.example`), `.dockerignore` and `Dockerfile*`, and adds what the Dockerfile\'s ecosystem regenerates: ' +
        '`node_modules` when it runs npm, yarn, pnpm or bun install; `__pycache__`, `*.pyc` and `.pytest_cache` for ' +
        'Python, plus `.venv` when it installs packages; `target` when it runs `cargo build`. Go `vendor` folders are ' +
        'never excluded because builds use them. Entries that would hide a path the Dockerfile copies by name are ' +
        'dropped, so the new file cannot break a COPY; this is why the fix is safe. The fix has no text edits: ' +
        'editors and `hullcheck lint --fix` create the file.',
    },
  },
  check(ctx) {
    // null means "looked and found none"; undefined means the context is unknown
    if (ctx.facts.dockerignore !== null) return;
    for (const { instr, onbuild, sources } of copyInstructions(ctx.parsed)) {
      if (onbuild) continue;
      const broad = sources.find((s) => s.kind === 'context' && isWholeContext(s.value));
      if (!broad) continue;
      const dir = ctx.facts.contextDir ?? path.dirname(ctx.file);
      ctx.report({
        range: broad.range,
        message: `\`${instr.keyword} ${broad.value}\` sends the whole build context, and there is no .dockerignore; add one so .git, local .env files and dependency folders stay out of the image.`,
        fixes: [{
          title: 'Create .dockerignore',
          safety: 'safe',
          edits: [],
          createFile: { path: path.join(dir, '.dockerignore'), text: dockerignoreFor(ctx.parsed) },
        }],
      });
      return;
    }
  },
};

export default rule;
