// prefer-uv: suggest uv where a Dockerfile installs Python packages with pip.

import type { DockerfileRule } from '../context';
import { pipInstall, pipPackages, packageName } from '../../model/dockerfile/packages';
import { offsetRange } from '../../model/dockerfile/wordsAndEdits';
import { modelOf } from '../../model/dockerfile/model';

/** Installing or upgrading these is bootstrapping, not installing dependencies uv could take over. */
const BOOTSTRAP = new Set(['uv', 'pip', 'setuptools', 'wheel']);

const rule: DockerfileRule = {
  meta: {
    id: 'prefer-uv',
    language: 'dockerfile',
    category: 'build',
    title: 'Prefer uv over pip for installing Python packages',
    severity: 'hint',
    fix: 'none',
    docs: {
      rationale:
        'uv is a drop-in replacement for `pip install` that resolves and installs in parallel, typically many ' +
        'times faster, and it works well with BuildKit cache mounts. Copy the static binary from ' +
        '`ghcr.io/astral-sh/uv` and use `uv pip install --system` (or `uv sync` with a lockfile).',
      invalid: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
      valid:
        'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /usr/local/bin/uv\nCOPY requirements.txt .\n' +
        'RUN uv pip install --system --no-cache -r requirements.txt\n',
      notes:
        'Fires on `pip install`, `pip3 install` and `python -m pip install`. It stays silent for `uv pip install`, ' +
        'for installing uv itself (`pip install uv`), and for installs that only bootstrap packaging tools ' +
        '(`pip install --upgrade pip setuptools wheel`), which uv makes unnecessary rather than replaces. There is ' +
        'no fix: switching tools means adding the uv binary and reviewing flags.',
    },
  },
  check(ctx) {
    for (const run of modelOf(ctx.parsed).runs) {
      for (const cmd of run.commands) {
        const call = pipInstall(cmd);
        if (!call || call.tool !== 'pip') continue;
        const pkgs = pipPackages(call.args);
        if (pkgs.length > 0 && pkgs.every((w) => BOOTSTRAP.has(packageName(w.value).replace(/\[.*$/, '')))) continue;
        ctx.report({
          range: offsetRange(ctx.parsed, call.program.start, call.install.end),
          message: 'This installs Python packages with pip; `uv pip install --system` does the same much faster.',
        });
      }
    }
  },
};

export default rule;
