// compose-build-path: a build context or Dockerfile that does not exist, or a build target that is not a stage.

import { isMap, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import type { Range } from '../../core/findings';
import { keyRange, nodeOf } from '../composeRuleHelpers';
import { interpolate } from '../../model/composeValues';
import { pairIn, type ComposeService } from '../../parse/compose';
import type { ComposeCtx } from '../composeRuleHelpers';

function buildKey(ctx: ComposeCtx, svc: ComposeService, key: string): Range {
  const b = nodeOf(svc, 'build');
  if (isMap(b)) {
    const v = pairIn(svc.doc, b, key)?.value as Node | undefined;
    if (v) return ctx.parsed.range(v);
  } else if (b && key === 'context') return ctx.parsed.range(b);
  return keyRange(ctx, svc, 'build');
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-build-path',
    language: 'compose',
    category: 'build',
    title: 'Build from a context, Dockerfile and target that exist',
    severity: 'error',
    errorReason: 'A build context, Dockerfile or target that does not exist makes `docker compose build` and `up` fail.',
    fix: 'none',
    docs: {
      rationale:
        'A build context or Dockerfile path that does not exist, or a `target` that names no stage, fails ' +
        '`docker compose build` only when someone runs it, often after a folder was renamed. Checking the paths ' +
        'against the disk and the target against the Dockerfile\'s stages catches it while editing.',
      invalid: 'services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.missing\n',
      valid: 'services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile\n      target: runtime\n',
      files: { Dockerfile: 'FROM alpine:3.20 AS runtime\nCMD ["true"]\n' },
      notes: 'A missing context or Dockerfile inside a git submodule that is not checked out (its path is listed in ' +
        '`.gitmodules`) is info, naming the submodule: the path exists in the repository once `git submodule update --init` runs. ' +
        'Paths resolve from the compose file\'s folder (the context) and from the context (the Dockerfile), as ' +
        'Compose does. Remote contexts (git URLs) and paths with variables that have no default are not checked. ' +
        '`dockerfile_inline` is parsed for its stages.',
    },
  },
  check(ctx) {
    const facts = ctx.facts.compose;
    if (!facts) return;
    for (const svc of ctx.parsed.services) {
      const b = facts.builds.get(svc.name);
      if (!b || b.inherited) continue;
      const spec = (typeof svc.value.build === 'object' && svc.value.build ? svc.value.build : {}) as Record<string, unknown>;
      // inside a git submodule that is not checked out, the path exists in the repository: a setup step, not a defect
      const sub = b.submodule;
      const note = sub ? { severity: 'info' as const } : {};
      const tail = sub ? ` here: it lies in the git submodule \`${sub}\`, which is not checked out (\`git submodule update --init\`)` : '';
      if (b.context && b.contextExists === false) {
        ctx.report({ range: buildKey(ctx, svc, 'context'), ...note, message: `Service \`${svc.name}\`: the build context \`${String(spec.context ?? svc.value.build)}\` does not exist${tail}.` });
        continue;
      }
      if (b.dockerfile && b.dockerfileExists === false) {
        const name = typeof spec.dockerfile === 'string' ? spec.dockerfile : 'Dockerfile';
        ctx.report({ range: buildKey(ctx, svc, 'dockerfile'), ...note, message: `Service \`${svc.name}\`: the Dockerfile \`${name}\` does not exist in the build context${tail}.` });
        continue;
      }
      if (typeof spec.target !== 'string' || !b.parsed) continue;
      const t = interpolate(spec.target);
      if (t.unknown) continue;
      const stages = b.parsed.stages.map((s) => s.name).filter((n): n is string => !!n);
      if (stages.includes(t.value.toLowerCase())) continue;
      const list = stages.length ? `; its stages are ${stages.map((s) => `\`${s}\``).join(', ')}` : '; it has no named stages';
      ctx.report({ range: buildKey(ctx, svc, 'target'), message: `Service \`${svc.name}\`: build target \`${t.value}\` is not a stage of its Dockerfile${list}.` });
    }
  },
};

export default rule;
