// compose-no-new-privileges: services should set `security_opt: [no-new-privileges:true]`.

import type { ComposeRule } from '../context';
import type { TextEdit } from '../../core/findings';
import { appendToMap, appendToSeq, isBlockSeq } from '../composeEdits';
import { isOverlay, judgedValues, keyRange, nodeOf } from '../composeRuleHelpers';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const OPT = /^no-new-privileges(?:\s*[:=]\s*true)?$/i;

const rule: ComposeRule = {
  meta: {
    id: 'compose-no-new-privileges',
    language: 'compose',
    category: 'security',
    title: 'Stop processes from gaining privileges',
    severity: 'hint',
    fix: 'safe',
    docs: {
      rationale:
        'With `no-new-privileges`, no process in the container can gain privileges it did not start with, so a ' +
        'setuid binary or file capability cannot be used to escalate after a compromise. Ordinary services never need ' +
        'that, which makes it a free layer of defence.',
      invalid: 'services:\n  web:\n    image: nginx:1.27\n',
      valid: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:true\n',
      notes: '`no-new-privileges`, `no-new-privileges:true` and `no-new-privileges=true` are accepted. The fix adds the ' +
        'option to an existing block list or adds a `security_opt:` list.',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      const has = (v: Record<string, unknown>) => Array.isArray(v.security_opt) && v.security_opt.some((o) => typeof o === 'string' && OPT.test(o.trim()));
      if (judgedValues(ctx, svc).every(has)) continue;
      const opts = svc.value.security_opt;
      if (isOverlay(ctx, svc) || !svc.node) continue;
      const seq = nodeOf(svc, 'security_opt');
      let edit: TextEdit | undefined;
      if (opts === undefined) edit = appendToMap(ctx.parsed, svc.node, ['security_opt:', '  - no-new-privileges:true']);
      else if (isBlockSeq(seq)) edit = appendToSeq(ctx.parsed, seq, 'no-new-privileges:true');
      ctx.report({
        range: opts === undefined ? svc.keyRange : keyRange(ctx, svc, 'security_opt'),
        message: `Service \`${svc.name}\` does not set \`no-new-privileges:true\`, so a setuid binary could raise a process's privileges.`,
        fixes: edit ? [fix('Add no-new-privileges:true', 'safe', edit)] : [],
      });
    }
  },
};

export default rule;
