// compose-resource-limits: a service with neither a memory nor a CPU limit.

import type { ComposeRule } from '../context';
import { isOverlay, judgedValues } from '../composeRuleHelpers';

function limits(v: Record<string, unknown>): boolean {
  if (v.mem_limit !== undefined || v.cpus !== undefined || v.cpu_quota !== undefined) return true;
  const lim = ((v.deploy as Record<string, unknown> | undefined)?.resources as Record<string, unknown> | undefined)?.limits as Record<string, unknown> | undefined;
  return !!lim && (lim.memory !== undefined || lim.cpus !== undefined);
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-resource-limits',
    language: 'compose',
    category: 'compose',
    title: 'Set a memory or CPU limit for each service',
    severity: 'info',
    fix: 'none',
    docs: {
      rationale:
        'Without limits, one service that leaks memory or spins a CPU can starve every other container on the host, ' +
        'and the kernel picks which process to kill when memory runs out. A limit confines the damage to the service ' +
        'that misbehaves.',
      invalid: 'services:\n  worker:\n    image: example/worker:3.0\n',
      valid: 'services:\n  worker:\n    image: example/worker:3.0\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n          cpus: "1.0"\n',
      notes: 'Any of `deploy.resources.limits.memory`, `deploy.resources.limits.cpus`, `mem_limit`, `cpus` or `cpu_quota` ' +
        'counts. A service in an override file that only adjusts a service of its base file is judged in the base file.',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      if (judgedValues(ctx, svc).every(limits) || isOverlay(ctx, svc)) continue;
      ctx.report({ range: svc.keyRange, message: `Service \`${svc.name}\` has no memory or CPU limit; set \`deploy.resources.limits\` (or \`mem_limit\`/\`cpus\`) so it cannot starve the host.` });
    }
  },
};

export default rule;
