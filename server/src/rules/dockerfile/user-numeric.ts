// user-numeric: the image's final USER should be a numeric id so the host can verify it is not root.

import type { DockerfileRule, RuleContext } from '../context';
import type { Instr, ParsedDockerfile } from '../../parse/dockerfile';
import { unquote } from '../../model/dockerfile/runScripts';

const NUMERIC = /^\d+(:\d+)?$/;

const rule: DockerfileRule = {
  meta: {
    id: 'user-numeric',
    language: 'dockerfile',
    category: 'security',
    title: 'Use a numeric user id in the final USER',
    severity: 'info',
    fix: 'none',
    hadolint: ['DL3066'],
    docs: {
      rationale:
        'A user name only means something inside the image\'s `/etc/passwd`. Orchestrators such as Kubernetes ' +
        '(`runAsNonRoot`) cannot resolve it and refuse to start the container, or cannot prove it is not root. A ' +
        'numeric `USER 10001` (optionally `10001:10001`) can be checked without the image.',
      invalid: 'FROM debian:bookworm-slim\nRUN useradd -r -u 10001 app\nUSER app\n',
      valid: 'FROM debian:bookworm-slim\nRUN useradd -r -u 10001 app\nUSER 10001\n',
      notes:
        'Only the last USER of the final stage is checked; earlier ones only matter during the build. Values given by ' +
        'variables are accepted. Option `hadolintCompat: true` (or the top-level `hadolintCompat: true` in ' +
        '`.hullcheck.yaml`) checks as hadolint DL3066 does: every USER of every stage, `root` included, and a ' +
        'variable only when it is an ARG declared earlier in the file.',
    },
  },
  check(ctx) {
    if (ctx.options.hadolintCompat === true) { hadolintCheck(ctx); return; }
    const final = ctx.parsed.finalStage;
    let last: Instr | undefined;
    for (const instr of final?.instructions ?? ctx.parsed.instructions) if (instr.keyword === 'USER') last = instr;
    if (!last || last.args.length === 0) return;
    const value = unquote(last.args[0].value);
    // root is user-non-root's business; reporting it twice would only add noise
    if (NUMERIC.test(value) || value.includes('$') || /^root(:|$)/.test(value)) return;
    ctx.report({ range: last.args[0].range, message: message(value) });
  },
};

const message = (value: string) => `USER \`${value}\` is a name; use its numeric id (for example \`USER 10001\`) so runtimes such as Kubernetes can verify the user is not root.`;

/**
 * hadolint 2.15.1's DL3066, for hadolint mode: every USER in every stage whose user part is not all digits, unless it
 * names an ARG declared earlier in the file (`$NAME` or `${NAME}`); `root` and other variables are reported too.
 */
function hadolintCheck(ctx: RuleContext<ParsedDockerfile>): void {
  const args = new Set<string>();
  for (const instr of ctx.parsed.instructions) {
    if (instr.keyword === 'ARG') for (const a of instr.args) args.add(a.value.split('=')[0]);
    if (instr.keyword !== 'USER' || instr.args.length === 0) continue;
    const value = unquote(instr.args[0].value);
    if (/^\d*$/.test(value.split(':')[0])) continue;
    if ([...args].some((a) => value.includes(`\${${a}}`) || value.includes(`$${a}`))) continue;
    ctx.report({ range: instr.args[0].range, message: message(value) });
  }
}

export default rule;
