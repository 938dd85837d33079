// compose-read-only: services should run with a read-only root filesystem and a tmpfs for /tmp.

import type { ComposeRule } from '../context';
import type { TextEdit } from '../../core/findings';
import { appendToMap, appendToSeq, isBlockSeq, replaceNode } from '../composeEdits';
import { isOverlay, judgedValues, keyRange, nodeOf } from '../composeRuleHelpers';
import { parseMount } from '../../model/composeValues';
import { fix } from '../../model/dockerfile/wordsAndEdits';
import { isScalar } from 'yaml';

function writableTmp(v: Record<string, unknown>): boolean {
  const tmpfs = typeof v.tmpfs === 'string' ? [v.tmpfs] : Array.isArray(v.tmpfs) ? v.tmpfs : [];
  if (tmpfs.some((t) => typeof t === 'string' && /^\/tmp(\/)?(:|$)/.test(t))) return true;
  const vols = Array.isArray(v.volumes) ? v.volumes : [];
  return vols.some((e) => parseMount(e)?.target?.replace(/\/$/, '') === '/tmp');
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-read-only',
    language: 'compose',
    category: 'security',
    title: 'Run services on a read-only root filesystem',
    severity: 'hint',
    fix: 'unsafe',
    docs: {
      rationale:
        'A read-only root filesystem keeps an attacker (or a bug) from changing the service\'s binaries and config at ' +
        'run time, and makes every write go to a place you chose: a volume for data and a tmpfs for `/tmp`.',
      invalid: 'services:\n  api:\n    image: example/api:2.1\n',
      valid: 'services:\n  api:\n    image: example/api:2.1\n    read_only: true\n    tmpfs:\n      - /tmp\n',
      notes: 'The fix is unsafe: a service that writes outside its volumes and `/tmp` fails once its root is read-only. ' +
        'It sets `read_only: true` and adds a tmpfs for `/tmp` when nothing makes `/tmp` writable.',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      if (isOverlay(ctx, svc) || !svc.node) continue;
      const v = svc.value;
      const judged = judgedValues(ctx, svc);
      const ro = judged.every((j) => j.read_only === true || j.read_only === 'true');
      const tmp = judged.every(writableTmp);
      if (ro && tmp) continue;
      const edits: TextEdit[] = [];
      let unfixable = false;
      const tmpfsNode = nodeOf(svc, 'tmpfs');
      const lines: string[] = [];
      if (!ro) {
        const roNode = nodeOf(svc, 'read_only');
        // only a scalar is replaced: a mapping or list there spans lines the tmpfs lines would be appended into
        if (roNode) { if (isScalar(roNode)) edits.push(replaceNode(ctx.parsed, roNode, 'true')); else unfixable = true; }
        else lines.push('read_only: true');
      }
      if (!tmp) {
        if (v.tmpfs === undefined) lines.push('tmpfs:', '  - /tmp');
        else if (isBlockSeq(tmpfsNode)) { const e = appendToSeq(ctx.parsed, tmpfsNode, '/tmp'); if (e) edits.push(e); }
      }
      if (lines.length) { const e = appendToMap(ctx.parsed, svc.node, lines); if (e) edits.push(e); }
      ctx.report({
        range: ro ? keyRange(ctx, svc, 'read_only') : svc.keyRange,
        message: ro
          ? `Service \`${svc.name}\` has a read-only root but no tmpfs for /tmp; add \`tmpfs: [/tmp]\` so temporary files still work.`
          : `Service \`${svc.name}\` has a writable root filesystem; set \`read_only: true\` with a tmpfs for /tmp.`,
        fixes: edits.length && !unfixable ? [fix('Make the root filesystem read-only', 'unsafe', ...edits)] : [],
      });
    }
  },
};

export default rule;
