// buildkit-syntax-directive: files that use BuildKit-only syntax should say which Dockerfile frontend they need.

import type { DockerfileRule } from '../context';
import type { Range } from '../../core/findings';
import { heredocsOf, type Instr } from '../../parse/dockerfile';
import { fix, insertAt } from '../../model/dockerfile/wordsAndEdits';

/** Flags that only BuildKit's Dockerfile frontend understands, per instruction. */
const BUILDKIT_FLAGS: Record<string, string[]> = {
  RUN: ['mount', 'network', 'security', 'device'],
  COPY: ['link', 'parents', 'exclude'],
  ADD: ['link', 'parents', 'exclude', 'checksum', 'keep-git-dir'],
};

function firstFeature(instr: Instr): { what: string; range: Range } | undefined {
  for (const flag of instr.flags) {
    if (BUILDKIT_FLAGS[instr.keyword]?.includes(flag.name.toLowerCase())) {
      return { what: `\`${instr.keyword} --${flag.name}\``, range: flag.range };
    }
  }
  if (['RUN', 'COPY', 'ADD'].includes(instr.keyword) && !instr.jsonArgs) {
    const hasHeredoc = heredocsOf(instr).length > 0;
    if (hasHeredoc) {
      const arg = instr.args.find((a) => /<</.test(a.value));
      return { what: `A heredoc in ${instr.keyword}`, range: arg?.range ?? instr.keywordRange };
    }
  }
  return undefined;
}

const rule: DockerfileRule = {
  meta: {
    id: 'buildkit-syntax-directive',
    language: 'dockerfile',
    category: 'build',
    title: 'Declare the Dockerfile syntax when using BuildKit features',
    severity: 'info',
    fix: 'safe',
    docs: {
      rationale:
        'Cache and secret mounts, heredocs, `COPY --link` and friends exist only in BuildKit\'s Dockerfile frontend, ' +
        'and which of them work depends on the frontend version built into the local Docker. A ' +
        '`# syntax=docker/dockerfile:1` line makes BuildKit fetch a current 1.x frontend, so the file builds the same ' +
        'with an older Docker Engine, in CI and on a colleague\'s machine, and tells readers the file needs BuildKit.',
      invalid: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n',
      valid: '# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n',
      notes:
        'BuildKit-only features checked: `RUN --mount`, `--network`, `--security` and `--device`; `COPY`/`ADD` ' +
        '`--link`, `--parents` and `--exclude`; `ADD --checksum` and `--keep-git-dir`; heredocs in RUN, COPY and ADD ' +
        '(including ONBUILD ones). Any `# syntax=` directive counts, whatever frontend it names.\n\n' +
        'Fires once, at the first such feature. The fix inserts `# syntax=docker/dockerfile:1` as the first line ' +
        '(after a byte-order mark, before other directives such as `# escape=`): `1` follows the latest stable 1.x ' +
        'release. Pin a minor version such as `1.7` yourself if you need fully repeatable builds.',
    },
  },
  check(ctx) {
    if (ctx.parsed.directives.has('syntax')) return;
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
      if (!instr) continue;
      const found = firstFeature(instr);
      if (!found) continue;
      const bom = ctx.parsed.text.startsWith('\uFEFF') ? 1 : 0;
      ctx.report({
        range: found.range,
        message: `${found.what} needs BuildKit's Dockerfile frontend, but the file has no \`# syntax=\` directive; add \`# syntax=docker/dockerfile:1\` as its first line.`,
        fixes: [fix('Add # syntax=docker/dockerfile:1', 'safe', insertAt(ctx.parsed, bom, `# syntax=docker/dockerfile:1${ctx.parsed.index.eol}`))],
      });
      return;
    }
  },
};

export default rule;
