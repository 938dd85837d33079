// cache-order-deps: copying the whole source before installing dependencies defeats the layer cache.

import { glob } from '../../core/glob';
import type { DockerfileRule } from '../context';
import type { Instr, Stage } from '../../parse/dockerfile';
import { hasFlag, positionals, programArgs, programName, type Command } from '../../parse/shell';
import { hasHeredoc, pipInstall, pipPackages, requirementFiles } from '../../model/dockerfile/packages';
import { valueOptions } from '../../model/dockerfile/programOptions';
import { subcommand } from '../../model/dockerfile/wordsAndEdits';
import { chainOf } from '../../model/dockerfile/imageViews';
import { trimTrailing } from '../../core/strings';
import { mountsOf } from '../../model/dockerfile/runs';

interface DepInstall {
  label: string;
  ecosystem: string;
  /** The files to copy first (named in the message). */
  manifests: string[];
  /** Other files whose earlier copy also makes a dependency step (cargo-chef's `recipe.json`). */
  alternates?: string[];
}

/** Folders that conventionally hold an application's own source code. */
const APP_DIRS = new Set(['src', 'app', 'source', 'lib', 'cmd', 'internal', 'pkg']);

/** A dependency install that only needs the manifest files, with the manifests to copy first. */
function dependencyInstall(cmd: Command): DepInstall | undefined {
  const name = programName(cmd);
  const sub = subcommand(cmd)?.value;
  const args = programArgs(cmd);
  // option values (`--network-timeout 600000`) are not package names
  const named = (after: string[]) => positionals(args, valueOptions(name)).filter((w) => !after.includes(w.value)).length > 0;
  const label = (s?: string) => (s ? `${name} ${s}` : name);
  switch (name) {
    case 'npm':
      if (['install', 'i', 'ci', 'clean-install', 'install-clean'].includes(sub ?? '') && !hasFlag(args, '-g', '--global') && !named([sub!]))
        return { label: label(sub), ecosystem: 'npm', manifests: ['package.json', 'package-lock.json'] };
      return undefined;
    case 'yarn':
      if ((sub === undefined || sub === 'install') && !named(['install']))
        return { label: label(sub), ecosystem: 'yarn', manifests: ['package.json', 'yarn.lock'] };
      return undefined;
    case 'pnpm':
      if (['install', 'i', 'fetch'].includes(sub ?? '') && !hasFlag(args, '-g', '--global') && !named([sub!]))
        return { label: label(sub), ecosystem: 'pnpm', manifests: sub === 'fetch' ? ['pnpm-lock.yaml'] : ['package.json', 'pnpm-lock.yaml'] };
      return undefined;
    case 'bun':
      if (['install', 'i'].includes(sub ?? '') && !hasFlag(args, '-g', '--global') && !named([sub!]))
        return { label: label(sub), ecosystem: 'bun', manifests: ['package.json', 'bun.lock'] };
      return undefined;
    case 'poetry':
      return sub === 'install' ? { label: label(sub), ecosystem: 'poetry', manifests: ['pyproject.toml', 'poetry.lock'] } : undefined;
    case 'pipenv':
      return sub === 'install' || sub === 'sync' ? { label: label(sub), ecosystem: 'pipenv', manifests: ['Pipfile', 'Pipfile.lock'] } : undefined;
    case 'bundle':
      return sub === undefined || sub === 'install' ? { label: label(sub), ecosystem: 'bundler', manifests: ['Gemfile', 'Gemfile.lock'] } : undefined;
    case 'go':
      return sub === 'mod' && positionals(args)[1]?.value === 'download' ? { label: 'go mod download', ecosystem: 'go', manifests: ['go.mod', 'go.sum'] } : undefined;
    case 'cargo':
      // `cargo chef cook` builds the dependencies from the recipe alone: it is the dependency step, never the late install
      return sub === 'build' || sub === 'fetch' ? { label: label(sub), ecosystem: 'cargo', manifests: ['Cargo.toml', 'Cargo.lock'], alternates: ['recipe.json'] } : undefined;
    case 'composer':
      return sub === 'install' ? { label: label(sub), ecosystem: 'composer', manifests: ['composer.json', 'composer.lock'] } : undefined;
    case 'mvn': case 'mvnw': {
      const goal = args.find((w) => w.value.startsWith('dependency:'));
      return goal ? { label: `${name} ${goal.value}`, ecosystem: 'maven', manifests: ['pom.xml'] } : undefined;
    }
    case 'uv':
      if (sub === 'sync') return { label: 'uv sync', ecosystem: 'uv', manifests: ['pyproject.toml', 'uv.lock'] };
      if (sub === 'pip' && positionals(args)[1]?.value === 'sync') {
        const file = positionals(args)[2]?.value;
        return file ? { label: 'uv pip sync', ecosystem: 'pip', manifests: [file] } : undefined;
      }
      break;
  }
  const pip = pipInstall(cmd);
  if (!pip || pip.tool === 'pipx') return undefined;
  const reqs = requirementFiles(pip.args);
  const tool = pip.tool === 'uv' ? 'uv pip install' : 'pip install';
  if (reqs.length) return { label: `${tool} -r`, ecosystem: 'pip', manifests: reqs };
  if (pip.tool === 'uv' && pipPackages(pip.args).some((w) => w.value === '.' || w.value === './'))
    return { label: `${tool} .`, ecosystem: 'uv', manifests: ['pyproject.toml'] };
  return undefined;
}

