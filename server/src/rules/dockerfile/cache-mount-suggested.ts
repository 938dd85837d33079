// cache-mount-suggested: in a BuildKit Dockerfile, package installs should reuse a cache mount across builds.

import type { DockerfileRule } from '../context';
import type { TextEdit } from '../../core/findings';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { hasFlag, positionals, programArgs, programName, type Command } from '../../parse/shell';
import { envAt, flagVarSet, isAptInstall, isExecForm, isRootUser, pipInstall, pipNoCacheDir, userAt, usesBuildKit } from '../../model/dockerfile/packages';
import { fix, replaceSpan, subcommand, wordRange } from '../../model/dockerfile/wordsAndEdits';
import { chainOf } from '../../model/dockerfile/imageViews';
import { modelOf } from '../../model/dockerfile/model';
import { type RunInfo, mountsOf } from '../../model/dockerfile/runs';

interface Manager {
  id: string;
  /** Whether a cache mount target belongs to this manager. */
  owns(target: string): boolean;
}

const MANAGERS: Manager[] = [
  { id: 'apt', owns: (t) => t.startsWith('/var/cache/apt') || t.startsWith('/var/lib/apt') },
  { id: 'pip', owns: (t) => t.includes('.cache/pip') || t.endsWith('/.cache') },
  { id: 'uv', owns: (t) => t.includes('.cache/uv') || t.endsWith('/.cache') },
  { id: 'npm', owns: (t) => /(^|\/)\.npm($|\/)/.test(t) || t.includes('npm-cache') },
  { id: 'yarn', owns: (t) => t.includes('yarn') },
  { id: 'pnpm', owns: (t) => t.includes('pnpm') },
  { id: 'apk', owns: (t) => t.startsWith('/var/cache/apk') || t.startsWith('/etc/apk/cache') },
  { id: 'go', owns: (t) => t.endsWith('/pkg/mod') || t.includes('go-build') },
  { id: 'cargo', owns: (t) => t.includes('cargo') || t.endsWith('/registry') },
];

/** The manager a command installs with, if it is one whose cache a mount can keep. */
function managerOf(cmd: Command): string | undefined {
  if (isAptInstall(cmd)) return 'apt';
  const pip = pipInstall(cmd);
  if (pip) return pip.tool === 'pipx' ? undefined : pip.tool;
  const name = programName(cmd);
  const sub = subcommand(cmd)?.value;
  if (name === 'uv' && sub === 'sync') return 'uv';
  if (name === 'npm' && ['install', 'i', 'ci', 'clean-install'].includes(sub ?? '')) return 'npm';
  if (name === 'yarn' && (sub === undefined || sub === 'install' || sub === 'add')) return 'yarn';
  if (name === 'pnpm' && ['install', 'i', 'add', 'fetch'].includes(sub ?? '')) return 'pnpm';
  if (name === 'apk' && sub === 'add') return 'apk';
  if (name === 'go' && sub === 'mod' && positionals(programArgs(cmd))[1]?.value === 'download') return 'go';
  if (name === 'cargo' && (sub === 'build' || sub === 'fetch')) return 'cargo';
  return undefined;
}

/** Whether the command (or its RUN) deliberately keeps nothing cached, so a mount would go unused. */
function cacheDisabled(parsed: ParsedDockerfile, run: RunInfo, index: number, manager: string): boolean {
  const cmd = run.commands[index];
  const args = programArgs(cmd);
  const later = run.commands.slice(index + 1);
  const rmOf = (prefix: string) => later.some((c) => programName(c) === 'rm' && positionals(programArgs(c)).some((w) => w.value.startsWith(prefix)));
  const cleans = (prog: string, ...words: string[]) => later.some((c) => programName(c) === prog && words.every((w) => programArgs(c).some((a) => a.value === w)));
  switch (manager) {
    case 'pip': return pipNoCacheDir(args) || flagVarSet(parsed, run, index, 'PIP_NO_CACHE_DIR');
    case 'uv': return hasFlag(args, '--no-cache', '-n', '--no-cache-dir') || flagVarSet(parsed, run, index, 'UV_NO_CACHE');
    case 'apk': return hasFlag(args, '--no-cache');
    case 'apt': return rmOf('/var/lib/apt/lists');
    case 'npm': return cleans('npm', 'cache', 'clean');
    case 'yarn': return cleans('yarn', 'cache', 'clean');
    case 'pnpm': return cleans('pnpm', 'store', 'prune');
    case 'go': return cleans('go', 'clean', '-modcache');
    case 'cargo': return rmOf('/usr/local/cargo/registry') || rmOf('/root/.cargo/registry');
  }
  return false;
}

/** The conventional cache mount(s) for a manager, adjusted to the base image where its cache lives elsewhere. */
function mountText(parsed: ParsedDockerfile, run: RunInfo, manager: string): string {
  const env = envAt(parsed, run);
  const base = run.stage ? chainOf(run.stage)[0].image.toLowerCase() : '';
  const cache = (target: string, extra = '') => `--mount=type=cache,target=${target}${extra}`;
  switch (manager) {
    case 'apt': return `${cache('/var/cache/apt', ',sharing=locked')} ${cache('/var/lib/apt', ',sharing=locked')}`;
    case 'pip': return cache(env.get('PIP_CACHE_DIR') ?? '/root/.cache/pip');
    case 'uv': return cache(env.get('UV_CACHE_DIR') ?? '/root/.cache/uv');
    case 'npm': return cache('/root/.npm');
    case 'yarn': return cache('/usr/local/share/.cache/yarn');
    case 'pnpm': return cache('/root/.local/share/pnpm/store');
    case 'apk': return cache('/var/cache/apk');
    case 'go': {
      // official golang images set GOPATH=/go, elsewhere the module cache is under $HOME/go
      const gopath = env.get('GOPATH') ?? (/(^|\/)golang(:|@|$)/.test(base) ? '/go' : '/root/go');
      return cache(env.get('GOMODCACHE') ?? `${gopath}/pkg/mod`);
    }
    default: {
      const home = env.get('CARGO_HOME') ?? (/(^|\/)rust(:|@|$)/.test(base) ? '/usr/local/cargo' : '/root/.cargo');
      return cache(`${home}/registry`);
    }
  }
}

