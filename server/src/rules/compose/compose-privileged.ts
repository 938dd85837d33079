// compose-privileged: `privileged: true`, `cap_add: [ALL]` or the Docker socket mounted into a service.

import type { ComposeRule } from '../context';
import { isSeq, type Node } from 'yaml';
import { nodeOf, valueRange } from '../composeRuleHelpers';
import { parseMount } from '../../model/composeValues';

const SOCKETS = /^(\/var)?\/run\/docker\.sock$|^\/\/\.\/pipe\/docker_engine$|^\/run\/podman\/podman\.sock$/;

const rule: ComposeRule = {
  meta: {
    id: 'compose-privileged',
    language: 'compose',
    category: 'security',
    title: 'Do not give services full control of the host',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'A privileged container, one with every capability, or one that can talk to the Docker socket can take over ' +
        'the host: it can load kernel modules, mount host disks or start a new privileged container. Grant only the ' +
        'capabilities the service needs (`cap_add: [NET_ADMIN]`) and give socket access to dedicated, trusted tools.',
      invalid: 'services:\n  agent:\n    image: example/agent:1.2\n    privileged: true\n',
      valid: 'services:\n  agent:\n    image: example/agent:1.2\n    cap_add:\n      - NET_ADMIN\n',
      notes: 'Socket mounts are recognised in short and long volume syntax, read-only or not (read-only does not limit the API).',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      const v = svc.value;
      if (v.privileged === true || v.privileged === 'true') {
        ctx.report({ range: valueRange(ctx, svc, 'privileged'), message: `Service \`${svc.name}\` runs privileged, with full access to the host's devices and kernel; grant only the capabilities it needs.` });
      }
      if (Array.isArray(v.cap_add)) {
        const seq = nodeOf(svc, 'cap_add');
        v.cap_add.forEach((c, i) => {
          if (typeof c !== 'string' || !/^(CAP_)?ALL$/i.test(c)) return;
          const node = isSeq(seq) ? (seq.items[i] as Node) : undefined;
          ctx.report({ range: node ? ctx.parsed.range(node) : valueRange(ctx, svc, 'cap_add'), message: `Service \`${svc.name}\` adds every Linux capability; list only the ones it needs.` });
        });
      }
      if (Array.isArray(v.volumes)) {
        const seq = nodeOf(svc, 'volumes');
        v.volumes.forEach((entry, i) => {
          const m = parseMount(entry);
          if (!m?.source || !SOCKETS.test(m.source)) return;
          const node = isSeq(seq) ? (seq.items[i] as Node) : undefined;
          ctx.report({ range: node ? ctx.parsed.range(node) : valueRange(ctx, svc, 'volumes'), message: `Service \`${svc.name}\` mounts the container engine socket, which gives it control of the host; use a narrowly scoped proxy or drop the mount.` });
        });
      }
    }
  },
};

export default rule;