/** Sources of a COPY/ADD from the build context (not `--from`, not heredocs). */
function contextSources(instr: Instr): { value: string; index: number }[] {
  if ((instr.keyword !== 'COPY' && instr.keyword !== 'ADD') || instr.flag('from') || hasHeredoc(instr)) return [];
  const parts = instr.jsonArgs ?? instr.args.map((a) => a.value);
  return parts.slice(0, -1).map((value, index) => ({ value, index })).filter((s) => !/^[a-z]+:\/\//i.test(s.value));
}

function normSource(src: string): string {
  let s = src.replace(/^["']|["']$/g, '');
  while (s.startsWith('./')) s = s.slice(2);
  return trimTrailing(s, '/');
}

function isBroad(src: string): boolean {
  const s = normSource(src);
  return s === '' || s === '.' || s === '*' || s === './*' || APP_DIRS.has(s) || /^(src|app)\/\*$/.test(s);
}

/** Whether a COPY source brings in a manifest: same file name (globs allowed) or a folder holding its path. */
function copiesManifest(src: string, manifest: string): boolean {
  const s = normSource(src);
  const base = s.slice(s.lastIndexOf('/') + 1);
  const m = normSource(manifest);
  const mBase = m.slice(m.lastIndexOf('/') + 1);
  return glob(base, { classes: true }).test(mBase) || (m.includes('/') && m.startsWith(s + '/'));
}

/**
 * Files an instruction brings in for a dependency step: COPY/ADD sources (from the context or from another
 * stage, as cargo-chef copies its recipe) and the sources of RUN bind mounts (`--mount=type=bind,source=uv.lock`).
 */
function manifestSources(instr: Instr): string[] {
  if (instr.keyword === 'RUN') return mountsOf(instr).filter((m) => m.type === 'bind').map((m) => m.opts.source ?? m.opts.src ?? '').filter(Boolean);
  if ((instr.keyword !== 'COPY' && instr.keyword !== 'ADD') || hasHeredoc(instr)) return [];
  const parts = instr.jsonArgs ?? instr.args.map((a) => a.value);
  return parts.slice(0, -1);
}

function manifestCopiedBefore(stage: Stage, before: Instr, dep: DepInstall): boolean {
  const files = [...dep.manifests, ...(dep.alternates ?? [])];
  for (const st of chainOf(stage)) {
    for (const i of st.instructions) {
      if (st === stage && i.startOffset >= before.startOffset) break;
      if (manifestSources(i).some((s) => !isBroad(s) && files.some((m) => copiesManifest(s, m)))) return true;
    }
  }
  return false;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const rule: DockerfileRule = {
  meta: {
    id: 'cache-order-deps',
    language: 'dockerfile',
    category: 'caching',
    title: 'Copy dependency manifests and install before copying the source',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'Docker reuses a cached layer only while everything before it is unchanged. When the whole source tree is ' +
        'copied before the dependency install, any edit to any file reruns the install. Copy just the manifest ' +
        'and lockfile, install, and copy the rest afterwards: the install layer then stays cached until the ' +
        'dependencies themselves change.',
      invalid: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n',
      valid: 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n',
      notes:
        'A broad copy is a COPY/ADD from the build context of `.`, `./`, `*`, or an application source folder ' +
        '(`src`, `app`, `source`, `lib`, `cmd`, `internal`, `pkg`). Installs recognised: npm install/ci, bare ' +
        '`yarn`/`yarn install`, pnpm install/fetch, bun install (without named packages or `-g`), `pip install -r`, ' +
        '`uv sync`, `uv pip install -r` or `.`, `uv pip sync`, poetry install, pipenv install, bundle install, ' +
        '`go mod download`, cargo build/fetch, composer install, and `mvn dependency:*`. A stage (or a stage it ' +
        'builds on) that copies the ecosystem\'s manifest before the broad copy is fine: that is the two-step ' +
        'pattern (`uv sync --no-install-project`, then `COPY . .` and `uv sync`). Manifests bound into an earlier ' +
        'RUN (`--mount=type=bind,source=uv.lock,…`) and a cargo-chef recipe copied from another stage count as that ' +
        'first step. A broad copy before `cargo build` alone is info: cargo compiles the dependencies with the sources, so copying Cargo.toml first separates nothing; the message points to cargo-chef or a cache mount instead. Option values (`yarn --network-timeout 600000`) are not taken for package names. The finding sits on the broad ' +
        'copy and names the files to copy first.',
    },
  },
  check(ctx) {
    for (const stage of ctx.parsed.stages) {
      const instrs = stage.instructions;
      instrs.forEach((copy, ci) => {
        const broad = contextSources(copy).find((s) => isBroad(s.value));
        if (!broad) return;
        const found: { dep: DepInstall; line: number }[] = [];
        for (const later of instrs.slice(ci + 1)) {
          if (later.keyword !== 'RUN') continue;
          for (const cmd of later.commands()) {
            const dep = dependencyInstall(cmd);
            if (dep && !found.some((f) => f.dep.ecosystem === dep.ecosystem) && !manifestCopiedBefore(stage, copy, dep)) {
              found.push({ dep, line: later.range.start.line + 1 });
            }
          }
        }
        if (found.length === 0) return;
        const manifests = [...new Set(found.flatMap((f) => f.dep.manifests))];
        const range = copy.jsonArgs ? copy.range : copy.args[broad.index].range;
        // `cargo build` compiles the dependencies together with the project: copying the manifests first does not
        // separate them (cargo needs the sources), cargo-chef or a cache mount does, so it is a note with that advice
        if (found.every((f) => f.dep.label.startsWith('cargo build'))) {
          ctx.report({
            range,
            severity: 'info',
            message: `\`${copy.keyword} ${broad.value}\` comes before \`${found[0].dep.label}\` (line ${found[0].line}), which compiles the dependencies with the project, so any source change rebuilds them; ` +
              'build them in a step of their own with cargo-chef (`cargo chef cook` from a recipe), or keep them in a cache mount.',
          });
          return;
        }
        ctx.report({
          range,
          message: `\`${copy.keyword} ${broad.value}\` comes before \`${found[0].dep.label}\` (line ${found[0].line}), so any source change reruns the install; ` +
            `copy ${list(manifests)} first, install, then copy the rest.`,
        });
      });
    }
  },
};

export default rule;