/**
 * The edit adding a mount after `RUN` and its existing flags. It rewrites that whole head instead of
 * inserting at one point so that it overlaps any other fix that rewrites the head (merging RUNs,
 * deleting the RUN); the fix engine then applies one of them per pass instead of splicing the mount
 * into a merged command.
 */
function addMount(parsed: ParsedDockerfile, run: RunInfo, mount: string): TextEdit {
  const start = parsed.index.offsetAt(run.instr.keywordRange.start);
  const argsStart = run.instr.endOffset - run.instr.argsText.length;
  return replaceSpan(parsed, start, argsStart, `${parsed.text.slice(start, argsStart)}${mount} `);
}

const rule: DockerfileRule = {
  meta: {
    id: 'cache-mount-suggested',
    language: 'dockerfile',
    category: 'caching',
    title: 'Use a BuildKit cache mount for package installs',
    severity: 'hint',
    fix: 'safe',
    docs: {
      rationale:
        'When a dependency layer is rebuilt, the package manager downloads everything again. A BuildKit cache ' +
        'mount (`RUN --mount=type=cache,target=…`) keeps the download cache between builds without putting it in ' +
        'the image, so rebuilds are much faster. This Dockerfile already uses BuildKit features, so the mount costs ' +
        'nothing extra.',
      invalid: '# syntax=docker/dockerfile:1\nFROM node:22-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n',
      valid:
        '# syntax=docker/dockerfile:1\nFROM node:22-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\n' +
        'RUN --mount=type=cache,target=/root/.npm npm ci\n',
      notes:
        'Only fires in files that already use BuildKit: a `# syntax=` directive, a RUN `--mount`/`--network`/' +
        '`--security` flag, a heredoc, or COPY/ADD `--link`/`--parents`/`--exclude`. Installs seen: apt-get install, ' +
        'pip/uv pip install, uv sync, npm install/ci, yarn install/add, pnpm install/add/fetch, apk add, ' +
        '`go mod download` and cargo build/fetch. A cache mount whose target belongs to that manager (or an ' +
        'unrecognised cache target, assumed to be a custom cache location) silences it. So does a command that ' +
        'deliberately keeps no cache: pip `--no-cache-dir` or `PIP_NO_CACHE_DIR`, uv `--no-cache` or `UV_NO_CACHE`, ' +
        'apk `--no-cache`, removing `/var/lib/apt/lists` in the RUN, or cleaning the npm/yarn/pnpm/go cache ' +
        'afterwards; that is what `pip-no-cache-dir`, `apk-no-cache` and `apt-lists-cleanup` ask for, and a mount ' +
        'would only be emptied again.\n\n' +
        'The fix adds the conventional mount after `RUN` and any flags it already has: `/var/cache/apt` and `/var/lib/apt` with ' +
        '`sharing=locked` for apt, `/root/.cache/pip`, `/root/.cache/uv`, `/root/.npm`, ' +
        '`/usr/local/share/.cache/yarn`, `/root/.local/share/pnpm/store`, `/var/cache/apk`, the Go module cache ' +
        '(`/go/pkg/mod` on golang images, else `/root/go/pkg/mod`) and the Cargo registry ' +
        '(`/usr/local/cargo/registry` on rust images, else `/root/.cargo/registry`); PIP_CACHE_DIR, UV_CACHE_DIR, ' +
        'GOMODCACHE, GOPATH and CARGO_HOME set by ENV are followed. The fix is withheld when a non-root USER is in ' +
        'effect (the cache then lives in that user\'s home) and for exec-form RUNs. On Debian and Ubuntu images ' +
        'apt deletes downloaded packages after installing unless `/etc/apt/apt.conf.d/docker-clean` is removed; ' +
        'the package lists are cached either way.\n\n' +
        'The rules do not undo each other: adding a mount never removes a `--no-cache` flag, and a mount silences ' +
        '`pip-no-cache-dir` and `apt-lists-cleanup`, so applying all their fixes converges.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    if (!usesBuildKit(parsed)) return;
    for (const run of modelOf(parsed).runs) {
      const targets = mountsOf(run.instr).filter((m) => m.type === 'cache').map((m) => m.target);
      const custom = targets.some((t) => !MANAGERS.some((m) => m.owns(t)));
      const seen = new Set<string>();
      run.commands.forEach((cmd, index) => {
        const manager = managerOf(cmd);
        if (!manager || seen.has(manager)) return;
        seen.add(manager);
        if (custom || targets.some((t) => MANAGERS.find((m) => m.id === manager)!.owns(t))) return;
        if (cacheDisabled(parsed, run, index, manager)) return;
        const canFix = !isExecForm(run.instr) && isRootUser(userAt(run));
        const mount = mountText(parsed, run, manager);
        const sub = subcommand(cmd) ?? cmd.words[0];
        ctx.report({
          range: wordRange(parsed, pipInstall(cmd)?.install ?? sub),
          message: `This ${manager} install downloads everything again on each rebuild; add a cache mount such as \`${mount.split(' ')[0]}\`.`,
          fixes: canFix ? [fix(`Add a ${manager} cache mount`, 'safe', addMount(parsed, run, mount))] : [],
        });
      });
    }
  },
};

export default rule;
