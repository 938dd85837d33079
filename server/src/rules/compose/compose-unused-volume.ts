// compose-unused-volume: a top-level volume that no service mounts.

import type { Node } from 'yaml';
import type { ComposeRule } from '../context';
import { declaredVolumes, mountedInProjects, projectSiblings, volumeUses } from '../composeVolumes';

const rule: ComposeRule = {
  meta: {
    id: 'compose-unused-volume',
    language: 'compose',
    category: 'compose',
    title: 'Remove volumes no service mounts',
    severity: 'info',
    fix: 'none',
    docs: {
      rationale:
        'A declared volume that no service mounts is usually left over from a rename or a removed service. It still ' +
        'gets created, and it makes readers look for data that nothing writes.',
      invalid: 'services:\n  web:\n    image: nginx:1.27\nvolumes:\n  old-data:\n',
      valid: 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - site:/usr/share/nginx/html\nvolumes:\n  site:\n',
      notes: 'Mounts in the other files of the same compose project count, and so do those of services that extend, ' +
        'include or are included with this file. There is no automatic fix: a volume kept ' +
        'on purpose (for a rollback, say) holds data, so removing the declaration is a decision to review.',
    },
  },
  check(ctx) {
    const used = new Set(volumeUses(ctx.parsed).map((u) => u.name));
    for (const other of projectSiblings(ctx.facts.compose)) for (const u of volumeUses(other)) used.add(u.name);
    for (const n of mountedInProjects(ctx.facts.compose)) used.add(n);
    for (const [name, pair] of declaredVolumes(ctx.parsed)) {
      if (used.has(name)) continue;
      ctx.report({ range: ctx.parsed.range(pair.key as Node), message: `Volume \`${name}\` is declared but no service mounts it; remove it or mount it where it is needed.` });
    }
  },
};

export default rule;
