// compose-depends-on-healthy: depends_on that only waits for a container to start although the dependency has a
// health check; Compose can wait for it to be healthy instead.

import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import type { Fix } from '../../core/findings';
import { replaceBlockSeq, replaceNode } from '../composeEdits';
import { healthOf, nodeOf, pairOf, type ComposeCtx } from '../composeRuleHelpers';
import { dependsOn } from '../../model/composeValues';
import { pairIn, type ComposeService } from '../../parse/compose';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const TITLE = 'Wait for healthy dependencies (condition: service_healthy)';

/** The long-syntax rewrite of a short-syntax list: healthy for checked services, started for the rest. */
function longSyntaxFix(ctx: ComposeCtx, svc: ComposeService, names: string[], healthy: (n: string) => boolean): Fix | undefined {
  const seq = nodeOf(svc, 'depends_on');
  const pair = pairOf(svc, 'depends_on');
  if (!isSeq(seq) || !pair) return undefined;
  const cond = (n: string) => (healthy(n) ? 'service_healthy' : 'service_started');
  if (seq.flow) {
    return fix(TITLE, 'safe', replaceNode(ctx.parsed, seq, `{ ${names.map((n) => `${n}: { condition: ${cond(n)} }`).join(', ')} }`));
  }
  const keyCol = ctx.parsed.range(pair.key as Node).start.character;
  // a comment after an item (`- db  # why`) moves to that service's key
  const comment = (i: number) => {
    const end = (seq.items[i] as { range?: number[] } | undefined)?.range?.[1];
    if (end === undefined) return '';
    const rest = ctx.parsed.index.lineText(ctx.parsed.index.positionAt(end).line).slice(ctx.parsed.index.positionAt(end).character);
    const m = /^(\s*)(#.*)$/.exec(rest);
    return m ? `${m[1] || ' '}${m[2]}` : '';
  };
  const edit = replaceBlockSeq(ctx.parsed, seq, keyCol, names.flatMap((n, i) => [`${n}:${comment(i)}`, `  condition: ${cond(n)}`]));
  return edit ? fix(TITLE, 'safe', edit) : undefined;
}

/** Whether the service sets its own `entrypoint:` (in this file or its effective project). */
function replacesEntrypoint(ctx: ComposeCtx, name: string): boolean {
  const own = ctx.parsed.service(name)?.value.entrypoint;
  const effective = ctx.facts.compose?.model?.services.find((s) => s.name === name)?.value.entrypoint;
  return (own ?? effective) !== undefined && (own ?? effective) !== null;
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-depends-on-healthy',
    language: 'compose',
    category: 'health',
    title: 'Wait for dependencies to be healthy, not just started',
    severity: 'warning',
    fix: 'safe',
    docs: {
      rationale:
        'Short `depends_on` syntax (and `condition: service_started`) only orders container start-up: the dependent ' +
        'starts as soon as the dependency\'s process does, often before a database accepts connections. When the ' +
        'dependency has a health check, `condition: service_healthy` makes Compose wait until it passes.',
      invalid: 'services:\n  db:\n    image: postgres:16-alpine\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready"]\n' +
        '  app:\n    image: example/app:1.0\n    depends_on:\n      - db\n',
      valid: 'services:\n  db:\n    image: postgres:16-alpine\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready"]\n' +
        '  app:\n    image: example/app:1.0\n    depends_on:\n      db:\n        condition: service_healthy\n',
      notes: 'A dependency counts as health-checked when its compose definition (in any file of the project) or the ' +
        'Dockerfile it builds from has a health check (not when the service replaces the image\'s `entrypoint:`: the ' +
        'image\'s check probes a program that service may never start). The fix rewrites short syntax to long syntax, with ' +
        '`service_healthy` for checked dependencies and `service_started` for the others, or changes the condition in place.',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      const raw = svc.value.depends_on;
      if (raw === undefined) continue;
      const deps = dependsOn(raw);
      // an image's HEALTHCHECK probes the image's own program: a service that replaces the entrypoint (a prebuild step
      // that runs `/bin/bash` and exits) may never run it, so that check says nothing about this container
      const checked = (n: string) => n !== svc.name && (healthOf(ctx, n) === 'compose' || (healthOf(ctx, n) === 'dockerfile' && !replacesEntrypoint(ctx, n)));
      const node = nodeOf(svc, 'depends_on');
      const message = (n: string) => `Service \`${svc.name}\` only waits for \`${n}\` to start, although \`${n}\` has a health check; use \`condition: service_healthy\`.`;
      if (Array.isArray(raw)) {
        const names = [...deps.keys()];
        const f = longSyntaxFix(ctx, svc, names, checked);
        raw.forEach((n, i) => {
          if (typeof n !== 'string' || !checked(n)) return;
          const item = isSeq(node) ? (node.items[i] as Node) : undefined;
          ctx.report({ range: item ? ctx.parsed.range(item) : svc.keyRange, message: message(n), fixes: f ? [f] : [] });
        });
        continue;
      }
      if (!isMap(node)) continue;
      for (const [n, cond] of deps) {
        if (cond !== 'service_started' || !checked(n)) continue;
        const entry = pairIn(svc.doc, node, n);
        const entryMap = entry?.value;
        const condNode = isMap(entryMap) ? pairIn(svc.doc, entryMap, 'condition')?.value : undefined;
        const range = isScalar(condNode) ? ctx.parsed.range(condNode) : ctx.parsed.range((entry?.key as Node) ?? null);
        const fixes = isScalar(condNode) ? [fix(TITLE, 'safe', replaceNode(ctx.parsed, condNode, 'service_healthy'))] : [];
        ctx.report({ range, message: message(n), fixes });
      }
    }
  },
};

export default rule;
