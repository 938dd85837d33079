// pip-version-range: named Python packages should carry a version range with an upper bound (or exact pins).

import type { DockerfileRule } from '../context';
import { hasFlag } from '../../parse/shell';
import { packageName, pipInstall, pipPackages } from '../../model/dockerfile/packages';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { modelOf } from '../../model/dockerfile/model';

interface Spec { op: string; version: string }

/** What a pip package argument is: a named requirement with its specifiers, or something that needs no pin. */
export function parseRequirement(arg: string): { name: string; extras: string; specs: Spec[] } | 'pinned' | 'unpinned-vcs' | 'skip' {
  const v = arg.trim();
  if (v === '' || v.includes('$')) return 'skip';
  const vcs = /^(git|hg|svn|bzr)\+[a-z]+:\/\/([^#]*)/i.exec(v);
  if (vcs) {
    // a ref after the repository path (`repo.git@v1.2`) pins it; `user@host` before the path does not
    const path = vcs[2].slice(vcs[2].indexOf('/') + 1);
    return path.includes('@') ? 'pinned' : 'unpinned-vcs';
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /@\s*[a-z][a-z0-9+.-]*:\/\//i.test(v)) return 'pinned';
  // files: archives, and requirement/constraint lists passed to an option this table does not know
  if (/^[./~]/.test(v) || v.includes('/') || /\.(whl|tar\.gz|tgz|zip|tar\.bz2|tar\.xz|txt|in|toml|cfg)$/i.test(v)) return 'skip';
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$/s.exec(v.split(';')[0].trim());
  if (!m) return 'skip';
  const specs: Spec[] = [];
  for (const part of m[3].split(',')) {
    const s = /^\s*(===|==|~=|!=|<=|>=|<|>)\s*(\S+)\s*$/.exec(part);
    if (s) specs.push({ op: s[1], version: s[2] });
  }
  return { name: m[1], extras: m[2] ?? '', specs };
}

function hasUpperBound(specs: Spec[]): boolean {
  return specs.some((s) => ['<', '<=', '==', '===', '~='].includes(s.op));
}

function isExact(specs: Spec[]): boolean {
  return specs.some((s) => s.op === '===' || (s.op === '==' && !s.version.includes('*')));
}

/** A suggested range for a package: its lower bound up to the next major version. */
function suggestion(name: string, specs: Spec[]): string {
  const lower = specs.find((s) => s.op === '>=' || s.op === '>');
  const major = lower ? Number.parseInt(lower.version, 10) : NaN;
  if (lower && Number.isFinite(major)) return `\`'${name}${lower.op}${lower.version},<${major + 1}'\``;
  return `\`'${name}>=X,<Y'\``;
}

/** Packaging tools upgraded in place (`pip install -U pip`): their latest release is the point. */
const SELF_UPGRADE = new Set(['pip', 'setuptools', 'wheel']);

const rule: DockerfileRule = {
  meta: {
    id: 'pip-version-range',
    language: 'dockerfile',
    category: 'build',
    title: 'Give pip packages a version range with an upper bound',
    severity: 'warning',
    fix: 'none',
    hadolint: ['DL3013'],
    docs: {
      rationale:
        'A package installed by name alone, or with only a lower bound, resolves to whatever is newest on the day ' +
        'of the build. A new major release can then break an image that built fine yesterday, from an unchanged ' +
        'Dockerfile. A range with an upper bound (`\'transformers>=4.35,<5\'`) takes fixes and stays reproducible ' +
        'enough; a lockfile or requirements file pins fully.',
      invalid: "FROM python:3.12-slim\nRUN pip install --no-cache-dir fastapi 'uvicorn>=0.30'\n",
      valid: "FROM python:3.12-slim\nRUN pip install --no-cache-dir 'fastapi>=0.115,<1' 'uvicorn~=0.30' httpx==0.27.2\n",
      notes:
        'This deliberately differs from hadolint DL3013, which asks for pinned versions. By default any specifier ' +
        'that caps the version passes: `<`, `<=`, `==` (also `==1.*`), `===` and `~=`. A lower bound alone ' +
        '(`x>=1`, `x>1`) or only `!=` is reported. Set `rules: { pip-version-range: { exact: true } }` in ' +
        '`.hullcheck.yaml` to require exact `==`/`===` pins instead. Set `hadolintCompat: true` (or the top-level ' +
        '`hadolintCompat: true`) for hadolint\'s DL3013 behaviour: any version specifier counts, `>=` and `!=` ' +
        'included; only a package with no specifier at all is reported.\n\n' +
        'Checked: `pip install`, `python -m pip install`, `uv pip install` and `pipx install`. Not checked: ' +
        'requirement and constraint files (`-r`, `-c`; with `-c`/`--constraint` the whole command passes since the ' +
        'constraints pin), local paths, `.`, `-e` targets, wheels and archives, URLs and `name @ url` references, ' +
        'and arguments holding variables. A VCS URL (`git+https://…`) needs a ref after the repository ' +
        '(`repo.git@v1.2`). Upgrading pip, setuptools or wheel themselves (`pip install -U pip`) is allowed unpinned, except in hadolint mode, which reports it as hadolint does.',
    },
  },
  check(ctx) {
    const exact = ctx.options.exact === true;
    const compat = !exact && ctx.options.hadolintCompat === true;
    for (const run of modelOf(ctx.parsed).runs) {
      for (const cmd of run.commands) {
        const call = pipInstall(cmd);
        if (!call || hasFlag(call.args, '-c', '--constraint', '--constraints')) continue;
        const upgrade = hasFlag(call.flags, '-U', '--upgrade');
        for (const w of pipPackages(call.args)) {
          const req = parseRequirement(w.value);
          if (req === 'skip' || req === 'pinned') continue;
          if (req === 'unpinned-vcs') {
            ctx.report({ range: wordRange(ctx.parsed, w), message: `\`${w.value}\` installs from a repository without a ref; pin a tag or commit with \`@<ref>\`.` });
            continue;
          }
          if (!compat && upgrade && SELF_UPGRADE.has(packageName(req.name)) && req.specs.length === 0) continue;
          if (compat ? req.specs.length > 0 : exact ? isExact(req.specs) : hasUpperBound(req.specs)) continue;
          let message: string;
          if (compat) message = `\`${req.name}\` has no version specifier; pin it (for example \`${req.name}==1.2.3\`) so the build stays reproducible.`;
          else if (exact) message = `\`${req.name}\` is not pinned to an exact version; pin it with \`==\` (the exact option is on).`;
          else if (req.specs.length === 0) message = `\`${req.name}\` has no version constraint; give it a range with an upper bound such as ${suggestion(req.name + req.extras, req.specs)}.`;
          else message = `\`${w.value}\` has no upper bound, so a new major release can break the build; add one such as ${suggestion(req.name + req.extras, req.specs)}.`;
          ctx.report({ range: wordRange(ctx.parsed, w), message });
        }
      }
    }
  },
};

export default rule;
