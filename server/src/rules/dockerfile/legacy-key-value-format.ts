// legacy-key-value-format: `ENV key value` (and `LABEL key value`) is the legacy whitespace form; `key=value`
// is unambiguous and allows several pairs per instruction.

import type { DockerfileRule } from '../context';
import type { Fix } from '../../core/findings';
import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import { fix } from '../../model/dockerfile/wordsAndEdits';

interface Prop {
  getName(): string;
  getNameRange(): { start: { line: number; character: number }; end: { line: number; character: number } };
  getValueRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null;
  getAssignmentOperator(): string | null;
}

const SINGLE_TOKEN = /^(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'\\]+)$/;
const PLAIN = /^[^"'\\\r\n]*$/;

const rule: DockerfileRule = {
  meta: {
    id: 'legacy-key-value-format',
    language: 'dockerfile',
    category: 'style',
    title: 'Write ENV and LABEL as key=value',
    severity: 'warning',
    fix: 'safe',
    buildkit: ['LegacyKeyValueFormat'],
    docs: {
      rationale:
        'In the legacy form `ENV key value` everything after the first space is the value, so `ENV A 1 B 2` sets ' +
        'one variable `A` to `1 B 2`. The `key=value` form says exactly what is meant and lets one instruction set ' +
        'several variables.',
      invalid: 'FROM alpine:3.20\nENV APP_HOME /srv/app\n',
      valid: 'FROM alpine:3.20\nENV APP_HOME=/srv/app\n',
      notes:
        'The fix writes `key=value`, quoting the value in double quotes when it contains spaces. It is offered only ' +
        'when the rewrite is exact: a value that already is one quoted token, or one without quotes, backslashes ' +
        'or line continuations.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const outer of p.instructions) {
      for (const instr of outer.onbuild ? [outer.onbuild] : [outer]) {
        if (instr.keyword !== 'ENV' && instr.keyword !== 'LABEL') continue;
        const props = (instr.node as unknown as { getProperties?: () => Prop[] }).getProperties?.() ?? [];
        for (const prop of props) {
          const vr = prop.getValueRange();
          if (prop.getAssignmentOperator() !== null || !vr) continue;
          ctx.report({
            range: prop.getNameRange(),
            message: `Use "${instr.keyword} ${prop.getName()}=value" instead of the legacy "${instr.keyword} key value" form.`,
            fixes: legacyFix(p, instr, prop),
          });
        }
      }
    }
  },
};

function legacyFix(p: ParsedDockerfile, instr: Instr, prop: Prop): Fix[] {
  const nameEnd = p.index.offsetAt(prop.getNameRange().end);
  const vr = prop.getValueRange()!;
  const vs = p.index.offsetAt(vr.start);
  const ve = p.index.offsetAt(vr.end);
  if (ve > instr.endOffset) return [];
  const raw = p.text.slice(vs, ve);
  let value: string;
  if (SINGLE_TOKEN.test(raw)) value = raw;
  else if (PLAIN.test(raw)) value = `"${raw}"`;
  else return [];
  return [fix(`Write ${prop.getName()}=${value}`, 'safe', { range: { start: p.index.positionAt(nameEnd), end: vr.end }, newText: `=${value}` })];
}

export default rule;
