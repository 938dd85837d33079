// pip-no-cache-dir: `pip install` / `uv pip install` should not leave their download cache in the layer.

import type { DockerfileRule } from '../context';
import { hasFlag } from '../../parse/shell';
import { envAt, flagVarSet, isExecForm, pipInstall, pipNoCacheDir, shellEnvAt, volatileTargets, type PipCall } from '../../model/dockerfile/packages';
import { fix, insertAt, wordRange } from '../../model/dockerfile/wordsAndEdits';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { trimTrailing } from '../../core/strings';
import { modelOf } from '../../model/dockerfile/model';
import { type RunInfo } from '../../model/dockerfile/runs';

/** Whether a cache or tmpfs mount on the RUN holds the tool's cache, so nothing lands in the layer. */
function cacheMounted(parsed: ParsedDockerfile, run: RunInfo, index: number, call: PipCall): boolean {
  const targets = volatileTargets(run.instr);
  if (targets.length === 0) return false;
  const leaf = call.tool === 'uv' ? 'uv' : 'pip';
  const env = new Map([...envAt(parsed, run), ...shellEnvAt(run.commands, index)]);
  // an explicit cache location (flag or env) counts when a mount sits exactly there
  const explicit: string[] = [];
  const dirFlag = call.flags.findIndex((w) => w.value === '--cache-dir');
  if (dirFlag >= 0 && call.flags[dirFlag + 1]) explicit.push(call.flags[dirFlag + 1].value);
  for (const w of call.flags) if (w.value.startsWith('--cache-dir=')) explicit.push(w.value.slice('--cache-dir='.length));
  const envDir = env.get(call.tool === 'uv' ? 'UV_CACHE_DIR' : 'PIP_CACHE_DIR');
  if (envDir) explicit.push(envDir);
  const xdg = env.get('XDG_CACHE_HOME');
  return targets.some((t) =>
    t.includes(`.cache/${leaf}`) || t.endsWith('/.cache') ||
    explicit.some((d) => trimTrailing(d, '/') === t) ||
    (xdg !== undefined && (t === trimTrailing(xdg, '/') || t === `${trimTrailing(xdg, '/')}/${leaf}`)));
}

const rule: DockerfileRule = {
  meta: {
    id: 'pip-no-cache-dir',
    language: 'dockerfile',
    category: 'size',
    title: 'Disable the pip and uv download cache when installing',
    severity: 'warning',
    fix: 'safe',
    hadolint: ['DL3042'],
    docs: {
      rationale:
        'pip and uv keep every downloaded wheel in a cache under `~/.cache`. Inside an image build that cache is ' +
        'never reused, but it is written into the layer and can add hundreds of megabytes. Pass `--no-cache-dir` ' +
        'to pip (`--no-cache` to uv), or keep the cache outside the layer with a BuildKit cache mount.',
      invalid: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -U pip && pip install -r requirements.txt\n',
      valid:
        'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n' +
        'RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system -r requirements.txt\n',
      notes:
        'Stays silent when a `cache` or `tmpfs` mount on the RUN covers the cache (a target containing `.cache/pip` ' +
        'or `.cache/uv`, `~/.cache` itself, or the directory set by `--cache-dir`, `PIP_CACHE_DIR`/`UV_CACHE_DIR`), ' +
        'and when `PIP_NO_CACHE_DIR` (pip) or `UV_NO_CACHE` (uv) is set to a true value by ENV or ARG in the stage, ' +
        'by ENV in a stage it builds on, by `export` earlier in the RUN, or as a prefix of the command. uv also ' +
        'accepts `-n` and `--no-cache-dir`; pip also takes an abbreviation such as `--no-cache`, as pip itself does. `pipx` and `pipenv` are not checked. The fix inserts the flag right ' +
        'after `install`; exec-form RUNs are reported without a fix.',
    },
  },
  check(ctx) {
    for (const run of modelOf(ctx.parsed).runs) {
      run.commands.forEach((cmd, index) => {
        const call = pipInstall(cmd);
        if (!call || call.tool === 'pipx') return;
        const uv = call.tool === 'uv';
        if (uv ? hasFlag(call.flags, '--no-cache', '-n', '--no-cache-dir') : pipNoCacheDir(call.flags)) return;
        if (flagVarSet(ctx.parsed, run, index, uv ? 'UV_NO_CACHE' : 'PIP_NO_CACHE_DIR')) return;
        if (cacheMounted(ctx.parsed, run, index, call)) return;
        const flag = uv ? '--no-cache' : '--no-cache-dir';
        ctx.report({
          range: wordRange(ctx.parsed, call.install),
          message: uv
            ? '`uv pip install` without `--no-cache` stores its download cache in the image layer; add `--no-cache` or use a cache mount.'
            : '`pip install` without `--no-cache-dir` stores its download cache in the image layer; add `--no-cache-dir` or use a cache mount.',
          fixes: isExecForm(run.instr) ? [] : [fix(`Add ${flag}`, 'safe', insertAt(ctx.parsed, call.install.end, ` ${flag}`))],
        });
      });
    }
  },
};

export default rule;
